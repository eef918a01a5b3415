package org.mmsim.kernel.phys;

import java.util.List;

/**
 * The external-fragmentation measures of mm/vmstat.c, as debugfs {@code extfrag/unusable_index}
 * and {@code extfrag/extfrag_index} print them: {@code fill_contig_page_info()},
 * {@code unusable_free_index()} and {@code __fragmentation_index()}. Both indexes are in
 * thousandths, as the kernel returns them, and printed {@code "%d.%03d"}.
 *
 * <p>Worked example: a zone with free blocks of order 0 ×4 and order 2 ×1 (8 free pages, 5
 * blocks). For order 2: suitable blocks 1, so unusable = (8 − 1·4)·1000/8 = 500 ("0.500") and
 * the fragmentation index is -1000 ("-1.000": the allocation would succeed). For order 3: no
 * suitable block, unusable = 1000, fragmentation = 1000 − (1000 + 8·1000/8)/5 = 600 ("0.600":
 * closer to 1 means failing for fragmentation rather than for lack of memory).
 */
public final class Fragmentation {
    /** {@code sysctl_extfrag_threshold}'s default: above it compaction, not reclaim, is the remedy. */
    public static final int EXTFRAG_THRESHOLD = 500;

    private Fragmentation() {
    }

    /** {@code struct contig_page_info}: free pages, free blocks, and blocks of at least the suitable order (in its units). */
    public record ContigPageInfo(long freePages, long freeBlocksTotal, long freeBlocksSuitable) {
    }

    /** {@code fill_contig_page_info()} from a zone's {@code nr_free} per order. */
    public static ContigPageInfo fillContigPageInfo(List<Long> nrFree, int suitableOrder) {
        long freePages = 0;
        long blocksTotal = 0;
        long suitable = 0;
        for (int order = 0; order < nrFree.size(); order++) {
            long blocks = nrFree.get(order);
            blocksTotal += blocks;
            freePages += blocks << order;
            if (order >= suitableOrder) {
                suitable += blocks << (order - suitableOrder);
            }
        }
        return new ContigPageInfo(freePages, blocksTotal, suitable);
    }

    /**
     * {@code unusable_free_index()}: the share of free memory in blocks too small for
     * {@code order}, 0 (none) .. 1000 (all; also when nothing is free).
     */
    public static int unusableFreeIndex(int order, ContigPageInfo info) {
        if (info.freePages() == 0) {
            return 1000;
        }
        return (int) Long.divideUnsigned((info.freePages() - (info.freeBlocksSuitable() << order)) * 1000L,
                info.freePages());
    }

    /**
     * {@code __fragmentation_index()}: -1000 when an allocation of {@code order} would succeed;
     * 0 when nothing is free; otherwise towards 0 a failure for lack of memory, towards 1000 a
     * failure for fragmentation: {@code 1000 − (1000 + free_pages·1000/2^order) / free_blocks_total}.
     */
    public static int fragmentationIndex(int order, ContigPageInfo info) {
        long requested = 1L << order;
        if (info.freeBlocksTotal() == 0) {
            return 0;
        }
        if (info.freeBlocksSuitable() != 0) {
            return -1000;
        }
        return (int) (1000 - (1000 + info.freePages() * 1000 / requested) / info.freeBlocksTotal());
    }

    /** {@link #unusableFreeIndex} of every order 0..10. */
    public static int[] unusableIndexes(List<Long> nrFree) {
        int[] out = new int[nrFree.size()];
        for (int o = 0; o < out.length; o++) {
            out[o] = unusableFreeIndex(o, fillContigPageInfo(nrFree, o));
        }
        return out;
    }

    /** {@link #fragmentationIndex} of every order 0..10. */
    public static int[] fragmentationIndexes(List<Long> nrFree) {
        int[] out = new int[nrFree.size()];
        for (int o = 0; o < out.length; o++) {
            out[o] = fragmentationIndex(o, fillContigPageInfo(nrFree, o));
        }
        return out;
    }

    /**
     * An index as the kernel prints it: {@code "%d.%03d"} of {@code index / 1000} and
     * {@code index % 1000} (C division truncates: -1000 → "-1.000"); {@code width} 2 for
     * extfrag_index's {@code "%2d.%03d"}.
     */
    public static String format(int index, int width) {
        return String.format("%" + (width > 0 ? width : "") + "d.%03d", index / 1000, index % 1000);
    }
}
