package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code struct page} metadata (include/linux/mm_types.h) for the frames in use, and only for
 * them: one slot per allocated block head, found through a {@link PfnMap}. Free frames are
 * described by the free lists, reserved ones by boot ranges.
 *
 * <p>Fields live in parallel primitive arrays indexed by slot, so later subsystems can add
 * columns ({@code mapping}, {@code index}, rmap) without a per-page object. Tail pages of a
 * higher-order block have no slot: their head is found by alignment.
 */
public final class PageStore {
    /** {@code owner} of a page the kernel allocated for itself through {@code alloc_pages}. */
    public static final int OWNER_KERNEL = 0;

    private final PfnMap index = new PfnMap(1024);
    private long[] pfn = new long[256];
    private byte[] order = new byte[256];
    private byte[] migratetype = new byte[256];
    private int[] gfp = new int[256];
    private int[] refcount = new int[256];
    private int[] mapcount = new int[256];
    private int[] owner = new int[256];
    private int used;
    private int freeHead = -1;

    /** Records an allocated block; answers its slot. */
    int add(long headPfn, int blockOrder, int mt, int gfpMask, int ownerId) {
        int s = freeHead;
        if (s != -1) {
            freeHead = refcount[s];
        } else {
            if (used == pfn.length) {
                grow(used << 1);
            }
            s = used++;
        }
        pfn[s] = headPfn;
        order[s] = (byte) blockOrder;
        migratetype[s] = (byte) mt;
        gfp[s] = gfpMask;
        refcount[s] = 1;
        mapcount[s] = -1;
        owner[s] = ownerId;
        index.put(headPfn, s);
        return s;
    }

    /** Forgets the block at {@code headPfn} (which must be recorded). */
    void remove(long headPfn) {
        int s = index.remove(headPfn);
        refcount[s] = freeHead;
        freeHead = s;
    }

    private void grow(int cap) {
        pfn = Arrays.copyOf(pfn, cap);
        order = Arrays.copyOf(order, cap);
        migratetype = Arrays.copyOf(migratetype, cap);
        gfp = Arrays.copyOf(gfp, cap);
        refcount = Arrays.copyOf(refcount, cap);
        mapcount = Arrays.copyOf(mapcount, cap);
        owner = Arrays.copyOf(owner, cap);
    }

    /** The slot of the allocated block starting at {@code headPfn}, or {@link PfnMap#MISSING}. */
    public int slotOf(long headPfn) {
        return index.get(headPfn);
    }

    /** The slot of the allocated block containing {@code pfn}, or {@link PfnMap#MISSING}. */
    public int slotContaining(long anyPfn) {
        for (int o = 0; o <= BuddyAllocator.MAX_PAGE_ORDER; o++) {
            int s = index.get(anyPfn & ~((1L << o) - 1));
            if (s != PfnMap.MISSING && order[s] >= o) {
                return s;
            }
        }
        return PfnMap.MISSING;
    }

    public int size() {
        return index.size();
    }

    public long pfn(int slot) {
        return pfn[slot];
    }

    public int order(int slot) {
        return order[slot];
    }

    public int migratetype(int slot) {
        return migratetype[slot];
    }

    public int gfp(int slot) {
        return gfp[slot];
    }

    /** {@code page_ref_count()}. */
    public int refcount(int slot) {
        return refcount[slot];
    }

    /** The raw {@code _mapcount}: -1 when unmapped, as the kernel initialises it. */
    public int mapcount(int slot) {
        return mapcount[slot];
    }

    public int owner(int slot) {
        return owner[slot];
    }

    /** Allocated block heads in ascending pfn order. */
    long[] sortedHeads() {
        return index.sortedKeys();
    }

    void writeTo(DataOutputStream out) throws IOException {
        long[] heads = sortedHeads();
        out.writeInt(heads.length);
        for (long h : heads) {
            int s = index.get(h);
            out.writeLong(h);
            out.writeByte(order[s]);
            out.writeByte(migratetype[s]);
            out.writeInt(gfp[s]);
            out.writeInt(refcount[s]);
            out.writeInt(mapcount[s]);
            out.writeInt(owner[s]);
        }
    }

    void readFrom(DataInputStream in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long h = in.readLong();
            int s = add(h, in.readByte(), in.readByte(), in.readInt(), 0);
            refcount[s] = in.readInt();
            mapcount[s] = in.readInt();
            owner[s] = in.readInt();
        }
    }
}
