package org.mmsim.kernel.libc;

/** Where {@code __libc_free} → {@code _int_free} put a freed chunk, malloc/malloc.c. */
public enum FreePath {
    /** free(NULL): nothing. */
    NONE,
    /** {@code tcache_put}: the tcache bin had fewer than {@code tcache_count} (7) chunks. */
    TCACHE,
    /** The fast bin of its size ({@code size <= global_max_fast}); not coalesced. */
    FASTBIN,
    /** Coalesced with free neighbours and put in the unsorted bin. */
    UNSORTED,
    /** Coalesced into the top chunk. */
    TOP,
    /** An mmapped chunk: {@code munmap_chunk}. */
    MUNMAP
}
