package org.mmsim.kernel.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.PAGE;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.procfs.Buddyinfo;
import org.mmsim.kernel.procfs.Slabinfo;
import org.mmsim.kernel.task.VmSim;

/**
 * The simulated kernel's own slab objects (kernel/fork.c dup_task_struct, mm_alloc, dup_mmap;
 * mm/vma.c vm_area_alloc/vm_area_dup/vm_area_free; mm/rmap.c anon_vma_prepare/anon_vma_fork).
 */
class KernelObjectsTest {

    private static long active(VmSim sim, String cache) {
        return sim.machine.slub().cache(cache).activeObjects;
    }

    // creating a process allocates a task_struct, an mm_struct and a vm_area_struct per VMA
    @Test
    void creatingAProcessAllocatesTaskStructMmStructAndAVmAreaStructPerVma() {
        VmSim sim = VmSim.x86_64();
        int p = sim.create();
        assertThat(active(sim, Slub.TASK_STRUCT)).isEqualTo(1);
        assertThat(active(sim, Slub.MM_STRUCT)).isEqualTo(1);
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(sim.mapCount(p));
        // the written stack page gave the stack VMA an anon_vma
        assertThat(active(sim, Slub.ANON_VMA)).isPositive();
        assertThat(Slabinfo.render(sim.machine)).contains("\ntask_struct            1      7   4224    7    8 :");
    }

    // __split_vma allocates a vm_area_struct (vm_area_dup); munmap of the middle piece frees it again
    @Test
    void splittingAndUnmappingVmasAllocatesAndFreesVmAreaStructs() {
        VmSim sim = VmSim.x86_64();
        int p = sim.create();
        long base = active(sim, Slub.VM_AREA_STRUCT);
        long a = sim.mmapAnon(p, 16 * PAGE, "rw-");
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(sim.mapCount(p)).isEqualTo(base + 1);
        sim.mprotect(p, a + 4 * PAGE, 4 * PAGE, "r--"); // one VMA becomes three
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(base + 3);
        sim.mprotect(p, a + 4 * PAGE, 4 * PAGE, "rw-"); // merged back into one
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(base + 1);
        sim.munmap(p, a, 16 * PAGE);
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(base);
    }

    // fork: the child gets its own task_struct, mm_struct and VMA copies; it keeps its task_struct as a zombie
    @Test
    void forkCopiesTheObjectsAndAZombieKeepsItsTaskStructUntilReaped() {
        VmSim sim = VmSim.x86_64();
        int p = sim.create();
        int vmas = sim.mapCount(p);
        int child = ((Fork.Result) sim.apply(new Fork(p))).pid();
        assertThat(active(sim, Slub.TASK_STRUCT)).isEqualTo(2);
        assertThat(active(sim, Slub.MM_STRUCT)).isEqualTo(2);
        assertThat(active(sim, Slub.VM_AREA_STRUCT)).isEqualTo(2L * vmas);
        sim.apply(new Exit(child, 0));
        assertThat(active(sim, Slub.TASK_STRUCT)).as("zombie").isEqualTo(2);
        assertThat(active(sim, Slub.MM_STRUCT)).as("exit_mm dropped the child's mm").isEqualTo(1);
        sim.apply(new Wait(p, child));
        assertThat(active(sim, Slub.TASK_STRUCT)).isEqualTo(1);
    }

    // the must-show: creating and exiting 100 processes leaves the slab caches and the buddy allocator as before
    @Test
    void creatingAndExiting100ProcessesLeavesSlabAndBuddyStateAsBefore() {
        VmSim sim = VmSim.x86_64();
        int keeper = sim.create("keeper"); // a process alive throughout, so partial slabs exist before and after
        String slabBefore = Slabinfo.render(sim.machine);
        String buddyBefore = Buddyinfo.render(sim.machine.phys());
        long freeBefore = sim.machine.phys().nrFreePages();
        int[] pids = new int[100];
        for (int i = 0; i < 100; i++) {
            pids[i] = sim.create("p" + i);
            long a = sim.mmapAnon(pids[i], 8 * PAGE, "rw-");
            sim.touch(pids[i], a, 8 * PAGE, "write");
            sim.mprotect(pids[i], a + PAGE, PAGE, "r--");
            if (i % 10 == 0) {
                int child = ((Fork.Result) sim.apply(new Fork(pids[i]))).pid();
                sim.apply(new Exit(child, 0));
                sim.apply(new Wait(pids[i], child));
            }
        }
        assertThat(active(sim, Slub.TASK_STRUCT)).isEqualTo(101);
        assertThat(sim.machine.phys().nrFreePages()).isLessThan(freeBefore);
        for (int pid : pids) {
            sim.apply(new Exit(pid, 0));
        }
        assertThat(Slabinfo.render(sim.machine)).isEqualTo(slabBefore);
        assertThat(Buddyinfo.render(sim.machine.phys())).isEqualTo(buddyBefore);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(freeBefore);
        assertThat(sim.machine.processes().tasks().get(keeper).alive()).isTrue();
    }

    // the objects survive a format-3 snapshot bound to the decoded tasks
    @Test
    void kernelObjectsSurviveASnapshot() {
        VmSim sim = VmSim.x86_64();
        int p = sim.create();
        sim.apply(new Fork(p));
        var copy = MachineCodec.decode(MachineCodec.encode(sim.machine));
        copy.checkInvariants();
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(MachineCodec.encodeRaw(sim.machine));
        copy.apply(new Exit(p, 0));
        copy.checkInvariants();
        assertThat(copy.slub().cache(Slub.MM_STRUCT).activeObjects).isEqualTo(1);
    }
}
