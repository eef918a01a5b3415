package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;

/** fork(2): {@code kernel_clone()} → {@code copy_mm()} → {@code dup_mmap()}, kernel/fork.c. */
public record Fork(int pid) implements Operation {

    /** The child's pid, or -1 with the errno (ENOMEM). */
    public record Result(int pid, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "fork";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task parent = machine.processes().tasks().running(pid);
        Processes.Created c = machine.processes().fork(parent);
        return c.task() == null ? new Result(-1, c.error()) : new Result(c.task().pid(), null);
    }
}
