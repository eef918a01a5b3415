package org.mmsim.kernel.phys;

import java.util.List;

/** A NUMA node: {@code pglist_data}, include/linux/mmzone.h, as a read-only view. */
public record NodeView(int nid, List<Integer> cpus, long memoryBytes, List<Integer> distances,
        long startPfn, long spannedPages, long presentPages, long managedPages, long freePages) {
}
