package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/**
 * A write to {@code /proc/PID/oom_score_adj} ({@code oom_score_adj_write} → {@code __set_oom_adj},
 * fs/proc/base.c): -1000..1000; -1000 exempts the process from the OOM killer.
 */
public record SetOomScoreAdj(int pid, int value) implements Operation {

    /** The value now in effect and the resulting {@code /proc/PID/oom_score}. */
    public record Result(int oomScoreAdj, long oomScore) implements OperationResult {
    }

    @Override
    public String opName() {
        return "set_oom_score_adj";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        int v = machine.processes().setOomScoreAdj(t, value);
        return new Result(v, machine.processes().oomKiller().oomScore(t));
    }
}
