package org.mmsim.kernel.libc;

/** What a chunk is, for the teaching view: where malloc/malloc.c keeps it. */
public enum ChunkState {
    /** Held by the program. */
    IN_USE,
    /** The thread's {@code tcache_perthread_struct}, allocated by the first malloc. */
    TCACHE_PERTHREAD_STRUCT,
    /** In a tcache bin (looks in use to the arena). */
    TCACHE,
    /** In a fast bin (looks in use to the arena). */
    FASTBIN,
    /** In the unsorted bin (bin 1). */
    UNSORTED,
    /** In a small bin (2–63). */
    SMALL_BIN,
    /** In a large bin (64–126). */
    LARGE_BIN,
    /** The top chunk. */
    TOP,
    /** A fencepost (or the unusable rest of an old top) left where the heap became non-contiguous. */
    FENCEPOST,
    /** An mmapped chunk held by the program. */
    MMAPPED
}
