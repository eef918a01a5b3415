package org.mmsim.kernel.journal;

import org.mmsim.kernel.libc.FreeResult;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/** glibc {@code free(ptr)} in the process. */
public record Free(int pid, long address) implements Operation {

    /** What free did: the chunk, where it went, bytes trimmed from the heap top, the range unmapped. */
    public record Result(long address, long chunkSize, String path, long trimmedBytes, Long munmapAddress,
                         long munmapLength, long mmapThreshold, long trimThreshold) implements OperationResult {
    }

    @Override
    public String opName() {
        return "free";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        FreeResult r = machine.processes().free(t, address);
        return new Result(address, r.chunkSize(), String.valueOf(r.path()), r.trimmedBytes(),
                r.munmapLength() > 0 ? r.munmapAddress() : null, r.munmapLength(), r.mmapThreshold(),
                r.trimThreshold());
    }
}
