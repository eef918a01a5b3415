package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** glibc {@code sbrk(increment)}: moves the break through brk(2) and returns the previous one. */
public record Sbrk(int pid, long increment) implements Operation {

    /** The previous break ({@code null} on failure, glibc's {@code (void *) -1}), the break now, the errno. */
    public record Result(Long previous, long brk, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "sbrk";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        long old = machine.processes().sbrk(t, increment);
        return new Result(old < 0 ? null : old, t.mm().brk(), old < 0 ? "ENOMEM" : null);
    }
}
