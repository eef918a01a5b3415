package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/**
 * exit(2): {@code do_exit()} → {@code exit_mm()} → {@code exit_mmap()}; init reaps the process.
 *
 * @param pid  the process
 * @param code its exit status (0..255)
 */
public record Exit(int pid, int code) implements Operation {

    public record Result(int pid, String state, int code) implements OperationResult {
    }

    @Override
    public String opName() {
        return "exit";
    }

    @Override
    public Result applyTo(Machine machine) {
        if (code < 0 || code > 255) {
            throw new org.mmsim.kernel.KernelInputException("code", "an exit status is 0..255");
        }
        Task t = machine.processes().tasks().running(pid);
        machine.processes().exit(t, code);
        return new Result(pid, t.state().label(), code);
    }
}
