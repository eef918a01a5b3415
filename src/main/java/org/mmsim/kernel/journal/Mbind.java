package org.mmsim.kernel.journal;

import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** mbind(2): {@code do_mbind()}, mm/mempolicy.c — a policy for a range's VMAs. */
public record Mbind(int pid, long address, long length, String mode, List<Integer> nodes, List<Integer> weights)
        implements Operation {

    /** 0, or the errno ({@code EINVAL}, {@code EFAULT}). */
    public record Result(int returned, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "mbind";
    }

    @Override
    public Result applyTo(Machine machine) {
        var policy = new AllocPages.Policy(mode, nodes, weights).toMemPolicy();
        Task t = machine.processes().tasks().running(pid);
        var r = machine.processes().mbind(t, address, length, policy);
        return r.failed() ? new Result(-1, r.error()) : new Result(0, null);
    }
}
