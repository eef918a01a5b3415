package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmsim.kernel.task.VmSim.MiB;
import static org.mmsim.kernel.task.VmSim.PAGE;

import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.fault.FaultStats;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.SetOomScoreAdj;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.procfs.Vmstat;
import org.junit.jupiter.api.Test;

/**
 * The OOM killer (LINUX.md §7; mm/oom_kill.c {@code out_of_memory}, {@code select_bad_process},
 * {@code oom_badness}, {@code oom_kill_process}; fs/proc/base.c {@code proc_oom_score}). The
 * machine has 64 MiB of RAM and no swap, so a fault that finds no frame reaches the OOM killer
 * whether or not reclaim and swap are modelled.
 */
class OomKillerTest {

    private static VmSim smallMachine() {
        return new VmSim(new Machine(new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(64 * MiB, 2)),
                null, 0, 42, false, Tunables.DEFAULTS)));
    }

    /** A process that mapped and wrote {@code bytes} of anonymous memory; answers its pid. */
    private static int hog(VmSim sim, String name, long bytes) {
        int pid = sim.create(name);
        long addr = sim.mmapAnon(pid, bytes, "rw-");
        Touch.Result r = sim.touch(pid, addr, bytes, "write");
        assertThat(r.signal()).isNull();
        assertThat(r.oomKill()).isNull();
        return pid;
    }

    private static long oomKillCount(VmSim sim) {
        for (String line : Vmstat.render(sim.machine).split("\n")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()));
            }
        }
        throw new AssertionError("no oom_kill in /proc/vmstat");
    }

    // out_of_memory: the largest process is chosen; here that is the one writing beyond RAM, small ones live on
    @Test
    void writingBeyondRamShouldOomKillTheLargestProcessAndLeaveSmallOnesAlive() {
        VmSim sim = smallMachine();
        int small1 = hog(sim, "small1", 2 * MiB);
        int small2 = hog(sim, "small2", 2 * MiB);
        int big = sim.create("big");
        long addr = sim.mmapAnon(big, 28 * MiB, "rw-");

        Touch.Result r = sim.touch(big, addr, 28 * MiB, "write");

        assertThat(r.oomKill()).isNotNull();
        assertThat(r.oomKill().pid()).isEqualTo(big);
        assertThat(r.oomKill().comm()).isEqualTo("big");
        assertThat(r.oomKills()).hasSize(1);
        assertThat(r.signal().name()).isEqualTo("SIGKILL");
        assertThat(r.signal().reason()).isEqualTo("oom");
        assertThat(r.state()).isEqualTo("killed");
        assertThat(r.pages()).isLessThan(28 * MiB / PAGE);
        assertThat(sim.task(big).state()).isEqualTo(Task.State.KILLED);
        assertThat(sim.task(big).exitSignal()).isEqualTo("SIGKILL");
        assertThat(sim.task(big).killReason()).isEqualTo("oom");
        assertThat(sim.task(small1).alive()).isTrue();
        assertThat(sim.task(small2).alive()).isTrue();
        assertThat(sim.mm(small1).counter(MmStruct.MM_ANONPAGES)).isEqualTo(2 * MiB / PAGE + 1); // + the argument page
        assertThat(oomKillCount(sim)).isEqualTo(1);
        // exit_mmap gave everything back: the survivors can allocate again
        assertThat(sim.touch(small1, sim.mmapAnon(small1, 16 * MiB, "rw-"), 16 * MiB, "write").signal()).isNull();
    }

    // oom_kill_process kills the chosen victim, which need not be the faulting task; the fault then retries
    @Test
    void aFaultShouldContinueAfterTheOomKillerKilledALargerOtherProcess() {
        VmSim sim = smallMachine();
        int hog = hog(sim, "hog", 16 * MiB);
        int grower = sim.create("grower");
        long addr = sim.mmapAnon(grower, 14 * MiB, "rw-");
        long hogPoints = sim.machine.processes().oomKiller().oomBadness(sim.task(hog),
                sim.machine.processes().oomKiller().totalpages());
        long pgfaultBefore = sim.machine.processes().events().pgfault;

        Touch.Result r = sim.touch(grower, addr, 14 * MiB, "write");

        // the allocator retried inside the fault that hit the OOM: one PGFAULT per page, no more
        assertThat(sim.machine.processes().events().pgfault - pgfaultBefore).isEqualTo(r.faults().minor());
        assertThat(r.oomKill().pid()).isEqualTo(hog);
        assertThat(r.oomKill().points()).isEqualTo(hogPoints);
        assertThat(r.signal()).isNull();
        assertThat(r.state()).isEqualTo("running");
        assertThat(r.pages()).isEqualTo(14 * MiB / PAGE);
        assertThat(r.faults().anonAlloc()).isEqualTo(14 * MiB / PAGE);
        assertThat(sim.task(hog).state()).isEqualTo(Task.State.KILLED);
        assertThat(sim.task(hog).killReason()).isEqualTo("oom");
        assertThat(sim.task(hog).mm()).isNull();
        assertThat(oomKillCount(sim)).isEqualTo(1);
    }

    // oom_badness: oom_score_adj == OOM_SCORE_ADJ_MIN (-1000) is never chosen
    @Test
    void oomScoreAdjMinus1000ShouldProtectTheLargestProcess() {
        VmSim sim = smallMachine();
        int hog = hog(sim, "hog", 16 * MiB);
        sim.apply(new SetOomScoreAdj(hog, -1000));
        int grower = sim.create("grower");
        long addr = sim.mmapAnon(grower, 14 * MiB, "rw-");

        Touch.Result r = sim.touch(grower, addr, 14 * MiB, "write");

        assertThat(r.oomKill().pid()).isEqualTo(grower);
        assertThat(r.signal().name()).isEqualTo("SIGKILL");
        assertThat(sim.task(hog).alive()).isTrue();
        assertThat(sim.task(grower).state()).isEqualTo(Task.State.KILLED);
        assertThat(sim.machine.processes().oomKiller().oomScore(sim.task(hog))).isZero();
    }

    // oom_badness: a positive oom_score_adj adds adj * totalpages / 1000 and can make a small process the victim
    @Test
    void aPositiveOomScoreAdjShouldMakeASmallerProcessTheVictim() {
        VmSim sim = smallMachine();
        int small = hog(sim, "small", 2 * MiB);
        sim.apply(new SetOomScoreAdj(small, 1000));
        int grower = sim.create("grower");
        long addr = sim.mmapAnon(grower, 28 * MiB, "rw-");

        Touch.Result r = sim.touch(grower, addr, 28 * MiB, "write");

        assertThat(r.oomKills()).extracting(Touch.OomKill::pid).startsWith(small);
        assertThat(sim.task(small).state()).isEqualTo(Task.State.KILLED);
    }

    // proc_oom_score: (1000 + points * 1000 / totalpages) * 2 / 3, points = rss + swapents + pgtables + adj * totalpages/1000
    @Test
    void oomScoreShouldMatchAHandComputation() {
        VmSim sim = smallMachine();
        int pid = hog(sim, "app", 8 * MiB);
        MmStruct mm = sim.mm(pid);
        long totalpages = sim.machine.phys().totalramPages(); // no swap
        long rss = mm.counter(MmStruct.MM_ANONPAGES) + mm.counter(MmStruct.MM_FILEPAGES)
                + mm.counter(MmStruct.MM_SHMEMPAGES);
        assertThat(rss).isGreaterThanOrEqualTo(8 * MiB / PAGE + 1); // the written range plus the argument page
        long pgtables = mm.pgd().pgtablesBytes() / PAGE;
        assertThat(pgtables).isPositive();
        long points = rss + pgtables;
        OomKiller oom = sim.machine.processes().oomKiller();
        assertThat(oom.totalpages()).isEqualTo(totalpages);
        assertThat(oom.oomBadness(sim.task(pid), totalpages)).isEqualTo(points);
        assertThat(oom.oomScore(sim.task(pid))).isEqualTo((1000 + points * 1000 / totalpages) * 2 / 3);

        sim.apply(new SetOomScoreAdj(pid, -500));
        long adjusted = points - 500 * (totalpages / 1000);
        assertThat(oom.oomBadness(sim.task(pid), totalpages)).isEqualTo(adjusted);
        assertThat(oom.oomScore(sim.task(pid))).isEqualTo((1000 + adjusted * 1000 / totalpages) * 2 / 3);
        // by hand: 7681 managed pages, 2048 written + a few stack, bss and table pages ≈ 2055 points
        // → (1000 + 2055 * 1000 / 7681) * 2 / 3 = (1000 + 267) * 2 / 3 = 844
        assertThat(totalpages).isEqualTo(7681);
        assertThat((1000 + points * 1000 / totalpages) * 2 / 3).isEqualTo(844);
    }

    // oom_evaluate_task replaces the chosen task unless points < chosen_points: of equal scores the last one found wins
    @Test
    void ofEqualBadnessTheLastTaskInTaskListOrderShouldBeChosen() {
        VmSim sim = smallMachine();
        int first = sim.create("twin");
        int second = sim.create("twin");
        OomKiller oom = sim.machine.processes().oomKiller();
        long total = oom.totalpages();
        assertThat(oom.oomBadness(sim.task(first), total)).isEqualTo(oom.oomBadness(sim.task(second), total));

        FaultStats st = new FaultStats();
        boolean retry = oom.outOfMemory(sim.task(first), st);
        // called directly, not through Machine.apply: the kernel objects' sync that apply runs
        sim.machine.kernelObjects().sync(sim.machine.processes());
        sim.machine.checkInvariants();

        assertThat(st.oomKills).extracting(FaultStats.OomKill::pid).containsExactly(second);
        assertThat(retry).isTrue();
        assertThat(sim.task(first).alive()).isTrue();
    }

    // oom_score_adj lives in signal_struct: copy_signal gives the child the parent's value
    @Test
    void forkShouldInheritOomScoreAdj() {
        VmSim sim = smallMachine();
        int parent = sim.create();
        sim.apply(new SetOomScoreAdj(parent, 300));
        Fork.Result child = sim.apply(new Fork(parent));
        assertThat(sim.task(child.pid()).oomScoreAdj()).isEqualTo(300);
    }

    // __set_oom_adj: outside OOM_SCORE_ADJ_MIN..MAX is EINVAL, a caller error that changes nothing
    @Test
    void anOomScoreAdjOutsideTheRangeShouldBeRefusedNamingTheField() {
        VmSim sim = smallMachine();
        int pid = sim.create();
        long before = sim.machine.operationsApplied();
        assertThatThrownBy(() -> sim.apply(new SetOomScoreAdj(pid, 1001)))
                .isInstanceOf(KernelInputException.class)
                .satisfies(e -> assertThat(((KernelInputException) e).field()).isEqualTo("value"));
        assertThatThrownBy(() -> sim.apply(new SetOomScoreAdj(pid, -1001))).isInstanceOf(KernelInputException.class);
        assertThat(sim.task(pid).oomScoreAdj()).isZero();
        assertThat(sim.machine.operationsApplied()).isEqualTo(before);
    }

    // snapshots: oom_score_adj and the oom_kill count survive an encode/decode (format 3 section)
    @Test
    void oomStateShouldSurviveASnapshot() {
        VmSim sim = smallMachine();
        int hog = hog(sim, "hog", 16 * MiB);
        int keeper = sim.create("keeper");
        sim.apply(new SetOomScoreAdj(keeper, -1000));
        int grower = sim.create("grower");
        sim.touch(grower, sim.mmapAnon(grower, 14 * MiB, "rw-"), 30 * MiB, "write");
        assertThat(sim.task(hog).alive()).isFalse();

        byte[] raw = MachineCodec.encodeRaw(sim.machine);
        Machine copy = MachineCodec.decode(MachineCodec.encode(sim.machine));
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(raw);
        assertThat(copy.processes().tasks().get(keeper).oomScoreAdj()).isEqualTo(-1000);
        assertThat(copy.processes().oomKiller().oomKill()).isEqualTo(1);
        copy.checkInvariants();
    }
}
