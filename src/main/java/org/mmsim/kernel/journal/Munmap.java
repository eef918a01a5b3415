package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** munmap(2): {@code do_vmi_munmap()}, mm/vma.c. */
public record Munmap(int pid, long address, long length) implements Operation {

    /** 0, or the errno. */
    public record Result(int returned, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "munmap";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        var r = machine.processes().munmap(t, address, length);
        return r.failed() ? new Result(-1, r.error()) : new Result(0, null);
    }
}
