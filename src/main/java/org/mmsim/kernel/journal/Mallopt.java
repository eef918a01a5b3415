package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** glibc {@code mallopt(param, value)}: {@code M_MMAP_THRESHOLD}, {@code M_TRIM_THRESHOLD}, {@code M_TOP_PAD}, … */
public record Mallopt(int pid, String param, long value) implements Operation {

    /** glibc's return value: 1 on success, 0 on error. */
    public record Result(int returned, long mmapThreshold, long trimThreshold, long topPad) implements OperationResult {
    }

    @Override
    public String opName() {
        return "mallopt";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        int r = machine.processes().mallopt(t, param, value);
        return new Result(r, t.malloc().mmapThreshold(), t.malloc().trimThreshold(), t.malloc().topPad());
    }
}
