package org.mmsim.kernel.paging;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.machine.Arch;

/**
 * A process's page tables: the radix tree under {@code mm->pgd}, include/linux/pgtable.h,
 * mm/memory.c and arch/x86/mm/pgtable.c. Its table pages are frames of the simulated machine,
 * taken from and returned to a {@link TableAllocator}.
 *
 * <p>Sections, in order: the allocator and view types; {@code pgd_alloc}; the hot path
 * ({@link #get}, {@link #set}, {@link #clear}, {@link #pteTable}: a walk follows child references,
 * and the last leaf table used is remembered, so neighbouring addresses skip the walk); range
 * walks ({@link #forEachPte}, {@link #updateRange}); freeing ({@link #freePgdRange}, {@link
 * #destroy}); views ({@link #walk}, {@link #tablePages}, accounting); invariants and the codec,
 * which live in {@link PageTableInvariants} and {@link PageTableCodec}.
 *
 * <p>Addresses are user virtual addresses below 2<sup>48</sup> (x86_64), 2<sup>57</sup> (LA57)
 * or 2<sup>32</sup> (i386); the kernel half has no entries here. Not thread-safe: the caller
 * holds the mm's lock.
 */
public final class PageTable {
    /** The allocator's "no frame" answer. */
    public static final long NO_PFN = -1;

    /** Where table pages come from: the simulator's buddy allocator (GFP_PGTABLE_USER). */
    public interface TableAllocator {
        /** A zeroed order-0 frame for a table page, or -1 (NO_PFN) when memory is exhausted. */
        long allocTablePage();

        void freeTablePage(long pfn);

        /**
         * The all-zero entries array of a new leaf table of {@code ptrs} entries. The default is a
         * new array; an allocator may hand back one {@link #recycleLeafEntries recycled} from a
         * freed leaf, still in the CPU's cache, as the kernel's per-CPU page lists hand back hot
         * pages. Only the host's memory traffic differs: the simulated state is the same.
         */
        default long[] leafEntries(int ptrs) {
            return new long[ptrs];
        }

        /** Takes back the entries of a freed leaf table, every one none (zero), for reuse. */
        default void recycleLeafEntries(long[] entries) {
        }
    }

    /** Receives each non-none PTE of a range walk. */
    @FunctionalInterface
    public interface PteVisitor {
        void visit(long va, long pte);
    }

    /** Returns the new value of each non-none PTE of a range walk (0 clears it). */
    @FunctionalInterface
    public interface PteUpdater {
        long update(long va, long pte);
    }

    /** One step of an MMU walk: the level's name, the index used, the entry read, and the table's frame. */
    public record Level(String name, int index, long entry, long tablePfn) {
    }

    /**
     * An MMU walk ({@code follow_pte}, or the CPU's page walk): the levels read, top first.
     * {@code complete} is true when the walk reached the pte level; {@code pte} is the entry read
     * there (possibly none or non-present), 0 when incomplete.
     */
    public record Walk(List<Level> levels, long pte, boolean complete) {
        public Walk {
            levels = List.copyOf(levels);
        }
    }

    /** A table page for the page-table view: level name, frame, first address mapped, non-none entries. */
    public record TablePage(String level, long pfn, long address, int nrEntries) {
    }

    final Geometry geo;
    final TableAllocator allocator;
    Ptdesc pgd;
    /** Table pages per level (index 0: the pgd). */
    final long[] nrTables;
    long pgtablesBytes;

    private final int indexMask;
    private final int leafLevel;
    private final int[] shift;
    /** Clears the bits below {@code PMD_SIZE}: two addresses with the same result share a leaf table. */
    private final long leafBaseMask;
    /** Set bits of an address the tree does not map. */
    private final long outsideMask;
    /** The leaf table used last and its base address ({@code -1}: none; never equals a masked address). */
    private long cachedLeafBase = -1;
    private Ptdesc cachedLeaf;
    /** Frames taken for one {@link #set}'s missing tables, before any is linked in. */
    private final long[] newTablePfns;

