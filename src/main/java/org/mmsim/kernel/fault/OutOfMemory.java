package org.mmsim.kernel.fault;

/**
 * The page allocator's last resort as a fault sees it: {@code __alloc_pages_may_oom()} →
 * {@code out_of_memory()}, mm/oom_kill.c. A fault that found no frame calls it, then retries
 * if the faulting task is still alive.
 */
@FunctionalInterface
public interface OutOfMemory {
    /** No OOM killer: the fault ends in SIGKILL of the faulting task. */
    OutOfMemory NONE = st -> false;

    /**
     * Kills the task with the highest badness and frees its memory, recording the kill in
     * {@code st}. Answers true when the faulting task survived and should retry the fault;
     * false when it was the victim itself or no task could be killed.
     */
    boolean outOfMemory(FaultStats st);
}
