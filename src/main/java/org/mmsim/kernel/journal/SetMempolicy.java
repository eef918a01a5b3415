package org.mmsim.kernel.journal;

import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** set_mempolicy(2): {@code do_set_mempolicy()}, mm/mempolicy.c. */
public record SetMempolicy(int pid, String mode, List<Integer> nodes, List<Integer> weights) implements Operation {

    public record Result(int returned) implements OperationResult {
    }

    @Override
    public String opName() {
        return "set_mempolicy";
    }

    @Override
    public Result applyTo(Machine machine) {
        var policy = new AllocPages.Policy(mode, nodes, weights).toMemPolicy();
        Task t = machine.processes().tasks().running(pid);
        machine.processes().setMempolicy(t, policy);
        return new Result(0);
    }
}