    PageTable(Geometry geo, TableAllocator allocator, Ptdesc pgd) {
        this.geo = geo;
        this.allocator = allocator;
        this.pgd = pgd;
        this.nrTables = new long[geo.nrLevels];
        this.indexMask = geo.indexMask;
        this.leafLevel = geo.leafLevel;
        this.shift = geo.shift;
        this.leafBaseMask = -geo.pmdSize;
        this.outsideMask = -geo.top;
        this.newTablePfns = new long[geo.nrLevels];
        nrTables[0] = 1;
    }

    /** {@code pgd_alloc()}: allocates the top-level table (returns null when allocTablePage fails). */
    public static PageTable create(Arch arch, TableAllocator allocator) {
        Geometry geo = Geometry.of(arch);
        long pfn = allocator.allocTablePage();
        if (pfn < 0) {
            return null;
        }
        return new PageTable(geo, allocator, new Ptdesc(pfn, 0, 0, geo.ptrsPerTable, false));
    }

    public Arch arch() {
        return geo.arch;
    }

    /** The top table's frame. */
    public long pgdPfn() {
        return pgd.pfn;
    }

    /** CR3 as Linux loads it on a switch ({@code __pa(mm->pgd)}, no PCID): {@code pgdPfn << 12}. */
    public long cr3() {
        return pgd.pfn << Arch.PAGE_SHIFT;
    }

    // ---- hot path ---------------------------------------------------------------------------

    /** {@code ptep_get()} after a walk: the PTE mapping va, or 0 when none (or a table on the way is missing). */
    public long get(long va) {
        Ptdesc leaf = lookupLeaf(va);
        return leaf == null ? 0 : leaf.entries[(int) (va >>> Arch.PAGE_SHIFT) & indexMask];
    }

    /**
     * {@code set_pte_at()} after {@code pud_alloc}/{@code pmd_alloc}/{@code pte_alloc}: stores
     * {@code pte}, allocating missing tables top-down. Returns false, with nothing changed, when a
     * table page cannot be allocated (frames already taken for this call are given back, where
     * the kernel would keep the upper tables). Setting 0 where no table exists allocates nothing.
     */
    public boolean set(long va, long pte) {
        Ptdesc leaf = lookupLeaf(va);
        if (leaf == null) {
            if (pte == 0) {
                checkUserAddress(va);
                return true;
            }
            leaf = allocLeaf(va);
            if (leaf == null) {
                return false;
            }
        }
        long[] entries = leaf.entries;
        int i = (int) (va >>> Arch.PAGE_SHIFT) & indexMask;
        long old = entries[i];
        entries[i] = pte;
        leaf.nrEntries += (int) (((pte | -pte) >>> 63) - ((old | -old) >>> 63));
        return true;
    }

    /** {@code ptep_get_and_clear()}: sets 0 and returns the old value; never frees tables. */
    public long clear(long va) {
        Ptdesc leaf = lookupLeaf(va);
        if (leaf == null) {
            return 0;
        }
        int i = (int) (va >>> Arch.PAGE_SHIFT) & indexMask;
        long old = leaf.entries[i];
        if (old != 0) {
            leaf.entries[i] = 0;
            leaf.nrEntries--;
        }
        return old;
    }

    /**
     * {@code pte_offset_map()} (or {@code pte_alloc_map()} when {@code create}): the leaf table
     * array holding va's entry, at {@link #pteIndex}; null when absent or when allocation failed.
     * The caller may read and write the array (the whole leaf table, {@link #pmdSize} of
     * addresses) like the kernel between {@code pte_offset_map_lock} and {@code
     * pte_unmap_unlock}: until its next call to {@link #freePgdRange}, {@link #tablePages},
     * {@link #checkInvariants} or {@link #destroy}, which recount the table's
     * entries. Get, set, clear and the range walks may be mixed with direct writes.
     */
    public long[] pteTable(long va, boolean create) {
        Ptdesc leaf = lookupLeaf(va);
        if (leaf == null) {
            if (!create) {
                return null;
            }
            leaf = allocLeaf(va);
            if (leaf == null) {
                return null;
            }
        }
        leaf.countStale = true;
        return leaf.entries;
    }

