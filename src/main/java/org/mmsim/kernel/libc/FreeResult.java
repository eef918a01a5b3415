package org.mmsim.kernel.libc;

import java.util.List;

/**
 * What {@code free} did.
 *
 * @param address the pointer freed (0: free(NULL), nothing happened)
 * @param chunkAddress its chunk
 * @param chunkSize its chunk size without flag bits
 * @param path where the chunk went
 * @param mergedChunkAddress after coalescing with free neighbours (or the top): the resulting
 *     chunk; else {@code chunkAddress}
 * @param mergedChunkSize its size
 * @param consolidated {@code malloc_consolidate} ran (a free of at least 64 KiB with fast chunks around)
 * @param trimmedBytes bytes {@code systrim} gave back with a negative sbrk
 * @param munmapAddress for an mmapped chunk, the mapping unmapped; else 0
 * @param munmapLength its length; else 0
 * @param mmapThreshold {@code mp_.mmap_threshold} after the call
 * @param trimThreshold {@code mp_.trim_threshold} after the call
 * @param thresholdsChanged the dynamic threshold moved ({@code free} of an mmapped chunk above it)
 * @param syscalls the system calls made, in order
 */
public record FreeResult(long address, long chunkAddress, long chunkSize, FreePath path,
        long mergedChunkAddress, long mergedChunkSize, boolean consolidated, long trimmedBytes,
        long munmapAddress, long munmapLength, long mmapThreshold, long trimThreshold,
        boolean thresholdsChanged, List<MallocSyscall> syscalls) {

    public FreeResult {
        syscalls = List.copyOf(syscalls);
    }
}
