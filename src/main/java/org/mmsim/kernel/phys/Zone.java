package org.mmsim.kernel.phys;

/**
 * A memory zone: {@code struct zone}, include/linux/mmzone.h — its span, page counts,
 * watermarks, {@code lowmem_reserve}, its buddy allocator and its vm/numa counters.
 * Every node has all MAX_NR_ZONES zones; an empty one has no pages ({@code populated_zone} false).
 */
final class Zone {
    static final int WMARK_MIN = 0;
    static final int WMARK_LOW = 1;
    static final int WMARK_HIGH = 2;
    static final int WMARK_PROMO = 3;

    static final int NUMA_HIT = 0;
    static final int NUMA_MISS = 1;
    static final int NUMA_FOREIGN = 2;
    static final int NUMA_INTERLEAVE_HIT = 3;
    static final int NUMA_LOCAL = 4;
    static final int NUMA_OTHER = 5;

    final int nid;
    final ZoneType type;
    /** {@code zone_idx()}: the position in the node, which depends on the architecture. */
    final int zoneIdx;
    final long zoneStartPfn;
    final long spannedPages;
    final long presentPages;
    final long managedPages;
    final BuddyAllocator buddy;

    final long[] watermark = new long[4];
    long[] lowmemReserve;
    final long[] numa = new long[6];
    /** {@code PGALLOC} events for this zone, in pages. */
    long pgalloc;
    /** Pages of this zone in allocated blocks. */
    long allocatedPages;

    Zone(int nid, ZoneType type, int zoneIdx, long startPfn, long spannedPages, long presentPages,
            long managedPages, PageStore pages) {
        this.nid = nid;
        this.type = type;
        this.zoneIdx = zoneIdx;
        this.zoneStartPfn = spannedPages == 0 ? 0 : startPfn;
        this.spannedPages = spannedPages;
        this.presentPages = presentPages;
        this.managedPages = managedPages;
        this.buddy = new BuddyAllocator(this.zoneStartPfn, this.zoneStartPfn + spannedPages, pages);
    }

    boolean populated() {
        return presentPages > 0;
    }

    long endPfn() {
        return zoneStartPfn + spannedPages;
    }

    boolean spans(long pfn) {
        return pfn >= zoneStartPfn && pfn < zoneStartPfn + spannedPages;
    }

    String label() {
        return "Node " + nid + " zone " + type.procName();
    }
}
