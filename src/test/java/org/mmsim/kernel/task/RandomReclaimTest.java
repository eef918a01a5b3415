package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.ReclaimPolicy;
import org.mmsim.kernel.machine.Tunables;

/**
 * Seeded random memory pressure with swap and reclaim, under every reclaim policy: the
 * operations of {@link RandomOomTest} on a 64 MiB machine with 32 MiB of swap, so kswapd and
 * direct reclaim swap pages out, faults swap them in, fork duplicates swap entries and the OOM
 * killer still runs once swap is full. After every step every invariant holds — among them each
 * swap slot's count equals the PTEs holding its entry, every user page is on one LRU list and the
 * reverse map finds all its PTEs; a machine restored from a snapshot halfway applies the rest
 * identically (restore = replay); at the end, with everyone exited, no frame and no slot is left.
 * {@code -Dmmsim.random.steps=N} runs longer.
 */
class RandomReclaimTest {
    private static final long MiB = 1L << 20;

    @ParameterizedTest(name = "seed {0}, {1}")
    @CsvSource({"31, KERNEL", "32, KERNEL", "33, FIFO", "34, LRU", "35, CLOCK", "36, RANDOM"})
    void randomPressureWithSwapShouldKeepEveryInvariantAndLeaveNothingBehind(long seed, ReclaimPolicy policy) {
        int steps = Integer.getInteger("mmsim.random.steps", 250);
        SplittableRandom rnd = new SplittableRandom(seed);
        MachineConfig config = new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(64 * MiB, 2)), null,
                32 * MiB, seed, false, Tunables.DEFAULTS, null, policy);
        Machine machine = new Machine(config);
        long freeAtBoot = machine.phys().nrFreePages();
        Machine twin = null;
        for (int step = 0; step < steps; step++) {
            if (step == steps / 2) {
                twin = MachineCodec.decode(MachineCodec.encode(machine));
            }
            var op = RandomOomTest.next(rnd, machine);
            var r = machine.apply(op);
            machine.checkInvariants();
            if (twin != null) {
                assertThat(twin.apply(op)).isEqualTo(r);
            }
        }
        assertThat(machine.phys().swap().pswpout()).isPositive();
        assertThat(machine.phys().swap().pswpin()).isPositive();
        assertThat(MachineCodec.encodeRaw(twin)).isEqualTo(MachineCodec.encodeRaw(machine));
        for (Task t : machine.processes().tasks().alive()) {
            machine.apply(new Exit(t.pid(), 0));
            machine.checkInvariants();
        }
        assertThat(machine.processes().tasks().alive()).isEmpty();
        assertThat(machine.phys().swap().inusePages()).isZero();
        assertThat(machine.phys().lru().totalPages()).isZero();
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeAtBoot);
    }
}