    /** {@code pte_index()}: the index of va in its leaf table. */
    public static int pteIndex(long va, Arch arch) {
        return (int) (va >>> Arch.PAGE_SHIFT) & Geometry.of(arch).indexMask;
    }

    /** {@code PMD_SIZE}: the bytes one leaf table maps (2 MiB on x86_64, 4 MiB on i386). */
    public static long pmdSize(Arch arch) {
        return Geometry.of(arch).pmdSize;
    }

    /** {@code pmd_addr_end()}: the end of va's leaf table, or {@code end} if that comes first. */
    public static long pmdAddrEnd(long va, long end, Arch arch) {
        return addrEnd(va, end, Geometry.of(arch).pmdSize);
    }

    private Ptdesc lookupLeaf(long va) {
        if ((va & leafBaseMask) == cachedLeafBase) {
            return cachedLeaf;
        }
        if ((va & outsideMask) != 0) {
            return null;
        }
        Ptdesc t = pgd;
        for (int l = 0; l < leafLevel; l++) {
            t = t.children[(int) (va >>> shift[l]) & indexMask];
            if (t == null) {
                return null;
            }
        }
        cachedLeafBase = va & leafBaseMask;
        cachedLeaf = t;
        return t;
    }

    /** Allocates every missing table on va's path, or none of them. */
    private Ptdesc allocLeaf(long va) {
        checkUserAddress(va);
        Ptdesc t = pgd;
        int level = 0;
        while (level < leafLevel) {
            Ptdesc child = t.children[geo.index(va, level)];
            if (child == null) {
                break;
            }
            t = child;
            level++;
        }
        int needed = leafLevel - level;
        for (int k = 0; k < needed; k++) {
            long pfn = allocator.allocTablePage();
            if (pfn < 0) {
                for (int j = k - 1; j >= 0; j--) {
                    allocator.freeTablePage(newTablePfns[j]);
                }
                return null;
            }
            newTablePfns[k] = pfn;
        }
        for (int k = 0; k < needed; k++) {
            t = populate(t, va, newTablePfns[k]);
        }
        cachedLeafBase = va & leafBaseMask;
        cachedLeaf = t;
        return t;
    }

    /** {@code pud_populate}/{@code pmd_populate}: links a new table under {@code parent}. */
    private Ptdesc populate(Ptdesc parent, long va, long pfn) {
        int i = geo.index(va, parent.level);
        int level = parent.level + 1;
        Ptdesc child = level == leafLevel
                ? new Ptdesc(pfn, level, va & -geo.entrySize(parent.level), allocator.leafEntries(geo.ptrsPerTable))
                : new Ptdesc(pfn, level, va & -geo.entrySize(parent.level), geo.ptrsPerTable, false);
        parent.link(i, child, tableEntry(pfn));
        account(child, +1);
        return child;
    }

    /** The value of an intermediate entry pointing at the table in frame {@code pfn}: {@code _PAGE_TABLE | pfn << 12}. */
    static long tableEntry(long pfn) {
        return Pte._PAGE_TABLE | (pfn << Arch.PAGE_SHIFT);
    }

    void account(Ptdesc table, int delta) {
        nrTables[table.level] += delta;
        if (geo.accounted[table.level]) {
            pgtablesBytes += (long) delta * geo.tableBytes();
        }
    }

