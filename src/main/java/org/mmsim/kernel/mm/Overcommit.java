package org.mmsim.kernel.mm;

import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * Overcommit accounting: {@code __vm_enough_memory()} and {@code vm_commit_limit()} of mm/util.c
 * (6.x) with the {@code vm.overcommit_memory} modes, and the boot-time
 * {@code user_reserve_kbytes}/{@code admin_reserve_kbytes} ({@code init_user_reserve},
 * {@code init_admin_reserve}).
 *
 * <p>{@code vm_committed_as} is not a counter of its own here: it is the sum of every live mm's
 * {@link MmStruct#committedPages()} ({@link CommittedAs}), so it cannot drift from the VMAs.
 * Simulated processes are unprivileged (no {@code CAP_SYS_ADMIN}): mode 2 keeps the admin reserve
 * back from them.
 */
public final class Overcommit {
    /** {@code OVERCOMMIT_GUESS}: refuse only a single request larger than RAM + swap. */
    public static final int OVERCOMMIT_GUESS = 0;
    /** {@code OVERCOMMIT_ALWAYS}. */
    public static final int OVERCOMMIT_ALWAYS = 1;
    /** {@code OVERCOMMIT_NEVER}: strict accounting against {@code CommitLimit}. */
    public static final int OVERCOMMIT_NEVER = 2;
    /** {@code SZ_128K}: the cap of {@code user_reserve_kbytes} (128 MiB in kB). */
    static final long USER_RESERVE_MAX_KBYTES = 131072;
    /** {@code SZ_8K}: the cap of {@code admin_reserve_kbytes} (8 MiB in kB). */
    static final long ADMIN_RESERVE_MAX_KBYTES = 8192;

    /** {@code vm_committed_as}: the pages charged by every mm, plus {@code pending} if no task holds it yet. */
    public interface CommittedAs {
        long committedAsPages(MmStruct pending);
    }

    private final PhysicalMemory phys;
    private final int overcommitMemory;
    private final long userReserveKbytes;
    private final long adminReserveKbytes;
    private final CommittedAs committedAs;

    /**
     * @param freePagesAtBoot {@code NR_FREE_PAGES} when the reserves were computed (subsys_initcall time)
     */
    public Overcommit(PhysicalMemory phys, long freePagesAtBoot, CommittedAs committedAs) {
        this.phys = phys;
        this.overcommitMemory = phys.config().tunables().overcommitMemory();
        long freeKbytes = freePagesAtBoot * (Mmap.PAGE_SIZE / 1024);
        this.userReserveKbytes = Math.min(freeKbytes / 32, USER_RESERVE_MAX_KBYTES);
        this.adminReserveKbytes = Math.min(freeKbytes / 32, ADMIN_RESERVE_MAX_KBYTES);
        this.committedAs = committedAs;
    }

    public int overcommitMemory() {
        return overcommitMemory;
    }

    public long userReserveKbytes() {
        return userReserveKbytes;
    }

    public long adminReserveKbytes() {
        return adminReserveKbytes;
    }

    /** {@code total_swap_pages}: the swap device's pages less its header page. */
    public static long totalSwapPages(PhysicalMemory phys) {
        return phys.swap().totalPages();
    }

    /**
     * {@code vm_commit_limit()}: {@code (totalram_pages − hugetlb) * overcommit_ratio / 100 + total_swap_pages}
     * (no hugetlb pages and no {@code overcommit_kbytes} here) — /proc/meminfo's CommitLimit.
     */
    public static long vmCommitLimit(PhysicalMemory phys) {
        return phys.totalramPages() * phys.config().tunables().overcommitRatio() / 100 + totalSwapPages(phys);
    }

    /** {@code vm_memory_committed()}: Committed_AS in pages. */
    public long committedAsPages() {
        return committedAs.committedAsPages(null);
    }

    /**
     * {@code __vm_enough_memory(mm, pages, cap_sys_admin = 0)}: may {@code mm} charge {@code pages}
     * more? Mode 1 always; mode 0 unless the request alone exceeds RAM + swap; mode 2 only while
     * {@code Committed_AS} including the request stays below {@code CommitLimit} less the admin
     * reserve and {@code min(total_vm / 32, user_reserve)}. The caller adds the pages to
     * {@code mm.committedPages} on success (the kernel's {@code vm_acct_memory} up front, undone
     * on failure, comes to the same).
     */
    public boolean vmEnoughMemory(MmStruct mm, long pages) {
        if (overcommitMemory == OVERCOMMIT_ALWAYS) {
            return true;
        }
        if (overcommitMemory == OVERCOMMIT_GUESS) {
            return pages <= phys.totalramPages() + totalSwapPages(phys);
        }
        long allowed = vmCommitLimit(phys);
        allowed -= adminReserveKbytes >> (VmaTree.PAGE_SHIFT - 10);
        if (mm != null) {
            long reserve = userReserveKbytes >> (VmaTree.PAGE_SHIFT - 10);
            allowed -= Math.min(mm.totalVm / 32, reserve);
        }
        return committedAs.committedAsPages(mm) + pages < allowed;
    }
}
