package org.mmsim.kernel.libc;

import java.util.List;

/**
 * What {@code malloc} (or {@code calloc}, {@code realloc}) returned and how.
 *
 * @param address the user pointer, 0 for NULL
 * @param via {@code "brk"} when the chunk lies in the main arena's heap (the brk heap, or after a
 *     refused sbrk the mmap'd extension of it), {@code "mmap"} for an mmapped chunk
 *     ({@code IS_MMAPPED}); null when {@code address} is 0
 * @param chunkAddress the chunk ({@code mem2chunk}), 0 for NULL
 * @param chunkSize the chunk's size field without flag bits, 0 for NULL
 * @param path where the chunk came from
 * @param errno 0, or {@link Malloc#ENOMEM} with a NULL result
 * @param syscalls the system calls made, in order; {@link #brkIncrement()} sums the sbrk ones
 */
public record MallocResult(long address, String via, long chunkAddress, long chunkSize, MallocPath path,
        int errno, List<MallocSyscall> syscalls) {

    public MallocResult {
        syscalls = List.copyOf(syscalls);
    }

    /** How far the break moved during the call (successful sbrk increments summed; 0 if none). */
    public long brkIncrement() {
        return syscalls.stream().filter(s -> s.call().equals("sbrk") && s.result() != -1)
                .mapToLong(MallocSyscall::length).sum();
    }

    /** True when this call served the request without any system call. */
    public boolean fromExistingMemory() {
        return address != 0 && syscalls.isEmpty();
    }
}
