package org.mmsim.kernel.libc;

/**
 * One system call malloc made while serving a request, in call order: {@code call} is
 * {@code "sbrk"} (argument {@code length}, the increment; {@code result} the old break or -1),
 * {@code "mmap"} ({@code length}; {@code result} the address or -1) or {@code "munmap"}
 * ({@code address}, {@code length}; {@code result} 0 or -1).
 */
public record MallocSyscall(String call, long address, long length, long result) {
}
