package org.mmsim.kernel.libc;

/**
 * The system calls ptmalloc makes, as the process's kernel answers them: {@code __sbrk} (under
 * {@code __glibc_morecore}, malloc/morecore.c), {@code __mmap} and {@code __munmap}.
 */
public interface MallocSyscalls {
    /** sbrk(increment): the old break, or -1 when the kernel refused (ENOMEM). increment may be negative. */
    long sbrk(long increment);

    /** mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS): the address, or -1 (MAP_FAILED). length is page aligned. */
    long mmap(long length);

    /** munmap(address, length): 0 or -1. */
    int munmap(long address, long length);
}
