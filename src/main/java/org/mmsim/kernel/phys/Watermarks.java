package org.mmsim.kernel.phys;

import java.util.List;

/**
 * Boot-time zone reserves: {@code calculate_min_free_kbytes}, {@code __setup_per_zone_wmarks},
 * {@code setup_per_zone_lowmem_reserve} and {@code calculate_totalreserve_pages}
 * (mm/page_alloc.c), and khugepaged's {@code set_recommended_min_free_kbytes} (mm/khugepaged.c).
 */
final class Watermarks {
    private static final int PAGEBLOCK_NR_PAGES = 1 << BuddyAllocator.PAGEBLOCK_ORDER;
    /** {@code SWAP_CLUSTER_MAX}: the least a HIGHMEM/MOVABLE zone's min watermark may be. */
    private static final long SWAP_CLUSTER_MAX = 32;

    private Watermarks() {
    }

    /** Sets every zone's watermarks and lowmem_reserve; answers the min_free_kbytes in force. */
    static long setup(List<Zone> allZones, long userMinFreeKbytes, boolean thpEnabled, int watermarkScaleFactor) {
        setupPerZoneLowmemReserve(allZones);
        long minFreeKbytes = calculateMinFreeKbytes(allZones);
        setupPerZoneWmarks(allZones, minFreeKbytes, watermarkScaleFactor);
        if (thpEnabled) {
            minFreeKbytes = setRecommendedMinFreeKbytes(allZones, minFreeKbytes);
            setupPerZoneWmarks(allZones, minFreeKbytes, watermarkScaleFactor);
        }
        if (userMinFreeKbytes > 0) {
            minFreeKbytes = userMinFreeKbytes;
            setupPerZoneWmarks(allZones, minFreeKbytes, watermarkScaleFactor);
        }
        return minFreeKbytes;
    }

    /** {@code nr_free_zone_pages(gfp_zone(GFP_USER))}: Σ (managed − high) over zones up to NORMAL. */
    static long nrFreeBufferPages(List<Zone> allZones) {
        long sum = 0;
        for (Zone z : allZones) {
            if (z.type.isHighOrMovable() || z.type == ZoneType.DEVICE) {
                continue;
            }
            long high = z.watermark[Zone.WMARK_HIGH];
            if (z.managedPages > high) {
                sum += z.managedPages - high;
            }
        }
        return sum;
    }

    /** {@code calculate_min_free_kbytes}: {@code int_sqrt(lowmem_kbytes * 16)} clamped to [128, 262144]. */
    static long calculateMinFreeKbytes(List<Zone> allZones) {
        long lowmemKbytes = nrFreeBufferPages(allZones) * 4;
        long v = (long) Math.floor(Math.sqrt((double) (lowmemKbytes * 16)));
        while (v * v > lowmemKbytes * 16) {
            v--;
        }
        while ((v + 1) * (v + 1) <= lowmemKbytes * 16) {
            v++;
        }
        return Math.max(128, Math.min(262144, v));
    }

    /**
     * {@code set_recommended_min_free_kbytes}: 2 free pageblocks per zone plus
     * {@code MIGRATE_PCPTYPES²} for fallbacks, over populated zones up to {@code gfp_zone(GFP_USER)},
     * capped at 5% of {@code nr_free_buffer_pages()}; raises min_free_kbytes only.
     */
    static long setRecommendedMinFreeKbytes(List<Zone> allZones, long minFreeKbytes) {
        int nrZones = 0;
        for (Zone z : allZones) {
            if (z.populated() && z.zoneIdx <= normalIdx(allZones)) {
                nrZones++;
            }
        }
        long recommendedMin = (long) PAGEBLOCK_NR_PAGES * nrZones * 2
                + (long) PAGEBLOCK_NR_PAGES * nrZones * MigrateType.PCPTYPES * MigrateType.PCPTYPES;
        recommendedMin = Math.min(recommendedMin, nrFreeBufferPages(allZones) / 20);
        recommendedMin <<= 2;
        return Math.max(recommendedMin, minFreeKbytes);
    }

    private static int normalIdx(List<Zone> allZones) {
        for (Zone z : allZones) {
            if (z.type == ZoneType.NORMAL) {
                return z.zoneIdx;
            }
        }
        return 0;
    }

    /** {@code __setup_per_zone_wmarks}. */
    static void setupPerZoneWmarks(List<Zone> allZones, long minFreeKbytes, int watermarkScaleFactor) {
        long pagesMin = minFreeKbytes >> 2;
        long lowmemPages = 0;
        for (Zone z : allZones) {
            if (!z.type.isHighOrMovable()) {
                lowmemPages += z.managedPages;
            }
        }
        for (Zone z : allZones) {
            long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managedPages / lowmemPages;
            if (z.type.isHighOrMovable()) {
                z.watermark[Zone.WMARK_MIN] = Math.max(SWAP_CLUSTER_MAX, Math.min(128, z.managedPages / 1024));
            } else {
                z.watermark[Zone.WMARK_MIN] = tmp;
            }
            long m = z.managedPages;
            long frac = (m / 10000) * watermarkScaleFactor + ((m % 10000) * watermarkScaleFactor) / 10000;
            tmp = Math.max(tmp >> 2, frac);
            z.watermark[Zone.WMARK_LOW] = z.watermark[Zone.WMARK_MIN] + tmp;
            z.watermark[Zone.WMARK_HIGH] = z.watermark[Zone.WMARK_LOW] + tmp;
            z.watermark[Zone.WMARK_PROMO] = z.watermark[Zone.WMARK_HIGH] + tmp;
        }
    }

    /** {@code setup_per_zone_lowmem_reserve} with ratios 256 256 32 0 0. */
    static void setupPerZoneLowmemReserve(List<Zone> allZones) {
        int i = 0;
        while (i < allZones.size()) {
            int nid = allZones.get(i).nid;
            int j = i;
            while (j < allZones.size() && allZones.get(j).nid == nid) {
                j++;
            }
            List<Zone> node = allZones.subList(i, j);
            for (int a = 0; a < node.size(); a++) {
                Zone zone = node.get(a);
                zone.lowmemReserve = new long[node.size()];
                int ratio = zone.type.lowmemReserveRatio();
                boolean clear = ratio == 0 || zone.managedPages == 0;
                long managed = 0;
                for (int b = a + 1; b < node.size(); b++) {
                    managed += node.get(b).managedPages;
                    zone.lowmemReserve[b] = clear ? 0 : managed / ratio;
                }
            }
            i = j;
        }
    }

    /** {@code calculate_totalreserve_pages}: Σ min(managed, high + max lowmem_reserve). */
    static long totalreservePages(List<Zone> allZones) {
        long total = 0;
        for (Zone z : allZones) {
            long max = 0;
            for (int j = z.zoneIdx; j < z.lowmemReserve.length; j++) {
                max = Math.max(max, z.lowmemReserve[j]);
            }
            max += z.watermark[Zone.WMARK_HIGH];
            total += Math.min(max, z.managedPages);
        }
        return total;
    }
}
