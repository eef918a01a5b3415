package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;

/**
 * A change a client makes to a machine: one immutable record per kind. Applying one is
 * deterministic: no clock, no unseeded randomness, no hash order.
 */
public sealed interface Operation permits AllocPages, FreePages, CreateProcess, Exit, Mmap, Munmap, Mprotect, Brk, Sbrk,
        SetMempolicy, Mbind, Touch, Malloc, Free, Mallopt, Fork, Exec, Wait, Kmalloc, Kfree,
        Vmalloc, Vfree, SetOomScoreAdj {

    /** The stable name the journal stores, in the kernel's spelling: {@code "alloc_pages"}. */
    String opName();

    /**
     * Applies this operation. Throws {@link org.mmsim.kernel.KernelInputException} on a caller
     * error before changing anything; returns what happened otherwise.
     */
    OperationResult applyTo(Machine machine);
}
