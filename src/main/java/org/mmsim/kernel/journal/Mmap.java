package org.mmsim.kernel.journal;

import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.task.Task;

/**
 * mmap(2) of anonymous memory: {@code do_mmap()}, mm/mmap.c.
 *
 * @param pid     the calling process
 * @param address the hint (0 for none), or the address with MAP_FIXED
 * @param length  bytes, rounded up to pages
 * @param prot    {@code "rw-"} or {@code "PROT_READ|PROT_WRITE"}
 * @param flags   {@code MAP_*} names: MAP_PRIVATE or MAP_SHARED, with MAP_ANONYMOUS
 */
public record Mmap(int pid, long address, long length, String prot, List<String> flags) implements Operation {

    /** The mapping's address, or the errno ({@code EINVAL}, {@code ENOMEM}, {@code EEXIST}). */
    public record Result(Long address, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "mmap";
    }

    @Override
    public Result applyTo(Machine machine) {
        int p = Prot.parse(prot, "prot");
        int f = MmapFlags.parse(flags, "flags");
        Task t = machine.processes().tasks().running(pid);
        org.mmsim.kernel.mm.Mmap.Result r = machine.processes().mmap(t, address, length, p, f);
        return r.failed() ? new Result(null, r.error()) : new Result(r.address(), null);
    }
}
