package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Image;
import org.mmsim.kernel.task.Task;

/**
 * execve(2): the process runs a new program with a fresh mm ({@code exec_mmap}); null sizes keep
 * the current image's, a null name keeps the current one.
 */
public record Exec(int pid, String name, Long textBytes, Long dataBytes, Long bssBytes) implements Operation {

    /** 0, or the errno (ENOMEM, the old image still running). */
    public record Result(int returned, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "exec";
    }

    @Override
    public Result applyTo(Machine machine) {
        Task t = machine.processes().tasks().running(pid);
        Image cur = t.image();
        Image img = new Image(textBytes == null ? cur.textBytes() : textBytes,
                dataBytes == null ? cur.dataBytes() : dataBytes, bssBytes == null ? cur.bssBytes() : bssBytes);
        String error = machine.processes().exec(t, name, img);
        return new Result(error == null ? 0 : -1, error);
    }
}
