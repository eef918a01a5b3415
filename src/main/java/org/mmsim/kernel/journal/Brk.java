package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** brk(2), the kernel call: {@code SYSCALL_DEFINE1(brk)}, mm/mmap.c. */
public record Brk(int pid, long address) implements Operation {

    /** The break after the call: the new one, or the old one when the kernel refused ({@code error} ENOMEM). */
    public record Result(long brk, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "brk";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        long got = machine.processes().brk(t, address);
        return new Result(got, got == address ? null : "ENOMEM");
    }
}
