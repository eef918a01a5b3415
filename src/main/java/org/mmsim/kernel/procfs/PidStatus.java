package org.mmsim.kernel.procfs;

import java.util.Locale;
import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.task.Task;

/**
 * {@code /proc/PID/status}: {@code proc_pid_status()}, fs/proc/array.c (6.x) — {@code Name},
 * {@code task_state} (Umask … Kthread), {@code task_mem} (fs/proc/task_mmu.c: VmPeak … VmSwap,
 * then HugetlbPages), CoreDumping, THP_enabled, untag_mask (these need an mm, so a zombie has
 * none of them), then {@code task_sig}, {@code task_cap}, {@code task_seccomp},
 * {@code task_cpus_allowed}, {@code cpuset_task_status_allowed} and the context-switch counts.
 *
 * <p>The memory lines are the process's real counters (LINUX.md §10.7): VmPeak
 * {@code max(total_vm, hiwater_vm)}, VmHWM {@code max(hiwater_rss, rss)}, VmRSS = RssAnon +
 * RssFile + RssShmem, VmExe {@code min(PAGE_ALIGN(end_code) − start_code, exec_vm)}, VmLib the
 * rest of {@code exec_vm}, VmPTE {@code mm_pgtables_bytes}. {@code THP_enabled} is 1 on x86_64
 * (CONFIG_TRANSPARENT_HUGEPAGE, no {@code PR_SET_THP_DISABLE}) whatever the sysfs setting, 0 on the
 * non-PAE i386 kernel; {@code untag_mask} is {@code mm_untag_mask()}: all ones (no LAM).
 *
 * <p>Simulated constants, for lines the simulator has no model of: the program runs as uid/gid
 * 1000 with supplementary group 1000 and umask 022, untraced, as its own process group and
 * session leader (NSpgid = NSsid = pid) in the initial pid namespace; one thread; 64 fd slots
 * ({@code NR_OPEN_DEFAULT} = BITS_PER_LONG; 32 on i386); no pending, blocked, ignored or caught
 * signals; no capabilities beyond the full bounding set ({@code CAP_LAST_CAP} 40); no seccomp;
 * the speculation lines of a typical Intel host ({@code thread vulnerable}, {@code conditional
 * enabled}); no context switches; allowed on every CPU and every node. {@code SigQ}'s limit is
 * {@code RLIMIT_SIGPENDING = max_threads / 2} with {@code set_max_threads()}'s
 * {@code max_threads = totalram_pages × PAGE_SIZE / (THREAD_SIZE × 8)} (THREAD_SIZE 16 KiB on
 * x86_64, 8 KiB on i386). Nodemasks are printed {@link MemPolicy#MAX_NUMNODES} bits wide
 * ({@code nodemask_pr_args}). No shadow stacks, so no {@code x86_Thread_features} lines.
 */
public final class PidStatus {
    static final int UID = 1000;
    static final int GID = 1000;
    static final int UMASK = 0022;
    /** {@code CAP_FULL_SET}: bits 0..CAP_LAST_CAP (40). */
    static final long CAP_BOUNDING_SET = (1L << 41) - 1;

    private PidStatus() {
    }

