package org.mmsim.kernel.phys;

/**
 * Page reclaim as the allocator's slow path calls it (mm/vmscan.c, implemented above the page
 * allocator in org.mmsim.kernel.reclaim, which needs the processes' page tables for the reverse
 * map).
 */
@FunctionalInterface
public interface Reclaimer {
    /**
     * {@code try_to_free_pages}: direct reclaim of {@code SWAP_CLUSTER_MAX} pages from the nodes
     * {@code nids} (zonelist order) for an allocation of {@code order} whose highest usable zone
     * index is {@code reclaimIdx}. Answers the pages reclaimed.
     */
    long tryToFreePages(int[] nids, int reclaimIdx, int order);
}
