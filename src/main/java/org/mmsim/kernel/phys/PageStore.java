package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * {@code struct page} metadata (include/linux/mm_types.h) for the frames in use, and only for
 * them: a record per allocated block head in a {@link PfnTable}. Free frames are described by
 * the free lists, reserved ones by boot ranges. Tail pages of a higher-order block have no
 * record of their own: their head is found by alignment.
 *
 * <p>A record is four {@code long}s (fields, each in its own stripe of the chunk), like a
 * compressed {@code struct page}:
 * <pre>
 *   [0] flags:    bits 0-3 order, 4-6 migratetype, 7 PG_head (an allocated block starts here),
 *                 8 "counters differ from a fresh allocation's", 32-63 the allocation's gfp mask
 *   [1] refcount - 1  ({@code _refcount}, 1 after allocation)
 *   [2] mapcount + 1  ({@code _mapcount}, -1 when unmapped)
 *   [3] owner         ({@link #OWNER_KERNEL} is 0)
 * </pre>
 * e.g. an order-2 MOVABLE block allocated with GFP_HIGHUSER_MOVABLE (0x100cca) has flags
 * {@code 0x100cca_0000_0000 | 0x80 | 1 << 4 | 2 = 0x00100cca000000b2}. The counters are kept as
 * differences from what {@code alloc_pages} gives a page, so a fresh allocation has all three at
 * zero: allocating and freeing touch only the flags stripe, and the cold stripes stay out of the
 * cache until a counter really changes (bit 8 says so, and freeing then zeroes them).
 */
public final class PageStore {
    /** {@code owner} of a page the kernel allocated for itself through {@code alloc_pages}. */
    public static final int OWNER_KERNEL = 0;
    /** What the pfn-returning queries answer when there is no such block. */
    public static final long NO_PFN = -1;

    private static final int FLAGS = 0;
    private static final int REFCOUNT = PfnTable.CHUNK_PFNS;
    private static final int MAPCOUNT = 2 * PfnTable.CHUNK_PFNS;
    private static final int OWNER = 3 * PfnTable.CHUNK_PFNS;
    private static final long ORDER_MASK = 0xf;
    private static final int MT_SHIFT = 4;
    private static final long MT_MASK = 0x7;
    private static final long PG_HEAD = 1 << 7;
    private static final long PG_COUNTERS = 1 << 8;
    private static final int GFP_SHIFT = 32;

    private final PfnTable table = new PfnTable(4);
    private long nrHeads;

    /** Records an allocated block. */
    void add(long headPfn, int blockOrder, int mt, int gfpMask, int ownerId) {
        long[] c = table.chunkForWrite(headPfn);
        int i = PfnTable.index(headPfn);
        long counters = ownerId != OWNER_KERNEL ? PG_COUNTERS : 0;
        c[i + FLAGS] = ((long) gfpMask << GFP_SHIFT) | counters | PG_HEAD | ((long) mt << MT_SHIFT) | blockOrder;
        if (counters != 0) {
            c[i + OWNER] = ownerId;
        }
        nrHeads++;
    }

    /** Forgets the block at {@code headPfn} (which must be recorded). */
    void remove(long headPfn) {
        long[] c = table.chunk(headPfn);
        int i = PfnTable.index(headPfn);
        if ((c[i + FLAGS] & PG_COUNTERS) != 0) {
            c[i + REFCOUNT] = 0;
            c[i + MAPCOUNT] = 0;
            c[i + OWNER] = 0;
        }
        c[i + FLAGS] = 0;
        nrHeads--;
    }

    private long flags(long pfn) {
        long[] c = table.chunk(pfn);
        return c == null ? 0 : c[PfnTable.index(pfn) + FLAGS];
    }

    private long field(long headPfn, int field) {
        return table.chunk(headPfn)[PfnTable.index(headPfn) + field];
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
        return (int) field(headPfn, REFCOUNT) + 1;
    }

    /** The raw {@code _mapcount}: -1 when unmapped, as the kernel initialises it. */
    public int mapcount(long headPfn) {
        return (int) field(headPfn, MAPCOUNT) - 1;
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

    /** Sets the cold counters of the block at {@code headPfn}, marking them as set when they differ from a fresh allocation's. */
    private void setCounters(long headPfn, int refcount, int mapcount, int ownerId) {
        long[] c = table.chunk(headPfn);
        int i = PfnTable.index(headPfn);
        c[i + REFCOUNT] = refcount - 1L;
        c[i + MAPCOUNT] = mapcount + 1L;
        c[i + OWNER] = ownerId;
        if (refcount != 1 || mapcount != -1 || ownerId != OWNER_KERNEL) {
            c[i + FLAGS] |= PG_COUNTERS;
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