    /**
     * The status file of {@code pid}, or empty when there is no {@code /proc/PID} (unknown pid,
     * exited or killed: the caller answers 404), as {@link PidMaps#render}.
     */
    public static Optional<String> render(Machine machine, int pid) {
        Task t = PidMaps.procTask(machine, pid);
        if (t == null) {
            return Optional.empty();
        }
        boolean is64 = machine.config().arch().is64Bit();
        StringBuilder sb = new StringBuilder();
        sb.append("Name:\t").append(t.comm()).append('\n');
        taskState(sb, t, is64);
        MmStruct mm = t.mm();
        if (mm != null) {
            taskMem(sb, mm);
            sb.append("CoreDumping:\t0\n");
            sb.append("THP_enabled:\t").append(is64 ? 1 : 0).append('\n');
            sb.append("untag_mask:\t0x").append(is64 ? "ffffffffffffffff" : "ffffffff").append('\n');
        }
        taskSig(sb, machine, is64);
        sb.append("CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n");
        sb.append("CapBnd:\t").append(String.format(Locale.ROOT, "%016x", CAP_BOUNDING_SET)).append('\n');
        sb.append("CapAmb:\t0000000000000000\n");
        sb.append("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tthread vulnerable\n");
        sb.append("SpeculationIndirectBranch:\tconditional enabled\n");
        int nrCpus = machine.config().totalCpus();
        sb.append("Cpus_allowed:\t").append(bitmapString(nrCpus, nrCpus)).append('\n');
        sb.append("Cpus_allowed_list:\t").append(bitmapList(nrCpus)).append('\n');
        int nrNodes = machine.phys().nrNodes();
        sb.append("Mems_allowed:\t").append(bitmapString(nrNodes, MemPolicy.MAX_NUMNODES)).append('\n');
        sb.append("Mems_allowed_list:\t").append(bitmapList(nrNodes)).append('\n');
        sb.append("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return Optional.of(sb.toString());
    }

    /** {@code task_state()}: Umask to Kthread. */
    private static void taskState(StringBuilder sb, Task t, boolean is64) {
        int pid = t.pid();
        sb.append("Umask:\t").append(String.format(Locale.ROOT, "%04o", UMASK)).append('\n');
        sb.append("State:\t").append(t.state() == Task.State.ZOMBIE ? "Z (zombie)" : "R (running)").append('\n');
        sb.append("Tgid:\t").append(pid).append("\nNgid:\t0\nPid:\t").append(pid);
        sb.append("\nPPid:\t").append(t.ppid()).append("\nTracerPid:\t0");
        sb.append("\nUid:\t").append(UID).append('\t').append(UID).append('\t').append(UID).append('\t').append(UID);
        sb.append("\nGid:\t").append(GID).append('\t').append(GID).append('\t').append(GID).append('\t').append(GID);
        sb.append("\nFDSize:\t").append(is64 ? 64 : 32);
        sb.append("\nGroups:\t").append(GID).append(' ');
        sb.append("\nNStgid:\t").append(pid).append("\nNSpid:\t").append(pid);
        sb.append("\nNSpgid:\t").append(pid).append("\nNSsid:\t").append(pid).append('\n');
        sb.append("Kthread:\t0\n");
    }

    /** {@code task_mem()}, fs/proc/task_mmu.c, and {@code hugetlb_report_usage()}. */
    static void taskMem(StringBuilder sb, MmStruct mm) {
        long pageMask = ~4095L;
        long text = ((mm.endCode() + 4095) & pageMask) - (mm.startCode() & pageMask);
        text = Math.min(text, mm.execVm() << 12);
        long lib = (mm.execVm() << 12) - text;
        pages(sb, "VmPeak", mm.hiwaterVm());
        pages(sb, "VmSize", mm.totalVm());
        pages(sb, "VmLck", mm.lockedVm());
        pages(sb, "VmPin", mm.pinnedVm());
        pages(sb, "VmHWM", mm.hiwaterRss());
        pages(sb, "VmRSS", mm.rss());
        pages(sb, "RssAnon", mm.counter(MmStruct.MM_ANONPAGES));
        pages(sb, "RssFile", mm.counter(MmStruct.MM_FILEPAGES));
        pages(sb, "RssShmem", mm.counter(MmStruct.MM_SHMEMPAGES));
        pages(sb, "VmData", mm.dataVm());
        pages(sb, "VmStk", mm.stackVm());
        kb(sb, "VmExe", text >> 10);
        kb(sb, "VmLib", lib >> 10);
        kb(sb, "VmPTE", mm.pgd() == null ? 0 : mm.pgd().pgtablesBytes() >> 10);
        pages(sb, "VmSwap", mm.counter(MmStruct.MM_SWAPENTS));
        kb(sb, "HugetlbPages", 0);
    }

    /**
     * {@code task_sig()}: one thread, no queued signals out of {@code RLIMIT_SIGPENDING}, empty
     * sigsets ({@code _NSIG} 64: 16 hex digits).
     */
    private static void taskSig(StringBuilder sb, Machine machine, boolean is64) {
        long threadSize = is64 ? 16384 : 8192;
        long maxThreads = machine.phys().totalramPages() * 4096 / (threadSize * 8);
        maxThreads = Math.max(20, Math.min(maxThreads, 0x3fffffff));
        sb.append("Threads:\t1\nSigQ:\t0/").append(maxThreads / 2).append('\n');
        for (String set : new String[] {"SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"}) {
            sb.append(set).append(":\t0000000000000000\n");
        }
    }

    private static void pages(StringBuilder sb, String label, long nrPages) {
        kb(sb, label, nrPages << 2);
    }

    private static void kb(StringBuilder sb, String label, long kb) {
        sb.append(label).append(":\t").append(String.format(Locale.ROOT, "%8d", kb)).append(" kB\n");
    }

    /**
     * {@code %*pb} ({@code bitmap_string}) of the first {@code nrSet} bits set in a bitmap of
     * {@code nrBits}: 32-bit hex chunks, most significant first, separated by commas; the first
     * chunk as wide as its bits need ({@code 2 CPUs → "3"}, 64 nodes with node 0 → {@code "00000000,00000001"}).
     */
    static String bitmapString(int nrSet, int nrBits) {
        StringBuilder sb = new StringBuilder();
        int chunk = nrBits % 32 == 0 ? 32 : nrBits % 32;
        for (int base = (nrBits + 31) / 32 * 32 - 32; base >= 0; base -= 32) {
            long val = 0;
            for (int bit = 0; bit < chunk; bit++) {
                if (base + bit < nrSet) {
                    val |= 1L << bit;
                }
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            String digits = Long.toHexString(val);
            for (int i = digits.length(); i < (chunk + 3) / 4; i++) {
                sb.append('0');
            }
            sb.append(digits);
            chunk = 32;
        }
        return sb.toString();
    }

    /** {@code %*pbl} of bits {@code 0..nrSet-1}: {@code "0"} or {@code "0-3"}. */
    static String bitmapList(int nrSet) {
        return nrSet == 1 ? "0" : "0-" + (nrSet - 1);
    }
}