    private void checkUserAddress(long va) {
        if ((va & outsideMask) != 0) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(va)
                    + " is outside the " + geo.arch.id() + " user page tables");
        }
    }

    // ---- range walks ------------------------------------------------------------------------

    /**
     * Every non-none PTE in [start, end) in address order ({@code walk_page_range} without
     * callbacks for holes); missing or empty subtrees are skipped, so the cost follows the tables
     * present, not the range size. {@code end} is clamped to the top of the tree. The visitor
     * must not add or free tables.
     */
    public void forEachPte(long start, long end, PteVisitor visitor) {
        long top = geo.top;
        end = Long.compareUnsigned(end, top) > 0 ? top : end;
        if (Long.compareUnsigned(start, end) < 0) {
            forEachIn(pgd, start, end, visitor);
        }
    }

    private void forEachIn(Ptdesc t, long start, long end, PteVisitor visitor) {
        int level = t.level;
        int i0 = geo.index(start, level);
        int i1 = geo.index(end - 1, level);
        if (level == leafLevel) {
            long[] entries = t.entries;
            long base = t.address;
            int remaining = i0 == 0 && !t.countStale ? t.nrEntries : Integer.MAX_VALUE;
            for (int i = i0; i <= i1 && remaining > 0; i++) {
                long e = entries[i];
                if (e != 0) {
                    remaining--;
                    visitor.visit(base + ((long) i << Arch.PAGE_SHIFT), e);
                }
            }
            return;
        }
        Ptdesc[] children = t.children;
        long[] present = t.present;
        long size = geo.entrySize(level);
        for (int w = i0 >>> 6, last = i1 >>> 6; w <= last; w++) {
            long bits = present[w] & firstBits(w, i0) & lastBits(w, i1);
            while (bits != 0) {
                Ptdesc c = children[(w << 6) + Long.numberOfTrailingZeros(bits)];
                bits &= bits - 1;
                if (c.countStale || c.nrEntries != 0) {
                    forEachIn(c, Math.max(start, c.address), Math.min(end, c.address + size), visitor);
                }
            }
        }
    }

    /** The bits of bitmap word {@code w} at or after index {@code i0}. */
    private static long firstBits(int w, int i0) {
        return w == i0 >>> 6 ? -1L << i0 : -1L;
    }

    /** The bits of bitmap word {@code w} at or before index {@code i1}. */
    private static long lastBits(int w, int i1) {
        return w == i1 >>> 6 ? -1L >>> (63 - (i1 & 63)) : -1L;
    }

    /**
     * The same walk as {@link #forEachPte}, storing what the updater returns (0 clears the
     * entry) — the shape of {@code change_pte_range} and {@code zap_pte_range}. Never frees tables.
     */
    public void updateRange(long start, long end, PteUpdater updater) {
        long top = geo.top;
        end = Long.compareUnsigned(end, top) > 0 ? top : end;
        if (Long.compareUnsigned(start, end) < 0) {
            updateIn(pgd, start, end, updater);
        }
    }

    private void updateIn(Ptdesc t, long start, long end, PteUpdater updater) {
        int level = t.level;
        int i0 = geo.index(start, level);
        int i1 = geo.index(end - 1, level);
        if (level == leafLevel) {
            long[] entries = t.entries;
            long base = t.address;
            int remaining = i0 == 0 && !t.countStale ? t.nrEntries : Integer.MAX_VALUE;
            for (int i = i0; i <= i1 && remaining > 0; i++) {
                long e = entries[i];
                if (e != 0) {
                    remaining--;
                    long n = updater.update(base + ((long) i << Arch.PAGE_SHIFT), e);
                    entries[i] = n;
                    if (n == 0) {
                        t.nrEntries--;
                    }
                }
            }
            return;
        }
        Ptdesc[] children = t.children;
        long[] present = t.present;
        long size = geo.entrySize(level);
        for (int w = i0 >>> 6, last = i1 >>> 6; w <= last; w++) {
            long bits = present[w] & firstBits(w, i0) & lastBits(w, i1);
            while (bits != 0) {
                Ptdesc c = children[(w << 6) + Long.numberOfTrailingZeros(bits)];
                bits &= bits - 1;
                if (c.countStale || c.nrEntries != 0) {
                    updateIn(c, Math.max(start, c.address), Math.min(end, c.address + size), updater);
                }
            }
        }
    }

    // ---- freeing ----------------------------------------------------------------------------

    /**
     * {@code free_pgd_range(tlb, addr, end, floor, ceiling)}, mm/memory.c: frees the table pages
     * that map only [addr, end), where floor is the end of the previous VMA (0: none) and ceiling
     * the start of the next (0: none, the top). As in the kernel, a table is considered only if
     * it lies entirely within [floor, ceiling), so one shared with a neighbouring VMA survives.
     * Unlike the kernel, a table still holding entries is kept rather than freed (the caller
     * clears the range first). The pgd itself is freed only by {@link #destroy()}.
     *
     * <p>Worked example (x86_64, PMD_SIZE 2 MiB): unmapping [0x401000, 0x402000) with the
     * previous VMA ending at floor 0x401000 rounds addr down to 0x400000, which is below floor, so
     * addr moves up to 0x600000 &gt; end − 1 and nothing is freed: the pte table is shared.
     */
    public void freePgdRange(long addr, long end, long floor, long ceiling) {
        long top = geo.top;
        // "addr 0 and floor 0 refer to the bottom, end 0 and ceiling 0 to the top": with top
        // spelled 2^vaBits, the kernel's "- 1" comparisons work on plain longs.
        end = end == 0 ? top : end;
        ceiling = ceiling == 0 ? top : ceiling;
        if (addr < 0 || end > top || floor < 0 || floor > top || ceiling < 0 || ceiling > top) {
            throw new IllegalArgumentException("free_pgd_range outside the user page tables");
        }
        long pmdSize = geo.pmdSize;
        addr &= -pmdSize;
        if (addr < floor) {
            addr += pmdSize;
        }
        ceiling &= -pmdSize;
        if (ceiling == 0) {
            return;
        }
        if (end - 1 > ceiling - 1) {
            end -= pmdSize;
        }
        if (addr > end - 1) {
            return;
        }
        freeTables(null, 0, pgd, addr, end, floor, ceiling);
    }

    /**
     * {@code free_p4d_range}/{@code free_pud_range}/{@code free_pmd_range} for the table {@code t}
     * (at {@code parent.children[parentIndex]}), then {@code free_pte_range} for its leaf children.
     */
    private void freeTables(Ptdesc parent, int parentIndex, Ptdesc t, long addr, long end,
            long floor, long ceiling) {
        long start = addr;
        int level = t.level;
        long size = geo.entrySize(level);
        do {
            long next = addrEnd(addr, end, size);
            int i = geo.index(addr, level);
            Ptdesc child = t.children[i];
            if (child != null) {
                if (child.level == leafLevel) {
                    if (child.nrEntries() == 0) {
                        unlink(t, i);
                    }
                } else {
                    freeTables(t, i, child, addr, next, floor, ceiling);
                }
            }
            addr = next;
        } while (addr != end);

        if (parent == null) {
            return;
        }
        long mask = -geo.entrySize(level - 1);
        start &= mask;
        if (start < floor) {
            return;
        }
        long c = ceiling & mask;
        if (c == 0 || end - 1 > c - 1) {
            return;
        }
        if (t.nrEntries() == 0) {
            unlink(parent, parentIndex);
        }
    }

    /** {@code p?d_addr_end()}: the next boundary of {@code size} after addr, or end if that comes first. */
    private static long addrEnd(long addr, long end, long size) {
        long boundary = (addr + size) & -size;
        return boundary - 1 < end - 1 ? boundary : end;
    }

    /** {@code pmd_clear} + {@code pte_free_tlb} (and the upper-level equivalents). */
    private void unlink(Ptdesc parent, int i) {
        Ptdesc child = parent.children[i];
        parent.unlink(i);
        account(child, -1);
        if (child == cachedLeaf) {
            cachedLeaf = null;
            cachedLeafBase = -1;
        }
        allocator.freeTablePage(child.pfn);
        if (child.children == null) {
            allocator.recycleLeafEntries(child.entries);
        }
    }

    /**
     * {@code free_pgtables()} over the whole space, then {@code pgd_free()} (exit_mmap): frees
     * every table page, leaf tables first in address order, the pgd last. The caller must have
     * cleared every entry; otherwise nothing is freed and IllegalStateException is thrown. The
     * table must not be used afterwards.
     */
    public void destroy() {
        for (TablePage page : tablePages()) {
            if (page.level().equals(geo.names[leafLevel]) && page.nrEntries() != 0) {
                throw new IllegalStateException("exit_mmap: the pte table at 0x"
                        + Long.toHexString(page.address()) + " still has " + page.nrEntries()
                        + " entries");
            }
        }
        freeSubtree(pgd);
        cachedLeaf = null;
        cachedLeafBase = -1;
        pgd = null;
    }

    private void freeSubtree(Ptdesc t) {
        if (t.children != null) {
            for (int i = 0; i < t.children.length; i++) {
                if (t.children[i] != null) {
                    freeSubtree(t.children[i]);
                }
            }
        }
        account(t, -1);
        allocator.freeTablePage(t.pfn);
        if (t.children == null && t.level == leafLevel) {
            allocator.recycleLeafEntries(t.entries);
        }
    }

    // ---- views and accounting ---------------------------------------------------------------

    /**
     * The MMU walk for translate: the levels the arch really has (i386: pgd, pte; x86_64: pgd,
     * pud, pmd, pte — p4d folded; LA57: pgd, p4d, pud, pmd, pte), each with index, the entry
     * read and the table's frame; stops after the first none entry. A canonical kernel-half
     * address indexes the upper half of the pgd, which is empty here.
     */
    public Walk walk(long va) {
        long index = va;
        if ((va & outsideMask) != 0) {
            boolean canonicalHigh = geo.arch.is64Bit() && (va >> (geo.vaBits - 1)) == -1;
            if (!canonicalHigh) {
                throw new IllegalArgumentException("address 0x" + Long.toHexString(va)
                        + " is not a " + geo.arch.id() + " virtual address");
            }
            index = va & (geo.top - 1);
        }
        List<Level> levels = new ArrayList<>(geo.nrLevels);
        Ptdesc t = pgd;
        for (int l = 0; ; l++) {
            int i = geo.index(index, l);
            long entry = t.entries[i];
            levels.add(new Level(geo.names[l], i, entry, t.pfn));
            if (l == leafLevel) {
                return new Walk(levels, entry, true);
            }
            if (entry == 0) {
                return new Walk(levels, 0, false);
            }
            t = t.children[i];
        }
    }

    /** {@code mm_pgtables_bytes()}: bytes of pud, pmd and pte table pages (p4d and pgd are not counted), /proc/PID/status VmPTE. */
    public long pgtablesBytes() {
        return pgtablesBytes;
    }

    /** Table pages in use, including the pgd. */
    public long nrTablePages() {
        long n = 0;
        for (long count : nrTables) {
            n += count;
        }
        return n;
    }

    /** Every table page with its level, frame, first address and non-none entries, in address order (a table before its children). */
    public List<TablePage> tablePages() {
        List<TablePage> pages = new ArrayList<>((int) Math.min(nrTablePages(), 1 << 20));
        collect(pgd, pages);
        return pages;
    }

    private void collect(Ptdesc t, List<TablePage> pages) {
        pages.add(new TablePage(geo.names[t.level], t.pfn, t.address, t.nrEntries()));
        if (t.children != null) {
            for (Ptdesc c : t.children) {
                if (c != null) {
                    collect(c, pages);
                }
            }
        }
    }

    // ---- invariants and codec ---------------------------------------------------------------

    /**
     * The debug checks ({@code VM_BUG_ON} in spirit): every table's entry count matches, each
     * intermediate entry is {@code _PAGE_TABLE | pfn << 12} of the recorded child at the right
     * level and address, no frame is used twice, per-level counts and {@link #pgtablesBytes()}
     * agree with the tree, and the remembered leaf is in the tree.
     */
    public void checkInvariants() {
        PageTableInvariants.check(this);
    }

    Ptdesc cachedLeaf() {
        return cachedLeaf;
    }

    long cachedLeafBase() {
        return cachedLeafBase;
    }

    /** Writes the tree: arch, then each table depth-first with its frame and non-none entries. */
    public void writeTo(DataOutputStream out) throws IOException {
        PageTableCodec.write(this, out);
    }

    /** Restores a table whose table-page frames are already allocated in the restored machine: never calls the allocator. */
    public static PageTable readFrom(DataInputStream in, Arch arch, TableAllocator allocator)
            throws IOException {
        return PageTableCodec.read(in, Geometry.of(arch), allocator);
    }
}
