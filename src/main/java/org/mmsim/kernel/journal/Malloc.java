package org.mmsim.kernel.journal;

import org.mmsim.kernel.libc.MallocResult;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** glibc {@code malloc(size)} in the process (main arena, malloc/malloc.c). */
public record Malloc(int pid, long size) implements Operation {

    /**
     * The user pointer (null for NULL/ENOMEM), where the chunk came from ({@code "brk"}: the
     * heap, {@code "mmap"}: its own mapping), its chunk and how glibc found it.
     */
    public record Result(Long address, String via, long chunkSize, Long chunkAddress, String path, String error,
                         long brkIncrement, String signal) implements OperationResult {
    }

    @Override
    public String opName() {
        return "malloc";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        var call = machine.processes().malloc(t, size);
        if (call.abort() != null) {
            return new Result(null, null, 0, null, "ABORT", call.abort(), 0, "SIGABRT");
        }
        MallocResult r = call.result();
        if (r.address() == 0) {
            return new Result(null, r.via(), r.chunkSize(), null, String.valueOf(r.path()), "ENOMEM", r.brkIncrement(),
                    null);
        }
        return new Result(r.address(), r.via(), r.chunkSize(), r.chunkAddress(), String.valueOf(r.path()), null,
                r.brkIncrement(), null);
    }
}
