/**
 * The C library's memory allocator as a process sees it: glibc 2.36 ptmalloc's main arena for a
 * single-threaded process — chunks and their header flags, the per-thread cache (tcache), fast
 * bins, the unsorted, small and large bins, the top chunk, {@code sysmalloc}'s brk growth and
 * mmapped chunks, {@code systrim}, the dynamic mmap threshold and {@code mallopt}. Mirrors
 * malloc/malloc.c, malloc/malloc-internal.h, malloc/morecore.c and
 * sysdeps/generic/malloc-{size,alignment,machine}.h of glibc 2.36. The process's system calls
 * ({@code sbrk}, {@code mmap}, {@code munmap}) reach the kernel model through {@link
 * org.mmsim.kernel.libc.MallocSyscalls}; {@link org.mmsim.kernel.libc.Malloc} is the entry point.
 */
package org.mmsim.kernel.libc;
