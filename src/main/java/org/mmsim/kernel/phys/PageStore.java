package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * {@code struct page} metadata (include/linux/mm_types.h), the sparse {@code mem_map}: a record
 * per block head in a {@link PfnTable} shared with every zone's {@link BuddyAllocator}, which
 * keeps its free blocks there as the kernel keeps {@code PageBuddy} pages in {@code struct page}.
 * Reserved frames are described by boot ranges, untouched order-10 runs by the allocators'
 * pristine ranges. Tail pages of a higher-order block have no record of their own: their head
 * is found by alignment.
 *
 * <p>A record is four {@code long}s (fields, each in its own stripe of the chunk), like a
 * compressed {@code struct page} with its unions:
 * <pre>
 *   [0] flags:    bits 0-3 order, 4-6 migratetype, 7 PageBuddy, 8 PG_head (an allocated block
 *                 starts here), 9 "counters differ from a fresh allocation's";
 *                 allocated: 32-63 the allocation's gfp mask;
 *                 free: 10-63 the next pfn on the free list plus one (0: end of list)
 *   [1] prev      free: the previous pfn on the list (BuddyAllocator)
 *   [2] counters  ((mapcount + 1) << 32) + (refcount - 1): {@code _mapcount} (-1 when unmapped)
 *                 and {@code _refcount} (1 after allocation) as one signed sum, so a fault or a
 *                 fork adding a reference and a mapping, or a zap dropping both, is one add
 *   [3] owner     ({@link #OWNER_KERNEL} is 0)
 * </pre>
 * e.g. an order-2 MOVABLE block allocated with GFP_HIGHUSER_MOVABLE (0x100cca) has flags
 * {@code 0x100cca_0000_0000 | 0x100 | 1 << 4 | 2 = 0x00100cca00000112}; the same block free
 * on the MOVABLE list in front of pfn 0x1000 has {@code (0x1000 + 1) << 10 | 0x80 | 1 << 4 | 2
 * = 0x400492}. Allocation and freeing read and write the one flags word of a pfn, so the
 * hot stripe is 8 bytes per frame. The counters are kept as
 * differences from what {@code alloc_pages} gives a page, so a fresh allocation has both cold
 * fields at zero: allocating and freeing touch only the flags stripe, and the cold stripes stay out of the
 * cache until a counter really changes (bit 8 says so, and freeing then zeroes them).
 */
public final class PageStore {
    /** {@code owner} of a page the kernel allocated for itself through {@code alloc_pages}. */
    public static final int OWNER_KERNEL = 0;
    /** An anonymous page a process maps ({@code PageAnon}). */
    public static final int OWNER_ANON = 1;
    /** A page-table page of a process ({@code PageTable}, counted as VmPTE). */
    public static final int OWNER_PGTABLE = 2;
    /** A shared anonymous (shmem) page. */
    public static final int OWNER_SHMEM = 3;
    /** A page-cache page of a program image ({@code folio->mapping} a file). */
    public static final int OWNER_FILE = 4;
    /** A page of a SLUB slab ({@code PageSlab}, {@code folio_test_slab}): counted in NR_SLAB_*. */
    public static final int OWNER_SLAB = 5;
    /** An order-0 page backing a vmalloc area ({@code vm_struct.pages[]}): counted in VmallocUsed. */
    public static final int OWNER_VMALLOC = 6;
    /** A kmalloc above KMALLOC_MAX_CACHE_SIZE ({@code ___kmalloc_large_node}): counted in NR_SLAB_UNRECLAIMABLE_B. */
    public static final int OWNER_KMALLOC_LARGE = 7;
    /** A page table of {@code init_mm} (the kernel's vmalloc area): counted in NR_PAGETABLE, owned by no process. */
    public static final int OWNER_KERNEL_PGTABLE = 8;
    /** Whether a page of {@code owner} belongs to the kernel itself (no process maps or caches it). */
    public static boolean isKernelOwner(int owner) {
        return owner == OWNER_KERNEL || owner >= OWNER_SLAB;
    }

    /** What the pfn-returning queries answer when there is no such block. */
    public static final long NO_PFN = -1;

    // The record, shared with BuddyAllocator (see the class comment): field offsets in a chunk.
    static final int FLAGS = 0;
    /** Used by the free lists only. */
    static final int PREV = PfnTable.CHUNK_PFNS;
    private static final int COUNTERS = 2 * PfnTable.CHUNK_PFNS;
    private static final int OWNER = 3 * PfnTable.CHUNK_PFNS;
    private static final int FIELDS = 4;
    /** FLAGS and PREV: a chunk gets the counter stripes only when a counter is first set. */
    private static final int HOT_FIELDS = 2;
    // FLAGS bits common to both users
    static final long ORDER_MASK = 0xf;
    static final int MT_SHIFT = 4;
    static final long MT_MASK = 0x7;
    /** {@code PageBuddy}: a free block starts here (BuddyAllocator's). */
    static final long PG_BUDDY = 1 << 7;
    /** An allocated block starts here (a compound page's {@code PG_head}, or an order-0 page). */
    private static final long PG_HEAD = 1 << 8;
    private static final long PG_COUNTERS = 1 << 9;
    /** Free block: bits 10-63 hold the next pfn on its list plus one. */
    static final int NEXT_SHIFT = 10;
    /** Allocated block: bits 32-63 hold its gfp mask. */
    private static final int GFP_SHIFT = 32;

    /** The shared table, for the zones' buddy allocators. */
    PfnTable memMap() {
        return table;
    }

    private final PfnTable table = new PfnTable(FIELDS, HOT_FIELDS);
    private long nrHeads;

    /** Records an allocated block. */
    void add(long headPfn, int blockOrder, int mt, int gfpMask, int ownerId) {
        long[] c = table.chunkForWrite(headPfn);
        int i = PfnTable.index(headPfn);
        c[i + FLAGS] = ((long) gfpMask << GFP_SHIFT) | PG_HEAD | ((long) mt << MT_SHIFT) | blockOrder;
        nrHeads++;
        if (ownerId != OWNER_KERNEL) {
            setCounters(headPfn, 1, -1, ownerId);
        }
    }

    /** Forgets the block at {@code headPfn} (which must be recorded). */
    void remove(long headPfn) {
        removeAt(table.chunk(headPfn), headPfn);
    }

    /** {@link #remove} with {@code headPfn}'s chunk {@code c} already found. */
    void removeAt(long[] c, long headPfn) {
        int i = PfnTable.index(headPfn);
        if ((c[i + FLAGS] & PG_COUNTERS) != 0) {
            c[i + COUNTERS] = 0;
            c[i + OWNER] = 0;
        }
        c[i + FLAGS] = 0;
        nrHeads--;
    }

    private long flags(long pfn) {
        long[] c = table.chunk(pfn);
        return c == null ? 0 : c[PfnTable.index(pfn) + FLAGS];
    }

    /** A field of the record at {@code headPfn}; a cold field the chunk has no stripe for reads 0. */
    private long field(long headPfn, int field) {
        long[] c = table.chunk(headPfn);
        int i = PfnTable.index(headPfn) + field;
        return i < c.length ? c[i] : 0;
    }

    /**
     * Whether an allocated block of exactly {@code order} starts at {@code pfn}, whose chunk
     * of the shared table is {@code c} (null: nothing recorded there).
     */
    static boolean isHeadOfOrder(long[] c, long pfn, int order) {
        if (c == null) {
            return false;
        }
        return (c[PfnTable.index(pfn) + FLAGS] & (PG_HEAD | ORDER_MASK)) == (PG_HEAD | order);
    }

    /** Whether an allocated block starts at {@code pfn}. */
    public boolean isHead(long pfn) {
        return (flags(pfn) & PG_HEAD) != 0;
    }

    /** The order of the allocated block starting at {@code pfn}, or -1 when none starts there. */
    public int headOrder(long pfn) {
        long f = flags(pfn);
        return (f & PG_HEAD) != 0 ? (int) (f & ORDER_MASK) : -1;
    }

    /** The head pfn of the allocated block containing {@code anyPfn}, or {@link #NO_PFN}. */
    public long headContaining(long anyPfn) {
        for (int o = 0; o <= BuddyAllocator.MAX_PAGE_ORDER; o++) {
            long h = anyPfn & ~((1L << o) - 1);
            if (headOrder(h) >= o) {
                return h;
            }
        }
        return NO_PFN;
    }

    /** The number of allocated blocks. */
    public long size() {
        return nrHeads;
    }

    public int order(long headPfn) {
        return (int) (field(headPfn, FLAGS) & ORDER_MASK);
    }

    public int migratetype(long headPfn) {
        return (int) ((field(headPfn, FLAGS) >>> MT_SHIFT) & MT_MASK);
    }

    public int gfp(long headPfn) {
        return (int) (field(headPfn, FLAGS) >>> GFP_SHIFT);
    }

    /** {@code page_ref_count()}. */
    public int refcount(long headPfn) {
        return refOf(field(headPfn, COUNTERS));
    }

    /** The raw {@code _mapcount}: -1 when unmapped, as the kernel initialises it. */
    public int mapcount(long headPfn) {
        return mapOf(field(headPfn, COUNTERS));
    }

    /** {@code _refcount} from a packed counters word: its low half, signed. */
    private static int refOf(long counters) {
        return (int) counters + 1;
    }

    /** {@code _mapcount} from a packed counters word: what is left above the signed low half. */
    private static int mapOf(long counters) {
        return (int) ((counters - (int) counters) >> 32) - 1;
    }

    /** The counters word for {@code refcount} and {@code mapcount}. */
    private static long pack(int refcount, int mapcount) {
        return ((mapcount + 1L) << 32) + (refcount - 1L);
    }

    public int owner(long headPfn) {
        return (int) field(headPfn, OWNER);
    }

    /** Allocated block heads in ascending pfn order. */
    long[] sortedHeads() {
        long[] out = new long[Math.toIntExact(nrHeads)];
        int n = 0;
        for (long base = table.nextChunk(0); base >= 0; base = table.nextChunk(base + PfnTable.CHUNK_PFNS)) {
            long[] c = table.chunk(base);
            for (int p = 0; p < PfnTable.CHUNK_PFNS; p++) {
                if ((c[FLAGS + p] & PG_HEAD) != 0) {
                    out[n++] = base + p;
                }
            }
        }
        return out;
    }

    void writeTo(DataOutputStream out) throws IOException {
        long[] heads = sortedHeads();
        out.writeInt(heads.length);
        for (long h : heads) {
            long f = field(h, FLAGS);
            out.writeLong(h);
            out.writeByte((int) (f & ORDER_MASK));
            out.writeByte((int) ((f >>> MT_SHIFT) & MT_MASK));
            out.writeInt((int) (f >>> GFP_SHIFT));
            out.writeInt(refcount(h));
            out.writeInt(mapcount(h));
            out.writeInt(owner(h));
        }
    }

    /**
     * Sets the cold counters of the freshly added block at {@code headPfn}: nothing to store when
     * they are a fresh allocation's, else the chunk gets its counter stripes and the record
     * {@code PG_COUNTERS}.
     */
    private void setCounters(long headPfn, int refcount, int mapcount, int ownerId) {
        if (refcount == 1 && mapcount == -1 && ownerId == OWNER_KERNEL) {
            return;
        }
        setPageCounters(headPfn, refcount, mapcount, ownerId);
    }

    /** Sets {@code _refcount}, {@code _mapcount} and the owner of the allocated block at {@code headPfn}. */
    void setPageCounters(long headPfn, int refcount, int mapcount, int ownerId) {
        long[] c = table.chunkWithAllFields(headPfn);
        int i = PfnTable.index(headPfn);
        c[i + COUNTERS] = pack(refcount, mapcount);
        c[i + OWNER] = ownerId;
        c[i + FLAGS] |= PG_COUNTERS;
    }

    /**
     * Adds to {@code _refcount} and {@code _mapcount} of the block at {@code headPfn} with one
     * lookup (a fault mapping a page: {@code folio_get} + {@code folio_add_*_rmap}).
     */
    void addPageCounters(long headPfn, int refDelta, int mapDelta) {
        addAndGetRefcount(headPfn, refDelta, mapDelta);
    }

    /**
     * {@link #addPageCounters}, answering the new {@code _refcount} (a zap's
     * {@code folio_remove_rmap_pte} + {@code folio_put} tests it for the last reference).
     */
    int addAndGetRefcount(long headPfn, int refDelta, int mapDelta) {
        long[] c = table.chunkWithAllFields(headPfn);
        int i = PfnTable.index(headPfn);
        long v = c[i + COUNTERS] + (((long) mapDelta << 32) + refDelta);
        c[i + COUNTERS] = v;
        long f = c[i + FLAGS];
        if ((f & PG_COUNTERS) == 0) {
            c[i + FLAGS] = f | PG_COUNTERS;
        }
        return refOf(v);
    }

    /** The counters word's change for one more reference and one more mapping. */
    private static final long ONE_REF_ONE_MAP = (1L << 32) + 1;

    /**
     * {@link #addPageCounters addPageCounters(pfn, 1, 1)} for each of {@code pfns[0..n)}, the
     * chunk looked up once per run of pfns in it: fork's {@code copy_pte_range} over one leaf
     * table, whose pages mostly sit side by side. Each must have an owner (a page a PTE maps:
     * anonymous, file or shmem), so its record has {@code PG_COUNTERS} since it was recorded
     * ({@link #setCounters}) and the flags stripe need not be read: that keeps the copy to the
     * counters stripe, a quarter of the memory traffic per page.
     */
    void getAndMapAll(long[] pfns, int n) {
        long key = -1;
        long[] c = null;
        for (int k = 0; k < n; k++) {
            long pfn = pfns[k];
            if (pfn >>> PfnTable.CHUNK_SHIFT != key) {
                c = table.chunkWithAllFields(pfn);
                key = pfn >>> PfnTable.CHUNK_SHIFT;
            }
            c[PfnTable.index(pfn) + COUNTERS] += ONE_REF_ONE_MAP;
        }
    }

    void readFrom(DataInputStream in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long h = in.readLong();
            int order = in.readByte();
            int mt = in.readByte();
            if (h < 0 || order < 0 || order > BuddyAllocator.MAX_PAGE_ORDER || mt < 0 || mt > MT_MASK) {
                throw new IOException("bad struct page record at pfn " + h);
            }
            add(h, order, mt, in.readInt(), OWNER_KERNEL);
            setCounters(h, in.readInt(), in.readInt(), in.readInt());
        }
    }
}
