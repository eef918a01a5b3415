package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.MiB;
import static org.mmsim.kernel.task.VmSim.PAGE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.procfs.Meminfo;

/**
 * Overcommit accounting (mm/util.c {@code __vm_enough_memory}, {@code vm_commit_limit}; mm/mmap.c
 * {@code accountable_mapping}, {@code MAP_NORESERVE}; Documentation/mm/overcommit-accounting.rst):
 * ENOMEM is a simulation result, and /proc/meminfo's CommitLimit and Committed_AS follow it.
 */
class OvercommitTest {
    private static final long GiB = 1L << 30;

    private static VmSim machine(int overcommitMemory, long swapBytes) {
        Tunables t = new Tunables(0, 10, 0, "madvise", overcommitMemory, 50);
        return new VmSim(new Machine(new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(GiB, 2)), null,
                swapBytes, 42, false, t)));
    }

    private static long meminfoKb(VmSim sim, String field) {
        for (String line : Meminfo.render(sim.machine).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new AssertionError(field + " not in /proc/meminfo");
    }

    private static long committedAsPages(VmSim sim) {
        return meminfoKb(sim, "Committed_AS") / 4;
    }

    // vm_commit_limit: (totalram - hugetlb) * overcommit_ratio / 100 + total_swap_pages, as /proc/meminfo shows it
    @Test
    void commitLimitShouldBeHalfOfRamPlusSwap() {
        VmSim sim = machine(2, 256 * MiB);
        long totalram = sim.machine.phys().totalramPages();
        long swapPages = 256 * MiB / PAGE - 1; // less the swap header page
        assertThat(meminfoKb(sim, "CommitLimit")).isEqualTo((totalram * 50 / 100 + swapPages) * 4);
        assertThat(org.mmsim.kernel.mm.Overcommit.vmCommitLimit(sim.machine.phys())).isEqualTo(totalram / 2 + swapPages);
    }

    // OVERCOMMIT_NEVER: Committed_AS + request must stay below CommitLimit - admin reserve - min(total_vm/32, user reserve)
    @Test
    void strictOvercommitShouldRefuseAnMmapBeyondTheLimitWithEnomemAndChangeNothing() {
        VmSim sim = machine(2, 0);
        long freeAtBoot = sim.machine.phys().nrFreePages();
        int pid = sim.create();
        long limit = meminfoKb(sim, "CommitLimit") / 4;
        long adminReserve = Math.min(freeAtBoot * 4 / 32, 8192) / 4;
        long userReserve = Math.min(freeAtBoot * 4 / 32, 131072) / 4;
        long allowed = limit - adminReserve - Math.min(sim.mm(pid).totalVm() / 32, userReserve);
        long room = allowed - committedAsPages(sim) - 1; // the largest request that still passes "<"

        // the process makes the system call on its CPU (switch_mm loads its mm there: TLB state);
        // a first refused call does that, so the second must change nothing but the operation count
        assertThat(sim.mmap(pid, 0, (room + 1) * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error())
                .isEqualTo("ENOMEM");
        byte[] before = MachineCodec.encodeRaw(sim.machine);
        int vmasBefore = sim.mapCount(pid);
        Mmap.Result refused = sim.mmap(pid, 0, (room + 1) * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        assertThat(refused.error()).isEqualTo("ENOMEM");
        assertThat(refused.address()).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(vmasBefore);
        byte[] after = MachineCodec.encodeRaw(sim.machine);
        // only the operation count (one long after the config) moved
        assertThat(after.length).isEqualTo(before.length);
        int firstDiff = -1;
        int lastDiff = -1;
        for (int i = 0; i < after.length; i++) {
            if (after[i] != before[i]) {
                firstDiff = firstDiff < 0 ? i : firstDiff;
                lastDiff = i;
            }
        }
        assertThat(lastDiff - firstDiff).isBetween(0, 7);
        assertThat(sim.machine.operationsApplied()).isEqualTo(3);

        long committed = committedAsPages(sim);
        Mmap.Result fits = sim.mmap(pid, 0, room * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        assertThat(fits.error()).isNull();
        assertThat(committedAsPages(sim)).isEqualTo(committed + room);
        // a read-only private mapping is not accountable: still fine at the limit
        assertThat(sim.mmap(pid, 0, 64 * MiB, "r--", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isNull();
        // MAP_NORESERVE is ignored under OVERCOMMIT_NEVER: still charged, so refused
        assertThat(sim.mmap(pid, 0, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_NORESERVE").error())
                .isEqualTo("ENOMEM");
        // brk is charged too (do_brk_flags): the break stays where it was
        long brk = sim.mm(pid).brk();
        Brk.Result b = sim.brk(pid, brk + 16 * PAGE);
        assertThat(b.brk()).isEqualTo(brk);
        // munmap gives the charge back, and the refused request now fits
        sim.munmap(pid, fits.address(), room * PAGE);
        assertThat(committedAsPages(sim)).isEqualTo(committed);
        assertThat(sim.mmap(pid, 0, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isNull();
    }

    // OVERCOMMIT_ALWAYS: __vm_enough_memory succeeds for anything, and Committed_AS still counts it
    @Test
    void alwaysOvercommitShouldAcceptAMappingFarBeyondRamAndSwap() {
        VmSim sim = machine(1, 0);
        int pid = sim.create();
        long committed = committedAsPages(sim);
        Mmap.Result r = sim.mmap(pid, 0, 64 * GiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        assertThat(r.error()).isNull();
        assertThat(committedAsPages(sim)).isEqualTo(committed + 64 * GiB / PAGE);
        assertThat(meminfoKb(sim, "Committed_AS")).isGreaterThan(meminfoKb(sim, "CommitLimit"));
    }

    // OVERCOMMIT_GUESS (6.x): only a single request larger than RAM + swap fails; MAP_NORESERVE is not charged
    @Test
    void heuristicOvercommitShouldRefuseOnlyARequestLargerThanRamPlusSwapAndNotChargeMapNoreserve() {
        VmSim sim = machine(0, 64 * MiB);
        int pid = sim.create();
        long ramPlusSwap = sim.machine.phys().totalramPages() + 64 * MiB / PAGE - 1;
        assertThat(sim.mmap(pid, 0, (ramPlusSwap + 1) * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error())
                .isEqualTo("ENOMEM");
        long committed = committedAsPages(sim);
        assertThat(sim.mmap(pid, 0, ramPlusSwap * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isNull();
        assertThat(sim.mmap(pid, 0, ramPlusSwap * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isNull();
        assertThat(committedAsPages(sim)).isEqualTo(committed + 2 * ramPlusSwap);

        long beforeNoreserve = committedAsPages(sim);
        Mmap.Result nr = sim.mmap(pid, 0, 4 * ramPlusSwap * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS",
                "MAP_NORESERVE");
        assertThat(nr.error()).isNull();
        assertThat(committedAsPages(sim)).isEqualTo(beforeNoreserve);
        assertThat(sim.vmaAt(pid, nr.address()).vmFlags() & org.mmsim.kernel.mm.VmFlags.VM_NORESERVE).isNotZero();
    }

    // mprotect_fixup: a private anonymous range made read-only before it was written is unaccounted; made writable, charged
    @Test
    void mprotectShouldUnaccountAndReaccountWritability() {
        VmSim sim = machine(2, 0);
        int pid = sim.create();
        long committed = committedAsPages(sim);
        long addr = sim.mmapAnon(pid, 16 * PAGE, "rw-");
        assertThat(committedAsPages(sim)).isEqualTo(committed + 16);
        sim.mprotect(pid, addr, 16 * PAGE, "r--");
        assertThat(committedAsPages(sim)).isEqualTo(committed);
        sim.mprotect(pid, addr, 8 * PAGE, "rw-");
        assertThat(committedAsPages(sim)).isEqualTo(committed + 8);
    }

    // exit_mmap unaccounts every VM_ACCOUNT VMA: Committed_AS returns to what the other processes hold
    @Test
    void exitShouldReturnTheProcessCharge() {
        VmSim sim = machine(2, 0);
        int keeper = sim.create("keeper");
        long base = committedAsPages(sim);
        int pid = sim.create();
        sim.mmapAnon(pid, 32 * MiB, "rw-");
        assertThat(committedAsPages(sim)).isGreaterThan(base + 32 * MiB / PAGE);
        sim.apply(new Exit(pid, 0));
        assertThat(committedAsPages(sim)).isEqualTo(base);
        assertThat(sim.task(keeper).alive()).isTrue();
    }

    // dup_mmap charges the child's VM_ACCOUNT VMAs one by one: under OVERCOMMIT_NEVER a fork that would pass the limit fails
    @Test
    void strictOvercommitShouldRefuseAForkWhoseCopyWouldPassTheLimit() {
        VmSim sim = machine(2, 0);
        int pid = sim.create();
        long limit = meminfoKb(sim, "CommitLimit") / 4;
        // take a bit more than half of what is left, so a second copy cannot fit
        long take = (limit - committedAsPages(sim)) * 6 / 10;
        assertThat(sim.mmap(pid, 0, take * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isNull();
        long committed = committedAsPages(sim);
        org.mmsim.kernel.journal.Fork.Result r = sim.apply(new org.mmsim.kernel.journal.Fork(pid));
        assertThat(r.error()).isEqualTo("ENOMEM");
        assertThat(committedAsPages(sim)).isEqualTo(committed);
    }
}
