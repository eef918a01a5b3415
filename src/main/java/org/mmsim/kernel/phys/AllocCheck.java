package org.mmsim.kernel.phys;

import java.util.ArrayList;
import java.util.List;

/**
 * "Could an order-N allocation succeed now, and if not why": {@code get_page_from_freelist()}'s
 * zonelist walk with {@code __zone_watermark_ok()} at WMARK_LOW (the fast path) and at WMARK_MIN
 * with the GFP's reserve access (the slow path after waking kswapd), done without taking a page.
 * Per zone: free pages against the mark plus {@code lowmem_reserve[highest_zoneidx]}, the
 * largest free order, the unusable-free-space and fragmentation indexes at the order, and a
 * verdict. The allocation would come from the first zone that passes the fast path, else the
 * first that passes the slow path. When none does and the mask may block ({@code __GFP_DIRECT_RECLAIM}),
 * the allocator would reclaim directly: the check answers path {@code "reclaim"} when some zone's free
 * plus reclaimable pages ({@code zone_reclaimable_pages}: the file LRU, and the anon LRU while swap has
 * room) would pass its min watermark — {@code should_reclaim_retry}'s own estimate; whether reclaim
 * really frees them (pages may be referenced, pinned or shmem) is not simulated ahead. No compaction.
 *
 * @param order         the requested order
 * @param gfp           the GFP mask as written
 * @param node          the node the allocation is made on ({@code alloc_pages_node})
 * @param highestZone   {@code gfp_zone(gfp)}: the highest zone the mask allows
 * @param wouldSucceed  whether {@code alloc_pages} would answer a block now
 * @param fromZone      the zone it would come from ({@code "N0-DMA32"}), or null
 * @param path          {@code "fast"} (WMARK_LOW), {@code "slow"} (WMARK_MIN, kswapd woken), {@code "reclaim"}
 *                      (after direct reclaim, by the kernel's estimate) or null
 * @param reason        why not, as the allocator reports a failure, or null
 * @param zones         every zone of the zonelist, in walk order
 */
