package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.KernelInputException;

/**
 * Seeded random sequences of inserts, erases, bound and flag changes, lookups and free-area
 * searches, each checked against a {@link TreeMap} model (linear scans, the obvious way) and
 * followed by {@link VmaTree#checkInvariants()}.
 */
class VmaTreeRandomTest {
    private static final long PAGE = VmaTree.PAGE_SIZE;

    /** A VMA in the model: end (exclusive) and flags, keyed by start. */
    private record Area(long end, long flags) {
    }

    private final TreeMap<Long, Area> model = new TreeMap<>();
    private final TreeMap<Long, Vma> nodes = new TreeMap<>();
    private VmaTree tree;
    private long guardGap;

    /** find_vma, the rb_subtree_gap augmentation and unmapped_area(_topdown) (mm/mmap.c ≤ 6.0) agree with a linear scan. */
    @ParameterizedTest(name = "seed {0}, {1} pages, guard gap {2} pages")
    @CsvSource({"1, 2048, 8", "2, 2048, 8", "3, 512, 4", "4, 8192, 256", "5, 65536, 256", "6, 1024, 0"})
    void treeShouldAgreeWithTreeMapModelAfterEveryStep(long seed, long spacePages, long guardPages) {
        Random random = new Random(seed);
        tree = new VmaTree(guardPages);
        guardGap = guardPages * PAGE;
        long space = spacePages * PAGE;
        for (int step = 0; step < 4000; step++) {
            int op = random.nextInt(100);
            if (op < 45 || model.isEmpty()) {
                insert(random, space);
            } else if (op < 70) {
                erase(random);
            } else if (op < 90) {
                adjust(random);
            } else {
                toggleGrowsdown(random);
            }
            try {
                tree.checkInvariants();
            } catch (IllegalStateException e) {
                throw new AssertionError("seed " + seed + ", step " + step + ", op " + op, e);
            }
            assertListMatchesModel();
            for (int q = 0; q < 4; q++) {
                query(random, space);
            }
        }
        assertThat(tree.view().mapCount()).isEqualTo(model.size());
    }

    private void insert(Random random, long space) {
        long start = random.nextLong(space / PAGE) * PAGE;
        long end = start + (1 + random.nextInt(16)) * PAGE;
        long flags = VmFlags.VM_READ | VmFlags.VM_WRITE | (random.nextInt(10) == 0 ? VmFlags.VM_GROWSDOWN : 0);
        Vma vma = new Vma(start, end, flags, start / PAGE);
        if (overlaps(start, end, -1)) {
            assertThatThrownBy(() -> tree.insert(vma)).isInstanceOf(KernelInputException.class);
            return;
        }
        tree.insert(vma);
        model.put(start, new Area(end, flags));
        nodes.put(start, vma);
    }

    private void erase(Random random) {
        Vma vma = pick(random);
        tree.erase(vma);
        model.remove(vma.vmStart());
        nodes.remove(vma.vmStart());
        assertThat(vma.linked()).isFalse();
    }

    private void adjust(Random random) {
        Vma vma = pick(random);
        Map.Entry<Long, Area> prev = model.lowerEntry(vma.vmStart());
        Map.Entry<Long, Vma> next = nodes.higherEntry(vma.vmStart());
        long lowest = prev == null ? 0 : prev.getValue().end();
        long highest = next == null ? vma.vmEnd() + 16 * PAGE : next.getKey();
        long start = lowest + random.nextLong((vma.vmEnd() - lowest) / PAGE) * PAGE;
        long end = start + (1 + random.nextLong((highest - start) / PAGE)) * PAGE;
        if (random.nextInt(8) == 0) {
            long badEnd = highest + PAGE;
            if (next != null) {
                assertThatThrownBy(() -> tree.vmaAdjust(vma, start, badEnd, 0)).isInstanceOf(KernelInputException.class);
            }
        }
        model.remove(vma.vmStart());
        nodes.remove(vma.vmStart());
        tree.vmaAdjust(vma, start, end, start / PAGE);
        model.put(start, new Area(end, vma.vmFlags()));
        nodes.put(start, vma);
    }

    private void toggleGrowsdown(Random random) {
        Vma vma = pick(random);
        long flags = vma.vmFlags() ^ VmFlags.VM_GROWSDOWN;
        tree.vmFlagsReset(vma, flags);
        model.put(vma.vmStart(), new Area(vma.vmEnd(), flags));
    }

    private Vma pick(Random random) {
        List<Vma> all = new ArrayList<>(nodes.values());
        return all.get(random.nextInt(all.size()));
    }

    private boolean overlaps(long start, long end, long ignoreStart) {
        Map.Entry<Long, Area> below = model.lowerEntry(end);
        return below != null && below.getKey() != ignoreStart && below.getValue().end() > start;
    }

