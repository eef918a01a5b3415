package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;

/**
 * {@code waitpid(child, &status, WNOHANG)} in {@code pid}: reaps a zombie child (-1: any).
 *
 * @param child the child to wait for, or -1 for any
 */
public record Wait(int pid, int child) implements Operation {

    /** The reaped pid with its exit code or signal; 0 if no child has exited yet; -1 with ECHILD. */
    public record Result(int pid, Integer code, String signal, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "wait";
    }

    @Override
    public Result applyTo(Machine machine) {
        if (child < -1 || child == 0) {
            throw new org.mmsim.kernel.KernelInputException("pid", "the child to wait for is a pid, or -1 for any");
        }
        Task t = machine.processes().tasks().running(pid);
        Processes.Waited w = machine.processes().waitChild(t, child);
        return new Result(w.pid(), w.code(), w.signal(), w.error());
    }
}
