package org.mmsim.kernel.procfs;

/**
 * Counters owned by subsystems that come later (LRU, slab, swap, page tables, page cache), in
 * pages, by their kernel names ({@code enum node_stat_item}). {@link #NONE} until those exist;
 * the renderers print them from here so later issues only fill this record.
 */
public record KernelCounters(
        long nrActiveAnon, long nrInactiveAnon, long nrActiveFile, long nrInactiveFile, long nrUnevictable,
        long nrMlock, long nrAnonPages, long nrMapped, long nrFilePages, long nrShmem, long nrDirty,
        long nrWriteback, long nrSlabReclaimable, long nrSlabUnreclaimable, long nrKernelStackKb,
        long nrPageTablePages, long nrSwapcached, long nrBuffers, long swapFreePages, long committedAsPages,
        long vmallocUsedPages, long nrKernelMiscReclaimable, long nrAnonThps) {

    public static final KernelCounters NONE = new KernelCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, -1, 0, 0, 0, 0);
}
