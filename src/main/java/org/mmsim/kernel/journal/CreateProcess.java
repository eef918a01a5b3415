package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Image;
import org.mmsim.kernel.task.Processes;

/**
 * A new process running a program, a child of init: {@code fork()} from init then
 * {@code execve()} — fs/binfmt_elf.c {@code load_elf_binary()}.
 *
 * @param name      the process name ({@code comm})
 * @param cpu       the CPU it runs on (its local node)
 * @param textBytes text segment size (default 64 KiB)
 * @param dataBytes data segment size (default 8 KiB)
 * @param bssBytes  bss size (default 16 KiB)
 * @param mempolicy its task memory policy, or null for the default
 */
public record CreateProcess(String name, int cpu, long textBytes, long dataBytes, long bssBytes,
                            AllocPages.Policy mempolicy) implements Operation {

    /** The new pid, or -1 with the errno. */
    public record Result(int pid, String error) implements OperationResult {
    }

    @Override
    public String opName() {
        return "create_process";
    }

    @Override
    public Result applyTo(Machine machine) {
        Image image = new Image(textBytes, dataBytes, bssBytes);
        Processes p = machine.processes();
        Processes.Created c = p.createProcess(name, cpu, image, mempolicy == null ? null : mempolicy.toMemPolicy());
        return c.task() == null ? new Result(-1, c.error()) : new Result(c.task().pid(), null);
    }
}
