package org.mmsim.kernel.task;

import java.util.SplittableRandom;
import org.mmsim.kernel.machine.Arch;

/**
 * Where a new program's pieces go (LINUX.md §3.1–3.2): {@code TASK_SIZE}, the stack top,
 * {@code mmap_base} ({@code mmap_base()}, arch/x86/mm/mmap.c), the load address of the text
 * ({@code ELF_ET_DYN_BASE} for an x86_64 PIE, 0x08048000 for an i386 executable) and the
 * randomisation {@code randomize_va_space = 2} adds, drawn from a generator seeded by the
 * machine seed and the pid.
 */
record Layout(long taskSize, long taskSizeMax, long stackTop, long mmapBase, long loadBase, long brkOffset) {
    static final long PAGE_SIZE = Arch.PAGE_SIZE;
    /** {@code DEFAULT_MAP_WINDOW}: {@code (1 << 47) − PAGE_SIZE}. */
    static final long DEFAULT_MAP_WINDOW = (1L << 47) - PAGE_SIZE;
    /** {@code TASK_SIZE_MAX} with 5-level paging: {@code (1 << 56) − PAGE_SIZE}. */
    static final long TASK_SIZE_MAX_LA57 = (1L << 56) - PAGE_SIZE;
    /** {@code TASK_SIZE} of a 3G/1G i386 kernel: {@code PAGE_OFFSET}. */
    static final long TASK_SIZE_I386 = 0xC000_0000L;
    /** {@code ELF_ET_DYN_BASE} = {@code DEFAULT_MAP_WINDOW / 3 * 2}, page-aligned by the loader: 0x555555554000. */
    static final long ELF_ET_DYN_BASE = (DEFAULT_MAP_WINDOW / 3 * 2) & ~(PAGE_SIZE - 1);
    /** The classic i386 link address of an executable's text. */
    static final long I386_TEXT_BASE = 0x0804_8000L;
    static final long SIZE_128M = 128L << 20;
    static final long STACK_GUARD_GAP = 256 * PAGE_SIZE;
    static final long RLIMIT_STACK = 8L << 20;

    static Layout of(Arch arch, boolean aslr, long seed, int pid) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + pid);
        boolean is64 = arch.is64Bit();
        long taskSize = is64 ? DEFAULT_MAP_WINDOW : TASK_SIZE_I386;
        long taskSizeMax = arch == Arch.X86_64_LA57 ? TASK_SIZE_MAX_LA57 : taskSize;
        long stackRndMask = is64 ? 0x3fffffL : 0x7ffL;
        long mmapRndBits = is64 ? 28 : 8;
        long stackMaxRandom = aslr ? stackRndMask << Arch.PAGE_SHIFT : 0;
        long gap = RLIMIT_STACK + stackMaxRandom + STACK_GUARD_GAP;
        gap = Math.max(SIZE_128M, Math.min(gap, taskSize / 6 * 5));
        long mmapRnd = aslr ? (rnd.nextLong() & ((1L << mmapRndBits) - 1)) << Arch.PAGE_SHIFT : 0;
        long mmapBase = (taskSize - gap - mmapRnd) & ~(PAGE_SIZE - 1);
        long stackTop = taskSize - (aslr ? (rnd.nextLong() & stackRndMask) << Arch.PAGE_SHIFT : 0);
        long loadBase = is64
                ? ELF_ET_DYN_BASE + (aslr ? (rnd.nextLong() & ((1L << mmapRndBits) - 1)) << Arch.PAGE_SHIFT : 0)
                : I386_TEXT_BASE;
        long brkRange = is64 ? 1L << 30 : 32L << 20;
        // load_elf_binary(): "leave a gap between .bss and brk" (one page), then arch_randomize_brk()
        long brkOffset = aslr
                ? PAGE_SIZE + (Math.floorMod(rnd.nextLong(), brkRange >>> Arch.PAGE_SHIFT) << Arch.PAGE_SHIFT)
                : 0;
        return new Layout(taskSize, taskSizeMax, stackTop, mmapBase, loadBase, brkOffset);
    }
}
