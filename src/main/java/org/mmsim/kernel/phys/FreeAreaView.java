package org.mmsim.kernel.phys;

import java.util.List;

/** A zone's {@code free_area[]} (include/linux/mmzone.h): per order, its count and a page of its blocks. */
public record FreeAreaView(int nid, String zone, List<Order> orders) {

    /**
     * One order: {@code nr_free} and the start pfns of its blocks, list by list in migratetype
     * order and each list from its head, from {@code offset}, at most {@code limit}.
     */
    public record Order(int order, long nrFree, List<Long> blockPfns) {
    }
}
