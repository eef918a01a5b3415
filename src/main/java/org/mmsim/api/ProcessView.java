package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.Schema;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.task.Task;

/** A process as the API shows it: task_struct facts and an mm_struct summary. */
@Schema(description = "A process: pid, parent, name, state and exit status, fault counters, and its mm.")
record ProcessView(
        int pid,
        @Schema(description = "The parent: 1 (init) for processes created through the API.") int ppid,
        @Schema(description = "comm.", example = "app") String name,
        @Schema(description = "running, zombie (exited, waiting for its parent to reap it), exited or killed.",
                example = "running") String state,
        @Schema(description = "Children not yet reaped, in pid order.") java.util.List<Integer> children,
        @Schema(description = "Exit status after exit(2).") Integer exitCode,
        @Schema(description = "The signal that killed it (SIGSEGV, SIGBUS, SIGKILL), or null.") String exitSignal,
        @Schema(description = "Why it was killed (oom), or null.") String reason,
        @Schema(description = "The CPU it runs on.") int cpu,
        @Schema(description = "Its task memory policy (set_mempolicy), null for the default.") String mempolicy,
        @Schema(description = "min_flt: minor faults so far.") long minFlt,
        @Schema(description = "maj_flt: major faults so far.") long majFlt,
        @Schema(description = "/proc/PID/oom_score_adj: -1000..1000, inherited by fork.") int oomScoreAdj,
        @Schema(description = "/proc/PID/oom_score: (1000 + badness * 1000 / totalpages) * 2 / 3; 0 when it cannot "
                + "be OOM-killed (oom_score_adj -1000, or no mm).") long oomScore,
        @Schema(description = "The mm_struct; null once the process has exited.") MmView mm) {

    @Schema(description = "mm_struct: layout, virtual-memory counters (pages), RSS by type (pages), page-table root.")
    record MmView(String startCode, String endCode, String startData, String endData, String startBrk, String brk,
                  String startStack, String mmapBase, String taskSize,
                  @Schema(description = "Number of VMAs (map_count).") int mapCount,
                  long totalVm, long dataVm, long execVm, long stackVm, long lockedVm,
                  Rss rss,
                  @Schema(description = "VmHWM in pages.") long hiwaterRss,
                  @Schema(description = "VmPeak in pages.") long hiwaterVm,
                  @Schema(description = "CR3: the physical address of the pgd.", example = "\"0x3e7f000\"") String pgd,
                  long pgdPfn,
                  @Schema(description = "Page-table bytes below the pgd (VmPTE).") long pgtablesBytes,
                  @Schema(description = "Pages this process charged to Committed_AS.") long committedPages) {
    }

    @Schema(description = "rss_stat[] in pages.")
    record Rss(long file, long anon, long swap, long shmem, long total) {
    }

    static ProcessView from(Machine machine, Task t) {
        MmStruct mm = t.mm();
        MemPolicy policy = t.numa().mempolicy();
        return new ProcessView(t.pid(), t.ppid(), t.comm(), t.state().label(), machine.processes().children(t),
                t.exitSignal() == null && t.state() != Task.State.RUNNING ? t.exitCode() : null, t.exitSignal(), t.killReason(), t.cpu(),
                policy == null ? null : policy.mode().name() + policy.nodeList(), t.minFlt(), t.majFlt(),
                t.oomScoreAdj(), machine.processes().oomKiller().oomScore(t),
                mm == null ? null : mmView(mm));
    }

    private static MmView mmView(MmStruct mm) {
        Rss rss = new Rss(mm.counter(MmStruct.MM_FILEPAGES), mm.counter(MmStruct.MM_ANONPAGES),
                mm.counter(MmStruct.MM_SWAPENTS), mm.counter(MmStruct.MM_SHMEMPAGES), mm.rss());
        return new MmView(Sizes.hex(mm.startCode()), Sizes.hex(mm.endCode()), Sizes.hex(mm.startData()),
                Sizes.hex(mm.endData()), Sizes.hex(mm.startBrk()), Sizes.hex(mm.brk()), Sizes.hex(mm.startStack()),
                Sizes.hex(mm.mmapBase()), Sizes.hex(mm.taskSize()), mm.vmas().mapCount(), mm.totalVm(), mm.dataVm(),
                mm.execVm(), mm.stackVm(), mm.lockedVm(), rss, mm.hiwaterRss(), mm.hiwaterVm(),
                Sizes.hex(mm.pgd().cr3()), mm.pgd().pgdPfn(), mm.pgd().pgtablesBytes(), mm.committedPages());
    }
}
