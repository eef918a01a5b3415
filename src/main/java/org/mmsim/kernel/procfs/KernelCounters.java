package org.mmsim.kernel.procfs;

import org.mmsim.kernel.machine.Machine;

/**
 * Counters owned by subsystems above the buddy allocator (LRU, slab, swap, page tables, page
 * cache), in pages, by their kernel names ({@code enum node_stat_item}). {@link #of(Machine)}
 * fills those the process layer moves ({@link PageCounters}); {@link #NONE} is a machine without
 * user memory. Slab pages count as unreclaimable (no simulated cache is SLAB_RECLAIM_ACCOUNT),
 * vmalloc pages as {@code vmallocUsedPages}; kernel stacks, swap and mlock are not simulated and stay 0.
 */
public record KernelCounters(
        long nrActiveAnon, long nrInactiveAnon, long nrActiveFile, long nrInactiveFile, long nrUnevictable,
        long nrMlock, long nrAnonPages, long nrMapped, long nrFilePages, long nrShmem, long nrDirty,
        long nrWriteback, long nrSlabReclaimable, long nrSlabUnreclaimable, long nrKernelStackKb,
        long nrPageTablePages, long nrSwapcached, long nrBuffers, long swapFreePages, long committedAsPages,
        long vmallocUsedPages, long nrKernelMiscReclaimable, long nrAnonThps) {

    public static final KernelCounters NONE = new KernelCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, -1, 0, 0, 0, 0);

    /** The machine-wide counters of {@code machine} now: {@code PageCounters.of(machine).total()}. */
    public static KernelCounters of(Machine machine) {
        return PageCounters.of(machine).total();
    }
}
