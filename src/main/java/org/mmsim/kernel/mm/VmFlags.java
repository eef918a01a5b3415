package org.mmsim.kernel.mm;

/**
 * The {@code vm_flags} bits of a VMA: {@code VM_*} in include/linux/mm.h, with the two-letter
 * {@code VmFlags:} mnemonics that {@code show_smap_vma_flags()} prints in fs/proc/task_mmu.c.
 *
 * <p>Values are the kernel's (LINUX.md §3.3). x86 has no {@code VM_GROWSUP} (it is
 * {@code VM_NONE} there), so only {@code VM_GROWSDOWN} carries a guard gap.
 */
public final class VmFlags {
    public static final long VM_NONE = 0;
    public static final long VM_READ = 0x1;
    public static final long VM_WRITE = 0x2;
    public static final long VM_EXEC = 0x4;
    public static final long VM_SHARED = 0x8;
    public static final long VM_MAYREAD = 0x10;
    public static final long VM_MAYWRITE = 0x20;
    public static final long VM_MAYEXEC = 0x40;
    public static final long VM_MAYSHARE = 0x80;
    public static final long VM_GROWSDOWN = 0x100;
    public static final long VM_UFFD_MISSING = 0x200;
    public static final long VM_PFNMAP = 0x400;
    public static final long VM_LOCKED = 0x2000;
    public static final long VM_IO = 0x4000;
    public static final long VM_SEQ_READ = 0x8000;
    public static final long VM_RAND_READ = 0x10000;
    public static final long VM_DONTCOPY = 0x20000;
    public static final long VM_DONTEXPAND = 0x40000;
    public static final long VM_LOCKONFAULT = 0x80000;
    public static final long VM_ACCOUNT = 0x100000;
    public static final long VM_NORESERVE = 0x200000;
    public static final long VM_HUGETLB = 0x400000;
    public static final long VM_SYNC = 0x800000;
    public static final long VM_ARCH_1 = 0x1000000;
    public static final long VM_WIPEONFORK = 0x2000000;
    public static final long VM_DONTDUMP = 0x4000000;
    /** {@code VM_SOFTDIRTY}: bit 27 with CONFIG_MEM_SOFT_DIRTY (x86_64 defconfig), else 0. */
    public static final long VM_SOFTDIRTY = 0x8000000;
    public static final long VM_MIXEDMAP = 0x10000000;
    public static final long VM_HUGEPAGE = 0x20000000;
    public static final long VM_NOHUGEPAGE = 0x40000000;
    public static final long VM_MERGEABLE = 0x80000000L;

    /** {@code VM_STACK}: the stack grows down on x86. */
    public static final long VM_STACK = VM_GROWSDOWN;
    /** {@code VM_SPECIAL}: mappings that never merge. */
    public static final long VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;

    /** Bit → mnemonic, in the order {@code show_smap_vma_flags()} prints them (bit order). */
    private static final long[] BITS = {
        VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC, VM_MAYSHARE,
        VM_GROWSDOWN, VM_UFFD_MISSING, VM_PFNMAP, VM_LOCKED, VM_IO, VM_SEQ_READ, VM_RAND_READ,
        VM_DONTCOPY, VM_DONTEXPAND, VM_LOCKONFAULT, VM_ACCOUNT, VM_NORESERVE, VM_HUGETLB, VM_SYNC,
        VM_ARCH_1, VM_WIPEONFORK, VM_DONTDUMP, VM_SOFTDIRTY, VM_MIXEDMAP, VM_HUGEPAGE,
        VM_NOHUGEPAGE, VM_MERGEABLE,
    };
    private static final String[] MNEMONICS = {
        "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
        "gd", "um", "pf", "lo", "io", "sr", "rr",
        "dc", "de", "lf", "ac", "nr", "ht", "sf",
        "ar", "wf", "dd", "sd", "mm", "hg",
        "nh", "mg",
    };

    private VmFlags() {
    }

    /**
     * The smaps {@code VmFlags:} line body, {@code show_smap_vma_flags()}, fs/proc/task_mmu.c:
     * each set flag's mnemonic followed by a space, so the heap's {@code 0x100073} gives
     * {@code "rd wr mr mw me ac "}.
     */
    public static String mnemonics(long vmFlags) {
        StringBuilder sb = new StringBuilder(3 * Long.bitCount(vmFlags));
        for (int i = 0; i < BITS.length; i++) {
            if ((vmFlags & BITS[i]) != 0) {
                sb.append(MNEMONICS[i]).append(' ');
            }
        }
        return sb.toString();
    }
}
