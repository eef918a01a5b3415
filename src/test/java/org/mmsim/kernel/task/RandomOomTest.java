package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.SetOomScoreAdj;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;

/**
 * Seeded random memory pressure on a 64 MiB machine without swap: processes map and write
 * anonymous memory, fork (copy-on-write), change {@code oom_score_adj} and exit, so faults keep
 * reaching the OOM killer. After every step every invariant holds (frames, mapcounts, RSS, each
 * mm's {@code VM_ACCOUNT} charge); every kill names a process that was then killed with reason
 * oom and was never an {@code oom_score_adj = -1000} one; a snapshot twin gives the same bytes; at
 * the end, with everyone exited, every frame is free again (mm/oom_kill.c, mm/mmap.c exit_mmap).
 * {@code -Dmmsim.random.steps=N} runs longer.
 */
class RandomOomTest {
    private static final long MiB = 1L << 20;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void randomPressureShouldKeepEveryInvariantAndFreeEverythingAtTheEnd(long seed) {
        int steps = Integer.getInteger("mmsim.random.steps", 300);
        SplittableRandom rnd = new SplittableRandom(seed);
        MachineConfig config = new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(64 * MiB, 2)), null, 0,
                seed, false, Tunables.DEFAULTS);
        Machine machine = new Machine(config);
        long freeAtBoot = machine.phys().nrFreePages();
        Machine twin = null;
        long kills = 0;
        for (int step = 0; step < steps; step++) {
            if (step == steps / 2) {
                twin = MachineCodec.decode(MachineCodec.encode(machine));
            }
            var op = next(rnd, machine);
            var r = machine.apply(op);
            machine.checkInvariants();
            if (twin != null) {
                assertThat(twin.apply(op)).isEqualTo(r);
            }
            if (r instanceof Touch.Result t) {
                for (Touch.OomKill k : t.oomKills()) {
                    Task victim = machine.processes().tasks().get(k.pid());
                    // a forked child stays a zombie until its parent waits
                    assertThat(victim.state()).isIn(Task.State.KILLED, Task.State.ZOMBIE);
                    assertThat(victim.exitSignal()).isEqualTo("SIGKILL");
                    assertThat(victim.mm()).isNull();
                    assertThat(victim.killReason()).isEqualTo("oom");
                    assertThat(victim.oomScoreAdj()).isNotEqualTo(OomKiller.OOM_SCORE_ADJ_MIN);
                    kills++;
                }
            }
        }
        assertThat(machine.processes().oomKiller().oomKill()).isEqualTo(kills);
        assertThat(kills).isPositive();
        assertThat(MachineCodec.encodeRaw(twin)).isEqualTo(MachineCodec.encodeRaw(machine));
        for (Task t : machine.processes().tasks().alive()) {
            machine.apply(new Exit(t.pid(), 0));
            machine.checkInvariants();
        }
        assertThat(machine.processes().tasks().alive()).isEmpty();
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeAtBoot);
    }

    static org.mmsim.kernel.journal.Operation next(SplittableRandom rnd, Machine machine) {
        List<Task> alive = machine.processes().tasks().alive();
        if (alive.size() < 2 || alive.size() < 6 && rnd.nextInt(6) == 0) {
            return new CreateProcess("p" + rnd.nextInt(10), 0, 65536, 8192, 16384, null);
        }
        Task t = alive.get(rnd.nextInt(alive.size()));
        int dice = rnd.nextInt(20);
        if (dice == 0) {
            return new Exit(t.pid(), 0);
        }
        if (dice <= 2) {
            return new Fork(t.pid());
        }
        if (dice <= 4) {
            int[] values = {-1000, -500, 0, 0, 300, 1000};
            return new SetOomScoreAdj(t.pid(), values[rnd.nextInt(values.length)]);
        }
        if (dice <= 8) {
            return new Mmap(t.pid(), 0, (1 + rnd.nextInt(12)) * MiB, "rw-", List.of("MAP_PRIVATE", "MAP_ANONYMOUS"));
        }
        // write (or read) somewhere in one of its writable VMAs
        var vmas = new java.util.ArrayList<org.mmsim.kernel.mm.Vma>();
        t.mm().vmas().forEach(v -> {
            if ((v.vmFlags() & org.mmsim.kernel.mm.VmFlags.VM_WRITE) != 0) {
                vmas.add(v);
            }
        });
        var v = vmas.get(rnd.nextInt(vmas.size()));
        long pages = v.nrPages();
        long first = rnd.nextLong(pages);
        long len = (1 + rnd.nextLong(pages - first)) * 4096;
        return new Touch(t.pid(), v.vmStart() + first * 4096, len, rnd.nextInt(5) == 0 ? "read" : "write");
    }
}