public record AllocCheck(int order, String gfp, int node, String highestZone, boolean wouldSucceed, String fromZone,
                         String path, String reason, List<ZoneCheck> zones) {

    /**
     * One zone of the walk.
     *
     * @param allowed            false for a zone above the GFP mask's highest zone (skipped)
     * @param freePages          {@code NR_FREE_PAGES}
     * @param low                WMARK_LOW
     * @param min                WMARK_MIN as the slow path applies it (halved for {@code __GFP_HIGH}, …)
     * @param lowmemReserve      {@code lowmem_reserve[highest_zoneidx]}
     * @param largestFreeOrder   the highest order with a free block, -1 for none
     * @param unusableFreeIndex  {@code unusable_free_index(order)}, thousandths
     * @param fragmentationIndex {@code __fragmentation_index(order)}, thousandths (-1000: a block exists)
     * @param passesLow          {@code __zone_watermark_ok} at WMARK_LOW
     * @param passesMin          {@code __zone_watermark_ok} at the slow path's WMARK_MIN
     * @param verdict            ok, ok (slow path), below watermark, fragmented, would need compaction, not allowed
     * @param reclaimablePages   {@code zone_reclaimable_pages}: what direct reclaim could free in the zone
     */
    public record ZoneCheck(int nid, String zone, boolean allowed, long freePages, long low, long min,
                            long lowmemReserve, int largestFreeOrder, int unusableFreeIndex, int fragmentationIndex,
                            boolean passesLow, boolean passesMin, String verdict, long reclaimablePages) {
    }

    static AllocCheck check(PhysicalMemory pm, int order, String gfpText, int node) {
        pm.validateOrder(order);
        int gfp = Gfp.parse(gfpText);
        Gfp.validate(gfp);
        pm.validateNode(node);
        int highestIdx = pm.highestZoneIdx(gfp);
        int slowFlags = slowpathAllocFlags(order, gfp);
        List<ZoneCheck> zones = new ArrayList<>();
        String fromZone = null;
        String path = null;
        String slowZone = null;
        String reclaimZone = null;
        String highestName = Gfp.gfpZone(gfp, pm.config().arch()).procName();
        boolean anyAllowed = false;
        for (Zone z : pm.zonelistFor(node, (gfp & Gfp.__GFP_THISNODE) != 0)) {
            ZoneCheck c = zone(pm, z, order, highestIdx, slowFlags);
            zones.add(c);
            anyAllowed |= c.allowed();
            if (fromZone == null && c.passesLow()) {
                fromZone = "N" + z.nid + "-" + z.type.procName();
                path = "fast";
            }
            if (slowZone == null && c.passesMin()) {
                slowZone = "N" + z.nid + "-" + z.type.procName();
            }
            // should_reclaim_retry's test, for orders reclaim is retried for (no compaction here)
            if (reclaimZone == null && c.allowed() && c.reclaimablePages() > 0
                    && order <= PhysicalMemory.PAGE_ALLOC_COSTLY_ORDER
                    && PhysicalMemory.watermarkOk(z, c.freePages() + c.reclaimablePages(), order,
                            z.watermark[Zone.WMARK_MIN], highestIdx, slowFlags)) {
                reclaimZone = "N" + z.nid + "-" + z.type.procName();
            }
        }
        if (fromZone == null && slowZone != null) {
            fromZone = slowZone;
            path = "slow";
        }
        if (fromZone == null && reclaimZone != null && (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0 && pm.canDirectReclaim()) {
            fromZone = reclaimZone;
            path = "reclaim";
        }
        String reason = fromZone != null ? null : anyAllowed ? PhysicalMemory.NO_MEMORY : PhysicalMemory.NO_ZONE;
        return new AllocCheck(order, Gfp.format(gfp), node, highestName, fromZone != null, fromZone, path, reason,
                List.copyOf(zones));
    }

    private static ZoneCheck zone(PhysicalMemory pm, Zone z, int order, int highestIdx, int slowFlags) {
        List<Long> nrFree = new ArrayList<>();
        int largest = -1;
        for (int o = 0; o < PhysicalMemory.NR_PAGE_ORDERS; o++) {
            long n = z.buddy.nrFree(o);
            nrFree.add(n);
            if (n > 0) {
                largest = o;
            }
        }
        Fragmentation.ContigPageInfo info = Fragmentation.fillContigPageInfo(nrFree, order);
        int unusable = Fragmentation.unusableFreeIndex(order, info);
        int fragindex = Fragmentation.fragmentationIndex(order, info);
        long free = z.buddy.freePages();
        long reserve = z.lowmemReserve[highestIdx];
        long min = effectiveMin(z.watermark[Zone.WMARK_MIN], slowFlags);
        boolean allowed = z.zoneIdx <= highestIdx;
        boolean low = allowed && PhysicalMemory.zoneWatermarkOk(z, order, z.watermark[Zone.WMARK_LOW], highestIdx,
                Zone.WMARK_LOW);
        boolean passesMin = allowed && PhysicalMemory.zoneWatermarkOk(z, order, z.watermark[Zone.WMARK_MIN],
                highestIdx, slowFlags);
        String verdict;
        if (!allowed) {
            verdict = "not allowed: above the GFP mask's highest zone";
        } else if (free - ((1L << order) - 1) <= min + reserve) {
            verdict = "below watermark: " + free + " free pages, need more than " + (min + reserve)
                    + " (min " + min + " + lowmem_reserve " + reserve + ") + " + ((1L << order) - 1);
        } else if (order > 0 && largest < order) {
            verdict = fragindex > Fragmentation.EXTFRAG_THRESHOLD
                    ? "would need compaction: no free block of order >= " + order + ", fragmentation index "
                            + Fragmentation.format(fragindex, 0) + " > extfrag_threshold 0.500"
                    : "fragmented: no free block of order >= " + order + " (fragmentation index "
                            + Fragmentation.format(fragindex, 0) + ": short of memory rather than fragmented)";
        } else if (low) {
            verdict = "ok";
        } else {
            verdict = "ok on the slow path: below the low watermark (kswapd woken), above min";
        }
        return new ZoneCheck(z.nid, z.type.procName(), allowed, free, z.watermark[Zone.WMARK_LOW], min, reserve,
                largest, unusable, fragindex, low, passesMin, verdict, pm.zoneReclaimablePages(z.nid, z.zoneIdx));
    }

    /** The alloc flags {@code __alloc_pages_slowpath} retries with: WMARK_MIN plus the GFP's reserve access. */
    static int slowpathAllocFlags(int order, int gfp) {
        int allocFlags = Zone.WMARK_MIN;
        if ((gfp & Gfp.__GFP_HIGH) != 0) {
            allocFlags |= PhysicalMemory.ALLOC_MIN_RESERVE;
        }
        if ((gfp & Gfp.__GFP_DIRECT_RECLAIM) == 0) {
            if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                allocFlags |= PhysicalMemory.ALLOC_NON_BLOCK;
            }
            if (order > 0 && (allocFlags & PhysicalMemory.ALLOC_MIN_RESERVE) != 0) {
                allocFlags |= PhysicalMemory.ALLOC_HIGHATOMIC;
            }
        }
        return allocFlags;
    }

    /** The mark {@code __zone_watermark_ok} compares with after its reserve reductions. */
    private static long effectiveMin(long mark, int allocFlags) {
        long min = mark;
        if ((allocFlags & PhysicalMemory.ALLOC_RESERVES) != 0 && (allocFlags & PhysicalMemory.ALLOC_MIN_RESERVE) != 0) {
            min -= min / 2;
            if ((allocFlags & PhysicalMemory.ALLOC_NON_BLOCK) != 0) {
                min -= min / 4;
            }
        }
        return min;
    }
}