    private void assertListMatchesModel() {
        List<long[]> actual = new ArrayList<>();
        for (Vma vma : tree) {
            actual.add(new long[] {vma.vmStart(), vma.vmEnd(), vma.vmFlags()});
        }
        List<long[]> expected = new ArrayList<>();
        model.forEach((start, area) -> expected.add(new long[] {start, area.end(), area.flags()}));
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(tree.mapCount()).isEqualTo(model.size());
    }

    private void query(Random random, long space) {
        long addr = random.nextLong(space + 32 * PAGE);
        Long expected = modelFindVma(addr);
        Vma found = tree.findVma(addr);
        assertThat(found == null ? null : found.vmStart()).as("find_vma(%x)", addr).isEqualTo(expected);
        Map.Entry<Long, Area> prev = expected == null ? model.lastEntry() : model.lowerEntry(expected);
        Vma foundPrev = tree.findVmaPrev(addr);
        assertThat(foundPrev == null ? null : foundPrev.vmStart()).isEqualTo(prev == null ? null : prev.getKey());
        long end = addr + random.nextInt(8 * (int) PAGE) + 1;
        Vma hit = tree.findVmaIntersection(addr, end);
        Long expectedHit = expected != null && expected < end ? expected : null;
        assertThat(hit == null ? null : hit.vmStart()).isEqualTo(expectedHit);

        long length = (1 + random.nextInt(random.nextBoolean() ? 4 : 64)) * PAGE;
        long low = random.nextLong(space / 2 / PAGE) * PAGE;
        long high = low + random.nextLong((space + 64 * PAGE - low) / PAGE) * PAGE;
        long alignMask = random.nextInt(4) == 0 ? ((1L << random.nextInt(4)) - 1) * PAGE : 0;
        long alignOffset = random.nextInt(8) * PAGE;
        assertThat(tree.unmappedAreaTopdown(length, low, high, alignMask, alignOffset))
                .as("unmapped_area_topdown(%x, %x, %x, %x, %x)", length, low, high, alignMask, alignOffset)
                .isEqualTo(modelTopdown(length, low, high, alignMask, alignOffset));
        assertThat(tree.unmappedArea(length, low, high, alignMask, alignOffset))
                .as("unmapped_area(%x, %x, %x, %x, %x)", length, low, high, alignMask, alignOffset)
                .isEqualTo(modelBottomup(length, low, high, alignMask, alignOffset));
    }

    private Long modelFindVma(long addr) {
        Map.Entry<Long, Area> floor = model.floorEntry(addr);
        if (floor != null && floor.getValue().end() > addr) {
            return floor.getKey();
        }
        return model.higherKey(addr);
    }

    private long startGap(long start, Area area) {
        return (area.flags() & VmFlags.VM_GROWSDOWN) == 0 ? start : Math.max(0, start - guardGap);
    }

    /** Every free gap as {start, end}, in address order, the one above the last VMA ending at Long.MAX_VALUE. */
    private List<long[]> gaps() {
        List<long[]> gaps = new ArrayList<>();
        long prevEnd = 0;
        for (Map.Entry<Long, Area> e : model.entrySet()) {
            gaps.add(new long[] {prevEnd, startGap(e.getKey(), e.getValue())});
            prevEnd = e.getValue().end();
        }
        gaps.add(new long[] {prevEnd, Long.MAX_VALUE});
        return gaps;
    }

    private static boolean fits(long[] gap, long searchLength, long lowLimit, long highLimit) {
        return gap[0] <= highLimit && gap[1] >= lowLimit && gap[1] > gap[0] && gap[1] - gap[0] >= searchLength;
    }

    /** The highest gap that can hold length + alignMask in [low, high), placed at its top, aligned down. */
    private long modelTopdown(long length, long low, long high, long alignMask, long alignOffset) {
        long searchLength = length + alignMask;
        if (high < searchLength || low > high - searchLength) {
            return VmaTree.ENOMEM;
        }
        List<long[]> gaps = gaps();
        for (int i = gaps.size() - 1; i >= 0; i--) {
            if (fits(gaps.get(i), searchLength, low + searchLength, high - searchLength)) {
                long addr = Math.min(gaps.get(i)[1], high) - length;
                return addr - ((addr - alignOffset) & alignMask);
            }
        }
        return VmaTree.ENOMEM;
    }

    /** The lowest gap that can hold length + alignMask in [low, high), placed at its bottom, aligned up. */
    private long modelBottomup(long length, long low, long high, long alignMask, long alignOffset) {
        long searchLength = length + alignMask;
        if (high < searchLength || low > high - searchLength) {
            return VmaTree.ENOMEM;
        }
        for (long[] gap : gaps()) {
            if (fits(gap, searchLength, low + searchLength, high - searchLength)) {
                long addr = Math.max(gap[0], low);
                return addr + ((alignOffset - addr) & alignMask);
            }
        }
        return VmaTree.ENOMEM;
    }
}
