package org.mmsim.kernel.libc;

/** Where {@code __libc_malloc} → {@code _int_malloc} found the chunk it returned, in the order malloc/malloc.c tries them. */
public enum MallocPath {
    /** {@code tcache_get} in {@code __libc_malloc}: a chunk of exactly this tcache bin's size. */
    TCACHE,
    /** The head of the fast bin for this size (further chunks of the size are stashed in the tcache). */
    FASTBIN,
    /** The small bin for this size (further chunks of the size are stashed in the tcache). */
    SMALLBIN,
    /** Split from {@code last_remainder}, the only chunk in the unsorted bin, for a small request. */
    LAST_REMAINDER,
    /** An exact fit met while sorting the unsorted bin. */
    UNSORTED_EXACT,
    /** Exact fits from the unsorted bin went to the tcache first; one of them was returned ({@code return_cached}). */
    UNSORTED_STASHED,
    /** Best fit in the request's own large bin, split if the rest is at least {@code MINSIZE}. */
    LARGEBIN,
    /** The smallest chunk of the next non-empty larger bin (the {@code binmap} search), split. */
    BINMAP,
    /** Split from the top chunk. */
    TOP,
    /** {@code sysmalloc} grew the heap with {@code sbrk} (or an mmap'd extension when sbrk failed) and split the new top. */
    SYSMALLOC_TOP,
    /** {@code sysmalloc} mmapped a chunk of its own ({@code nb >= mmap_threshold}). */
    MMAP,
    /** realloc kept the chunk where it was (it fit, or grew into the top or the next free chunk). */
    REALLOC_IN_PLACE,
    /** realloc(p, 0) freed p and returned NULL. */
    FREED,
    /** NULL: ENOMEM. */
    FAILED
}
