package org.mmsim.kernel.libc;

/**
 * {@code struct mallinfo2} as {@code __libc_mallinfo2} → {@code int_mallinfo} fills it for the
 * main arena, malloc/malloc.c. Counts are of chunks, sizes in bytes; tcache chunks count as in use.
 *
 * @param arena {@code system_mem}: bytes obtained with sbrk (and mmap'd heap extensions)
 * @param ordblks free chunks in the regular bins, plus one for the top
 * @param smblks free chunks in fast bins
 * @param hblks mmapped chunks ({@code n_mmaps})
 * @param hblkhd bytes in mmapped chunks ({@code mmapped_mem})
 * @param usmblks always 0
 * @param fsmblks bytes in fast bins
 * @param uordblks {@code arena - fordblks}
 * @param fordblks free bytes: top, bins and fast bins
 * @param keepcost the top chunk's size
 */
public record Mallinfo2(long arena, long ordblks, long smblks, long hblks, long hblkhd, long usmblks,
        long fsmblks, long uordblks, long fordblks, long keepcost) {
}
