package org.mmsim.kernel.libc;

/**
 * One chunk of the heap for the teaching view.
 *
 * @param address the chunk (not the user pointer: that is {@code address + 2 * SIZE_SZ})
 * @param chunkSize its size without flag bits
 * @param sizeField the size field as stored, with {@code PREV_INUSE} (1), {@code IS_MMAPPED} (2)
 * @param inUse in use as the arena sees it: the next chunk's {@code PREV_INUSE} bit (tcache and
 *     fast-bin chunks look in use)
 * @param state what the chunk is
 * @param bin the bin index within its kind (tcache index, fastbin index, or {@code bin_at} index 1–126); -1 if none
 */
public record HeapChunk(long address, long chunkSize, long sizeField, boolean inUse, ChunkState state, int bin) {
}
