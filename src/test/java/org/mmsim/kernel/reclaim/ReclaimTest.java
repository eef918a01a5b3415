package org.mmsim.kernel.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.MiB;
import static org.mmsim.kernel.task.VmSim.PAGE;

import java.util.List;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.phys.Lru;
import org.mmsim.kernel.procfs.Vmstat;
import org.mmsim.kernel.task.VmSim;
import org.junit.jupiter.api.Test;

/**
 * Page reclaim end to end (LINUX.md §7, mm/vmscan.c): kswapd woken below the low watermark,
 * direct reclaim below min, anonymous pages written to swap through the reverse map, major
 * faults bringing them back, and the OOM killer only when neither RAM nor swap is left.
 */
class ReclaimTest {

    static long vmstat(VmSim sim, String name) {
        for (String line : Vmstat.render(sim.machine).split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in /proc/vmstat");
    }

    static VmSim i386With64MiBAndSwap() {
        return new VmSim(new Machine(new MachineConfig(Arch.I386, List.of(new MachineConfig.NodeSpec(64 * MiB, 1)),
                null, 64 * MiB, 0, false, Tunables.DEFAULTS)));
    }

    // the must-show, on i386 (a 16 MiB kernel image leaves 46 MiB of RAM): 64 MiB RAM + 64 MiB
    // swap, a process writes 96 MiB and completes
    @Test
    void writing96MiBOn64MiBWithSwapCompletesBySwappingOutAndRereadingTakesMajorFaults() {
        assertWriteCompletesAndRereadMajorFaults(i386With64MiBAndSwap(), 96 * MiB);
    }

    // x86_64's 32 MiB kernel image leaves 30 MiB of RAM: 80 MiB is more than twice that and still fits with swap
    @Test
    void writing80MiBOnTheX8664PresetWith64MiBAndSwapCompletes() {
        assertWriteCompletesAndRereadMajorFaults(VmSim.preset("x86_64-64m-swap64m"), 80 * MiB);
    }

    private static void assertWriteCompletesAndRereadMajorFaults(VmSim sim, long bytes) {
        int pid = sim.create("writer");
        long addr = sim.mmapAnon(pid, bytes, "rw-");

        Touch.Result w = sim.touch(pid, addr, bytes, "write");

        assertThat(w.signal()).isNull();
        assertThat(w.oomKill()).isNull();
        assertThat(w.pages()).isEqualTo(bytes / PAGE);
        assertThat(vmstat(sim, "pswpout")).isPositive();
        assertThat(vmstat(sim, "pgscan_kswapd") + vmstat(sim, "pgscan_direct")).isPositive();
        assertThat(vmstat(sim, "pgsteal_anon")).isEqualTo(vmstat(sim, "pswpout"));
        assertThat(sim.machine.phys().swap().inusePages()).isPositive();
        assertThat(sim.machine.phys().lru().size(0, Lru.LRU_INACTIVE_ANON)
                + sim.machine.phys().lru().size(0, Lru.LRU_ACTIVE_ANON)).isPositive();

        // the first pages written are the oldest: reclaim took them, so reading them faults from swap
        Touch.Result r = sim.touch(pid, addr, 16 * PAGE, "read");
        assertThat(r.signal()).isNull();
        assertThat(r.faults().major()).isEqualTo(16);
        assertThat(vmstat(sim, "pswpin")).isEqualTo(16);
    }
}
