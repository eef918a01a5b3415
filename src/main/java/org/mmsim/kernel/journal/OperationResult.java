package org.mmsim.kernel.journal;

/** What an operation did: one record per operation kind, shown to the client and journaled. */
public sealed interface OperationResult permits AllocPages.Result, FreePages.Result,
        CreateProcess.Result, Exit.Result, Mmap.Result, Munmap.Result, Mprotect.Result, Brk.Result, Sbrk.Result,
        SetMempolicy.Result, Mbind.Result, Touch.Result, Malloc.Result, Free.Result, Mallopt.Result, Fork.Result, Exec.Result,
        Wait.Result, Kmalloc.Result, Kfree.Result, Vmalloc.Result, Vfree.Result, SetOomScoreAdj.Result {
}
