package org.mmsim.kernel.slab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Kfree;
import org.mmsim.kernel.journal.Kmalloc;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.journal.Vfree;
import org.mmsim.kernel.journal.Vmalloc;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.task.Task;

/**
 * Seeded random kmalloc/kfree/vmalloc/vfree mixed with process creation, fork, mmap and exit on
 * a small two-node machine, every invariant checked after every step (slab inuse ≤ objects,
 * slab and vmalloc frames flagged and held, free + used = managed); a snapshot taken halfway
 * evolves identically; at the end, with everything freed, only init_mm's page tables remain.
 * {@code -Dmmsim.slab.steps=200000} runs longer.
 */
class RandomSlabOperationsTest {
    private static final int STEPS = Integer.getInteger("mmsim.slab.steps", 1000);

    private SplittableRandom rnd;
    private final List<Long> objects = new ArrayList<>();
    private final List<Long> areas = new ArrayList<>();

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"X86_64, 11", "X86_64, 12", "I386, 13", "X86_64_LA57, 14"})
    void randomKernelAllocationsKeepEveryInvariantAndGiveEverythingBack(Arch arch, long seed) {
        rnd = new SplittableRandom(seed);
        Machine machine = new Machine(Machines.config(arch, 32L << 20, 32L << 20));
        long freshFree = machine.phys().nrFreePages();
        Machine twin = null;
        for (int step = 0; step < STEPS; step++) {
            if (step == STEPS / 2) {
                twin = MachineCodec.decode(MachineCodec.encode(machine));
            }
            Operation op = next(machine);
            OperationResult r = machine.apply(op);
            machine.checkInvariants();
            record(r);
            if (twin != null) {
                assertThat(twin.apply(op)).as("twin at step %d", step).isEqualTo(r);
            }
        }
        assertThat(MachineCodec.encodeRaw(twin)).isEqualTo(MachineCodec.encodeRaw(machine));
        for (long a : objects) {
            machine.apply(new Kfree(a));
        }
        for (long a : areas) {
            machine.apply(new Vfree(a));
        }
        for (Task t : machine.processes().tasks().alive()) {
            machine.apply(new Exit(t.pid(), 0));
        }
        machine.checkInvariants();
        for (Slub.CacheInfo c : machine.slub().cacheInfo()) {
            if (!c.name().equals(Slub.TASK_STRUCT)) { // zombies of forks nobody waited for keep theirs
                assertThat(c.activeObjs()).as(c.name()).isZero();
            }
        }
        long zombies = machine.processes().tasks().all().stream().filter(t -> t.state() == Task.State.ZOMBIE).count();
        assertThat(machine.slub().cache(Slub.TASK_STRUCT).activeObjects).isEqualTo(zombies);
        long kernelTables = 0;
        long taskStructSlabPages = machine.slub().cache(Slub.TASK_STRUCT).nrSlabs << 3;
        for (long head : machine.phys().allocatedHeads()) {
            if (machine.phys().pageOwner(head) == org.mmsim.kernel.phys.PageStore.OWNER_KERNEL_PGTABLE) {
                kernelTables++;
            }
        }
        assertThat(machine.phys().nrFreePages()).isEqualTo(freshFree - kernelTables - taskStructSlabPages);
    }

    private Operation next(Machine machine) {
        List<Task> alive = machine.processes().tasks().alive();
        int dice = rnd.nextInt(100);
        if (dice < 40) {
            long size = rnd.nextInt(10) == 0 ? 8193 + rnd.nextInt(60000) : 1 + rnd.nextInt(4096);
            return new Kmalloc(size, rnd.nextBoolean() ? "GFP_KERNEL" : "GFP_ATOMIC", rnd.nextInt(3) - 1,
                    rnd.nextInt(4));
        }
        if (dice < 70 && !objects.isEmpty()) {
            return new Kfree(objects.remove(rnd.nextInt(objects.size())));
        }
        if (dice < 78) {
            return new Vmalloc(1 + rnd.nextInt(40000), rnd.nextInt(4));
        }
        if (dice < 84 && !areas.isEmpty()) {
            return new Vfree(areas.remove(rnd.nextInt(areas.size())));
        }
        if (dice < 88 || alive.isEmpty()) {
            return new CreateProcess("p", rnd.nextInt(4), 65536, 8192, 16384, null);
        }
        Task t = alive.get(rnd.nextInt(alive.size()));
        if (dice < 93) {
            return new Mmap(t.pid(), 0, 4096L * (1 + rnd.nextInt(16)), "rw-", List.of("MAP_PRIVATE", "MAP_ANONYMOUS"));
        }
        if (dice < 96) {
            return new Fork(t.pid());
        }
        return new Exit(t.pid(), 0);
    }

    private void record(OperationResult r) {
        if (r instanceof Kmalloc.Result k && k.address() != 0 && k.address() != Slub.ZERO_SIZE_PTR) {
            objects.add(k.address());
        } else if (r instanceof Vmalloc.Result v && v.address() != 0) {
            areas.add(v.address());
        }
    }
}
