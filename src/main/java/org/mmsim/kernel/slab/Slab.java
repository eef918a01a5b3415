package org.mmsim.kernel.slab;

/**
 * A slab: {@code struct slab}, mm/slab.h — {@code 2^order} frames of one cache cut into
 * {@code objects} equal objects. Object {@code i} starts {@code i * size} bytes into the first
 * frame's direct-map address.
 *
 * <p>The free objects are a bitmap instead of SLUB's in-object freelist: allocation takes the
 * lowest free index, so the choice is deterministic and independent of the free order (SLUB
 * pops the freelist head, which is the object freed last, or a random one under
 * {@code CONFIG_SLAB_FREELIST_RANDOM}).
 */
final class Slab {
    final KmemCache cache;
    /** The first frame ({@code slab_pfn}). */
    final long pfn;
    /** {@code slab_nid()}: the node its frames are on. */
    final int nid;
    /** {@code slab->inuse}: allocated objects. */
    int inuse;
    /** Bit {@code i} set: object {@code i} is free. */
    private final long[] freeMap;
    /** Bytes the caller asked for, per allocated object (0: free): internal fragmentation. */
    final int[] requestedBytes;

    Slab(KmemCache cache, long pfn, int nid) {
        this.cache = cache;
        this.pfn = pfn;
        this.nid = nid;
        int objects = cache.objects;
        this.freeMap = new long[(objects + 63) >>> 6];
        for (int i = 0; i < objects; i++) {
            freeMap[i >>> 6] |= 1L << i;
        }
        this.requestedBytes = new int[objects];
    }

    /** The lowest free object, or -1 when the slab is full. */
    int lowestFree() {
        for (int w = 0; w < freeMap.length; w++) {
            if (freeMap[w] != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(freeMap[w]);
            }
        }
        return -1;
    }

    boolean isFree(int index) {
        return (freeMap[index >>> 6] & (1L << index)) != 0;
    }

    void take(int index, int bytes) {
        freeMap[index >>> 6] &= ~(1L << index);
        requestedBytes[index] = bytes;
        inuse++;
    }

    void put(int index) {
        freeMap[index >>> 6] |= 1L << index;
        requestedBytes[index] = 0;
        inuse--;
    }

    /** Σ requested bytes of the allocated objects. */
    long requestedTotal() {
        long sum = 0;
        for (int b : requestedBytes) {
            sum += b;
        }
        return sum;
    }
}
