package org.mmsim.kernel.task;

import org.mmsim.kernel.fault.FaultStats;
import org.mmsim.kernel.fault.OutOfMemory;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Overcommit;

/**
 * The OOM killer, mm/oom_kill.c (6.x): {@code out_of_memory()} → {@code select_bad_process()} →
 * {@code oom_badness()} → {@code oom_kill_process()}, and the {@code /proc/PID/oom_score} of
 * fs/proc/base.c ({@code proc_oom_score}). Global OOM only (no memcg, cpuset or mempolicy
 * constraint): {@code totalpages} is RAM + swap.
 */
public final class OomKiller {
    /** {@code OOM_SCORE_ADJ_MIN}: never killed. */
    public static final int OOM_SCORE_ADJ_MIN = -1000;
    /** {@code OOM_SCORE_ADJ_MAX}. */
    public static final int OOM_SCORE_ADJ_MAX = 1000;
    /** {@code oom_badness()}'s "unkillable" answer. */
    public static final long LONG_MIN = Long.MIN_VALUE;

    private final Processes processes;

    OomKiller(Processes processes) {
        this.processes = processes;
    }

    /** {@code OOM_KILL} in {@code vm_event_states}: /proc/vmstat {@code oom_kill}. */
    public long oomKill() {
        return processes.events.oomKill;
    }

    /** {@code oc->totalpages} of a global OOM ({@code constrained_alloc}): {@code totalram_pages() + total_swap_pages}. */
    public long totalpages() {
        return processes.phys.totalramPages() + Overcommit.totalSwapPages(processes.phys);
    }

    /**
     * {@code oom_badness()}: {@code LONG_MIN} for a task that is not killable (no mm, or
     * {@code oom_score_adj == -1000}); otherwise its RSS (anon + file + shmem) plus swap entries
     * plus page-table pages, plus {@code oom_score_adj * (totalpages / 1000)}. Init (pid 1) has
     * no mm here, so it is never chosen.
     */
    public long oomBadness(Task t, long totalpages) {
        MmStruct mm = t.mm;
        if (!t.alive() || mm == null || t.pid == TaskTable.INIT_PID || t.oomScoreAdj == OOM_SCORE_ADJ_MIN) {
            return LONG_MIN;
        }
        long points = mm.rss() + mm.counter(MmStruct.MM_SWAPENTS) + mm.pgd().pgtablesBytes() / Arch.PAGE_SIZE;
        long adj = (long) t.oomScoreAdj * (totalpages / 1000);
        return points + adj;
    }

    /**
     * {@code proc_oom_score()}: {@code (1000 + badness * 1000 / totalpages) * 2 / 3}, or 0 for an
     * unkillable task — the badness scaled to [0, 2000] and then by two thirds.
     */
    public long oomScore(Task t) {
        long totalpages = totalpages();
        long badness = oomBadness(t, totalpages);
        return badness == LONG_MIN ? 0 : (1000 + badness * 1000 / totalpages) * 2 / 3;
    }

    /**
     * {@code select_bad_process()} with {@code oom_evaluate_task()}: every process in task-list
     * order (creation order, here pid order); a task replaces the one chosen so far unless its
     * points are lower ({@code points < oc->chosen_points} skips it), so of equal highest
     * scores the last one found wins. Null when no task is killable.
     */
    Task selectBadProcess(long totalpages) {
        Task chosen = null;
        long chosenPoints = LONG_MIN;
        for (Task t : processes.tasks.all()) {
            long points = oomBadness(t, totalpages);
            if (points == LONG_MIN || points < chosenPoints) {
                continue;
            }
            chosen = t;
            chosenPoints = points;
        }
        return chosen;
    }

    /**
     * {@code out_of_memory()} on behalf of {@code current}'s fault: chooses the victim,
     * {@code __oom_kill_process()} sends it SIGKILL (state killed, reason oom), its memory is
     * freed at once ({@code exit_mmap}, which the OOM reaper and the exit would do), and
     * {@code oom_kill} counts it. Answers whether {@code current} survived to retry its fault.
     * With no killable task the kernel panics ("System is deadlocked on memory"); here the
     * fault fails and the faulting task gets SIGKILL, with no kill counted.
     */
    public boolean outOfMemory(Task current, FaultStats st) {
        long totalpages = totalpages();
        Task victim = selectBadProcess(totalpages);
        if (victim == null) {
            return false;
        }
        st.oomKills.add(new FaultStats.OomKill(victim.pid, victim.comm, oomBadness(victim, totalpages)));
        processes.events.oomKill++;
        processes.kill(victim, "SIGKILL", "oom");
        return victim != current;
    }

    /** The hook a fault of {@code current} calls when it finds no memory. */
    OutOfMemory forTask(Task current) {
        return st -> outOfMemory(current, st);
    }
}
