package org.mmsim.kernel.phys;

import java.util.List;

/**
 * A zone as {@code /proc/zoneinfo} shows it: {@code struct zone}, include/linux/mmzone.h.
 *
 * @param protection {@code lowmem_reserve[]}, one entry per zone of the node
 * @param numaHit    numa counters are per allocation, as {@code zone_statistics} counts them
 * @param pgalloc    pages handed out from this zone ({@code pgalloc_<zone>})
 */
public record ZoneView(int nid, String name, int zoneIdx, boolean populated, long startPfn,
        long spannedPages, long presentPages, long managedPages, long freePages,
        long min, long low, long high, long promo, List<Long> protection,
        long numaHit, long numaMiss, long numaForeign, long numaInterleave, long numaLocal, long numaOther,
        long pgalloc, List<Long> nrFree, List<List<Long>> nrFreeByType, List<Long> pageblocksByType) {
}
