package org.mmsim.kernel.procfs;

import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.task.Task;

/**
 * {@code /proc/PID/smaps_rollup}: {@code show_smaps_rollup()}, fs/proc/task_mmu.c — the
 * {@link PidSmaps} statistics of every VMA summed under one header line
 * {@code first_start-last_end ---p 00000000 00:00 0} padded to the name column, then
 * {@code [rollup]}, and the {@code __show_smap} block in rollup mode (with {@code Pss_Anon},
 * {@code Pss_File}, {@code Pss_Shmem}). Pss is summed in fixed point before the shift, as the
 * kernel does, so it can exceed the sum of the per-VMA Pss lines.
 */
public final class PidSmapsRollup {
    private PidSmapsRollup() {
    }

    /**
     * The rollup of {@code pid}, or empty when there is no {@code /proc/PID} ({@link PidMaps#render})
     * or the process has no mm (a zombie: the kernel's read fails with ESRCH).
     */
    public static Optional<String> render(Machine machine, int pid) {
        Task t = PidMaps.procTask(machine, pid);
        if (t == null || t.mm() == null) {
            return Optional.empty();
        }
        MmStruct mm = t.mm();
        PidSmaps.MemSizeStats mss = new PidSmaps.MemSizeStats();
        long vmaStart = 0;
        long lastVmaEnd = 0;
        boolean first = true;
        for (Vma vma : mm.vmas()) {
            if (first) {
                vmaStart = vma.vmStart();
                first = false;
            }
            mss.gather(machine.phys(), mm, vma);
            lastVmaEnd = vma.vmEnd();
        }
        StringBuilder sb = new StringBuilder();
        PidMaps.showVmaHeaderPrefix(sb, vmaStart, lastVmaEnd, 0, 0, 0, 0, 0);
        PidMaps.seqPad(sb, 0, machine.config().arch().is64Bit());
        sb.append("[rollup]\n");
        mss.show(sb, true);
        return Optional.of(sb.toString());
    }
}
