package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.machine.Arch;

/**
 * Seeded random sequences of set, clear, direct pte_offset_map writes, forEachPte,
 * updateRange (zap/change_protection shapes) and munmap-style free_pgd_range, each checked
 * against a {@link TreeMap} of va → PTE and followed by {@link PageTable#checkInvariants()}.
 * free_pgd_range is checked against its rule stated independently: a table page below the pgd
 * is freed exactly when it intersects [addr, end), lies within [floor, ceiling) (ceiling 0: the
 * top), and is empty once its own freeable children are gone. Table-page frames must match the
 * allocator's live set after every step (no leak, no double free); allocation failures are
 * injected and must change nothing.
 */
class PageTableRandomTest {
    private static final long PAGE = Arch.PAGE_SIZE;

    private final TreeMap<Long, Long> model = new TreeMap<>();
    private final RecordingTableAllocator allocator = new RecordingTableAllocator();
    private PageTable pt;
    private Geometry geo;
    private Random random;
    private long[] anchors;

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"X86_64, 1", "X86_64, 2", "X86_64_LA57, 3", "X86_64_LA57, 4", "I386, 5", "I386, 6"})
    void pageTableShouldAgreeWithTreeMapModelAfterEveryStep(Arch arch, long seed) {
        random = new Random(seed);
        geo = Geometry.of(arch);
        pt = PageTable.create(arch, allocator);
        anchors = anchors();
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(100);
            try {
                if (op < 40) {
                    set();
                } else if (op < 55) {
                    clear();
                } else if (op < 62) {
                    directWrite();
                } else if (op < 72) {
                    forEach();
                } else if (op < 82) {
                    update(step);
                } else {
                    munmap();
                }
                pt.checkInvariants();
                assertThat(allocator.live()).isEqualTo(framesInTree());
                for (int q = 0; q < 4; q++) {
                    long va = randomVa();
                    assertThat(pt.get(va)).isEqualTo(model.getOrDefault(va, 0L));
                    checkWalk(va);
                }
                if (!model.isEmpty()) {
                    Long va = model.floorKey(randomVa());
                    va = va == null ? model.firstKey() : va;
                    assertThat(pt.get(va)).isEqualTo(model.get(va));
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(arch + " seed " + seed + ", step " + step + ", op " + op, e);
            }
        }
        assertThat(collect(0, geo.top)).isEqualTo(new ArrayList<>(model.entrySet()));
        pt.updateRange(0, geo.top, (va, e) -> 0);
        pt.destroy();
        assertThat(allocator.live()).isEmpty();
    }

    /** The MMU walk reads the same PTE, and each entry points at the next level's table. */
    private void checkWalk(long va) {
        PageTable.Walk walk = pt.walk(va);
        assertThat(walk.complete() ? walk.pte() : 0L).isEqualTo(model.getOrDefault(va, 0L));
        List<PageTable.Level> levels = walk.levels();
        assertThat(levels.get(0).tablePfn()).isEqualTo(pt.pgdPfn());
        for (int l = 0; l + 1 < levels.size(); l++) {
            assertThat(Pte.pfn(levels.get(l).entry())).isEqualTo(levels.get(l + 1).tablePfn());
            assertThat(levels.get(l).index()).isEqualTo(geo.index(va, l));
        }
        assertThat(walk.complete()).isEqualTo(levels.size() == geo.nrLevels);
    }

    /** Addresses near table boundaries at every level, so tables are shared and split often. */
    private long[] anchors() {
        List<Long> list = new ArrayList<>(List.of(0L, geo.top / 2, geo.top - 2 * geo.pmdSize));
        for (int l = 0; l < geo.nrLevels; l++) {
            list.add(geo.entrySize(l));
            list.add(3 * geo.entrySize(l));
        }
        return list.stream().filter(a -> a < geo.top).mapToLong(Long::longValue).toArray();
    }

    private long randomVa() {
        long anchor = anchors[random.nextInt(anchors.length)];
        long va = anchor + (random.nextInt(4096) - 2048) * PAGE;
        return Math.max(0, Math.min(geo.top - PAGE, va));
    }

    private long randomPte() {
        long v = random.nextLong() & (geo.arch.is64Bit() ? -1L : 0xffffffffL);
        return v == 0 ? 1 : v;
    }

    private boolean injectFailure() {
        if (random.nextInt(10) == 0) {
            allocator.failAfter(random.nextInt(geo.nrLevels));
            return true;
        }
        return false;
    }

    private void set() {
        long va = randomVa();
        long pte = random.nextInt(10) == 0 ? 0 : randomPte();
        boolean failing = injectFailure();
        List<PageTable.TablePage> before = pt.tablePages();
        boolean ok = pt.set(va, pte);
        allocator.unlimited();
        if (ok) {
            put(va, pte);
        } else {
            assertThat(failing).isTrue();
            assertThat(pt.tablePages()).isEqualTo(before);
        }
        assertThat(pt.get(va)).isEqualTo(model.getOrDefault(va, 0L));
    }

    private void put(long va, long pte) {
        if (pte == 0) {
            model.remove(va);
        } else {
            model.put(va, pte);
        }
    }

    private void clear() {
        long va = randomVa();
        if (random.nextBoolean() && !model.isEmpty()) {
            Long mapped = model.ceilingKey(va);
            va = mapped == null ? model.lastKey() : mapped;
        }
        Long old = model.remove(va);
        assertThat(pt.clear(va)).isEqualTo(old == null ? 0L : old);
    }

    private void directWrite() {
        long va = randomVa();
        boolean create = random.nextBoolean();
        boolean failing = create && injectFailure();
        List<PageTable.TablePage> before = pt.tablePages();
        long[] table = pt.pteTable(va, create);
        allocator.unlimited();
        if (table == null) {
            assertThat(!create || failing).isTrue();
            assertThat(pt.tablePages()).isEqualTo(before);
            assertThat(model.subMap(va & -geo.pmdSize, (va & -geo.pmdSize) + geo.pmdSize)).isEmpty();
            return;
        }
        int i = PageTable.pteIndex(va, geo.arch);
        assertThat(table[i]).isEqualTo(model.getOrDefault(va, 0L));
        long pte = random.nextInt(4) == 0 ? 0 : randomPte();
        table[i] = pte;
        put(va, pte);
    }

    private long[] randomRange() {
        long a = randomVa();
        long b = randomVa();
        long lo = Math.min(a, b);
        long hi = Math.max(a, b) + PAGE;
        if (random.nextInt(8) == 0) {
            return new long[] {0, geo.top};
        }
        return new long[] {lo, hi};
    }

    private List<Map.Entry<Long, Long>> collect(long start, long end) {
        List<Map.Entry<Long, Long>> seen = new ArrayList<>();
        pt.forEachPte(start, end, (va, e) -> seen.add(Map.entry(va, e)));
        return seen;
    }

    private void forEach() {
        long[] r = randomRange();
        assertThat(collect(r[0], r[1])).isEqualTo(new ArrayList<>(model.subMap(r[0], r[1]).entrySet()));
    }

    private static long change(long va, long e, int step) {
        if (((va >>> 12) + step) % 3 == 0) {
            return 0;
        }
        return Pte.mkold(Pte.wrprotect(e)) ^ 0x100 | Pte._PAGE_PRESENT;
    }

    private void update(int step) {
        long[] r = randomRange();
        List<Long> visited = new ArrayList<>();
        pt.updateRange(r[0], r[1], (va, e) -> {
            visited.add(va);
            assertThat(e).isEqualTo(model.get(va));
            return change(va, e, step);
        });
        assertThat(visited).isEqualTo(new ArrayList<>(model.subMap(r[0], r[1]).keySet()));
        for (long va : visited) {
            put(va, change(va, model.get(va), step));
        }
    }

    /** munmap: zap [addr, end) (usually), then free_pgd_range with floor ≤ addr, ceiling ≥ end. */
    private void munmap() {
        long[] r = randomRange();
        long addr = r[0];
        long end = r[1];
        if (random.nextInt(5) != 0) {
            pt.updateRange(addr, end, (va, e) -> 0);
            model.subMap(addr, end).clear();
        }
        long floor = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> addr;
            default -> addr - (long) (random.nextDouble() * addr) & -PAGE;
        };
        long ceiling = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> end;
            case 2 -> geo.top;
            default -> end + (long) (random.nextDouble() * (geo.top - end)) & -PAGE;
        };
        List<PageTable.TablePage> before = pt.tablePages();
        Set<Long> expectedFreed = expectedFreed(before, addr, end, floor, ceiling == 0 ? geo.top : ceiling);
        pt.freePgdRange(addr, end, floor, ceiling == geo.top && random.nextBoolean() ? 0 : ceiling);
        Set<Long> after = new HashSet<>();
        for (PageTable.TablePage p : pt.tablePages()) {
            after.add(p.pfn());
        }
        Set<Long> freed = new HashSet<>();
        for (PageTable.TablePage p : before) {
            if (!after.contains(p.pfn())) {
                freed.add(p.pfn());
            }
        }
        assertThat(freed).as("freed [%x, %x) floor %x ceiling %x", addr, end, floor, ceiling)
                .isEqualTo(expectedFreed);
    }

    private Set<Long> expectedFreed(List<PageTable.TablePage> pages, long addr, long end, long floor,
            long ceiling) {
        Map<String, Integer> levelOf = new HashMap<>();
        for (int l = 0; l < geo.nrLevels; l++) {
            levelOf.put(geo.names[l], l);
        }
        Set<Long> freed = new HashSet<>();
        Map<Long, Boolean> keptChildIn = new HashMap<>();
        for (int k = pages.size() - 1; k >= 0; k--) {   // children before parents
            PageTable.TablePage p = pages.get(k);
            int level = levelOf.get(p.level());
            if (level == 0) {
                continue;
            }
            long span = geo.entrySize(level - 1);
            long key = ((long) level << 58) | p.address();
            boolean empty = level == geo.leafLevel ? p.nrEntries() == 0 : !keptChildIn.containsKey(key);
            boolean free = empty && p.address() < end && p.address() + span > addr
                    && p.address() >= floor && p.address() + span <= ceiling;
            if (free) {
                freed.add(p.pfn());
            } else {
                long parentKey = ((long) (level - 1) << 58) | (p.address() & -spanOf(level - 1));
                keptChildIn.put(parentKey, true);
            }
        }
        return freed;
    }

    /** The bytes a table at {@code level} maps (the pgd maps everything). */
    private long spanOf(int level) {
        return level == 0 ? geo.top : geo.entrySize(level - 1);
    }

    private Set<Long> framesInTree() {
        Set<Long> pfns = new HashSet<>();
        for (PageTable.TablePage p : pt.tablePages()) {
            pfns.add(p.pfn());
        }
        return pfns;
    }
}
