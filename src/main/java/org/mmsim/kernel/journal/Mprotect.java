package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.task.Task;

/** mprotect(2): {@code do_mprotect_pkey()}, mm/mprotect.c. */
public record Mprotect(int pid, long address, long length, String prot) implements Operation {

    /** 0, or the errno ({@code EINVAL}, {@code ENOMEM}, {@code EACCES}). */
    public record Result(int returned, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "mprotect";
    }

    @Override
    public Result applyTo(Machine machine) {
        int p = Prot.parse(prot, "prot");
        Task t = machine.processes().tasks().running(pid);
        var r = machine.processes().mprotect(t, address, length, p);
        return r.failed() ? new Result(-1, r.error()) : new Result(0, null);
    }
}
