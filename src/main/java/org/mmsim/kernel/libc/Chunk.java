package org.mmsim.kernel.libc;

/**
 * A chunk header: {@code struct malloc_chunk}, malloc/malloc.c — {@code mchunk_prev_size},
 * {@code mchunk_size} with its flag bits, and the free-list links {@code fd}, {@code bk},
 * {@code fd_nextsize}, {@code bk_nextsize} that glibc keeps in the user area of a free chunk
 * (a tcache entry's {@code next} is {@code fd}: both sit at the user pointer).
 *
 * <p>A bin header ({@code bin_at}) is a chunk too, never in the heap map: its {@code address}
 * is negative ({@code -binIndex}), so no real chunk can equal it.
 *
 * <p>{@code allocated} is mmsim's own bookkeeping, not glibc's: the chunk was returned to the
 * program and not freed since. It lets {@code free} reject a bad pointer before touching state.
 */
final class Chunk {
    static final long PREV_INUSE = 0x1;
    static final long IS_MMAPPED = 0x2;
    static final long NON_MAIN_ARENA = 0x4;
    static final long SIZE_BITS = PREV_INUSE | IS_MMAPPED | NON_MAIN_ARENA;

    final long address;
    /**
     * {@code mchunk_prev_size}: the previous chunk's size when it is free; for an mmapped chunk,
     * its offset in the mapping.
     */
    long prevSize;
    /** {@code mchunk_size}: {@code chunksize_nomask}, the size with the flag bits. */
    long size;
    Chunk fd;
    Chunk bk;
    Chunk fdNextsize;
    Chunk bkNextsize;
    /** mmsim: held by the program (returned by malloc and not freed). */
    boolean allocated;

    Chunk(long address, long size) {
        this.address = address;
        this.size = size;
    }

    /** {@code chunksize}: the size without the flag bits. */
    long chunksize() {
        return size & ~SIZE_BITS;
    }

    /** {@code prev_inuse}. */
    boolean prevInuse() {
        return (size & PREV_INUSE) != 0;
    }

    /** {@code chunk_is_mmapped}. */
    boolean isMmapped() {
        return (size & IS_MMAPPED) != 0;
    }

    /** {@code set_head_size}: replace the size, keep the flag bits. */
    void setHeadSize(long chunkSize) {
        size = (size & SIZE_BITS) | chunkSize;
    }

    @Override
    public String toString() {
        return String.format("chunk@%#x size=%#x", address, size);
    }
}
