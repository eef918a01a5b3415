package org.mmsim.kernel.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.MiB;
import static org.mmsim.kernel.task.VmSim.PAGE;

import java.util.List;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.kernel.machine.ReclaimPolicy;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.phys.Lru;
import org.mmsim.kernel.procfs.Vmstat;
import org.mmsim.kernel.task.VmSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        return VmSim.preset("i386-64m-swap64m");
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
        // the write outran kswapd (which runs when it returns): it stalled in direct reclaim
        assertThat(w.reclaim().allocstall()).isPositive();
        assertThat(w.reclaim().reclaimed()).isPositive();
        assertThat(w.reclaim().swappedOut()).isEqualTo(w.reclaim().reclaimed());
        assertThat(w.reclaim().kswapdWoken()).isTrue();
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

    private static VmSim preset64(ReclaimPolicy policy) {
        MachineConfig c = Presets.byName("x86_64-64m-swap64m").orElseThrow().machine().withReclaim(policy);
        return new VmSim(new Machine(c));
    }

    private static int hog(VmSim sim, String name, long bytes) {
        int pid = sim.create(name);
        long addr = sim.mmapAnon(pid, bytes, "rw-");
        assertThat(sim.touch(pid, addr, bytes, "write").signal()).isNull();
        return pid;
    }

    // mm/oom_kill.c out_of_memory runs only once reclaim cannot free anything: RAM and swap full
    @Test
    void writingBeyondRamAndSwapOomKillsTheLargestProcessAndLeavesSmallOnesAlive() {
        VmSim sim = preset64(ReclaimPolicy.KERNEL);
        int small1 = hog(sim, "small1", 2 * MiB);
        int small2 = hog(sim, "small2", 2 * MiB);
        int big = sim.create("big");
        long a1 = sim.mmapAnon(big, 48 * MiB, "rw-");
        long a2 = sim.mmapAnon(big, 48 * MiB, "rw-");
        Touch.Result first = sim.touch(big, a1, 48 * MiB, "write");
        assertThat(first.signal()).isNull();

        Touch.Result second = sim.touch(big, a2, 48 * MiB, "write");

        assertThat(second.oomKill()).isNotNull();
        assertThat(second.oomKill().pid()).isEqualTo(big);
        assertThat(second.signal().name()).isEqualTo("SIGKILL");
        assertThat(sim.task(big).alive()).isFalse();
        assertThat(sim.task(small1).alive()).isTrue();
        assertThat(sim.task(small2).alive()).isTrue();
        assertThat(vmstat(sim, "oom_kill")).isEqualTo(1);
        assertThat(vmstat(sim, "pswpout")).isGreaterThan(60 * MiB / PAGE);
        // the small ones' pages, swapped or not, are still theirs: reading them back works
        assertThat(sim.touch(small1, sim.vmas(small1).stream().filter(v -> v.nrPages() == 2 * MiB / PAGE)
                .findFirst().orElseThrow().vmStart(), 2 * MiB, "read").signal()).isNull();
    }

    /**
     * After a 40 MiB stream has filled memory and been swept by reclaim once, a 1 MiB hot region is
     * written, then read again after every 1 MiB of a second 48 MiB stream. FIFO evicts it anyway
     * (it is older than the stream); exact LRU keeps it (it is always recent); CLOCK keeps it (its
     * accessed bits are set again each time the hand comes round); the kernel keeps it on the
     * inactive list once (PG_referenced) and activates it on the second reference
     * ({@code folio_check_references}), where the stream never goes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FIFO, true", "LRU, false", "CLOCK, false", "KERNEL, false"})
    void aHotRegionReadBetweenChunksOfAStreamStaysResidentUnderEveryPolicyButFifo(ReclaimPolicy policy,
            boolean evicted) {
        VmSim sim = preset64(policy);
        int pid = sim.create("app");
        long first = sim.mmapAnon(pid, 40 * MiB, "rw-");
        assertThat(sim.touch(pid, first, 40 * MiB, "write").signal()).isNull();
        long hot = sim.mmapAnon(pid, MiB, "rw-");
        sim.touch(pid, hot, MiB, "write");
        long stream = sim.mmapAnon(pid, 48 * MiB, "rw-");
        long hotMajor = 0;
        for (int chunk = 0; chunk < 48; chunk++) {
            sim.touch(pid, stream + chunk * MiB, MiB, "write");
            hotMajor += sim.touch(pid, hot, MiB, "read").faults().major();
        }
        assertThat(vmstat(sim, "pswpout")).isPositive();
        if (evicted) {
            assertThat(hotMajor).isPositive();
        } else {
            assertThat(hotMajor).isZero();
        }
        if (policy == ReclaimPolicy.KERNEL) {
            assertThat(vmstat(sim, "pgactivate")).isGreaterThanOrEqualTo(MiB / PAGE);
            assertThat(sim.machine.phys().lru().size(0, Lru.LRU_ACTIVE_ANON)).isGreaterThanOrEqualTo(MiB / PAGE);
        } else {
            assertThat(sim.machine.phys().lru().size(0, Lru.LRU_ACTIVE_ANON)).isZero();
        }
    }

    /** Reads an 8 MiB program text (2048 page-cache pages), then writes 60 MiB of anonymous memory. */
    private static VmSim textThenAnon(int swappiness) {
        Tunables t = new Tunables(0, 10, 0, "madvise", 0, 50, swappiness);
        VmSim sim = new VmSim(new Machine(new MachineConfig(Arch.X86_64,
                List.of(new MachineConfig.NodeSpec(64 * MiB, 1)), null, 64 * MiB, 0, false, t)));
        int pid = sim.<org.mmsim.kernel.journal.CreateProcess.Result>apply(
                new org.mmsim.kernel.journal.CreateProcess("app", 0, 8 * MiB, 8192, 16384, null)).pid();
        long text = sim.vmas(pid).get(0).vmStart();
        assertThat(sim.touch(pid, text, 8 * MiB, "read").faults().major()).isEqualTo(8 * MiB / PAGE);
        long anon = sim.mmapAnon(pid, 60 * MiB, "rw-");
        assertThat(sim.touch(pid, anon, 60 * MiB, "write").signal()).isNull();
        return sim;
    }

    private static long filePages(VmSim sim) {
        Lru lru = sim.machine.phys().lru();
        return lru.size(0, Lru.LRU_INACTIVE_FILE) + lru.size(0, Lru.LRU_ACTIVE_FILE);
    }

    // get_scan_count / calculate_pressure_balance: vm.swappiness shifts the scan from file to anon, so the
    // same anonymous pressure leaves more of the page cache with a higher swappiness
    @Test
    void higherSwappinessScansLessFileAndKeepsMoreOfThePageCache() {
        VmSim low = textThenAnon(0);
        VmSim high = textThenAnon(200);
        assertThat(vmstat(low, "pgscan_file")).isGreaterThan(vmstat(high, "pgscan_file"));
        assertThat(vmstat(low, "pgsteal_file")).isGreaterThan(vmstat(high, "pgsteal_file"));
        assertThat(filePages(high)).isGreaterThan(filePages(low));
        // clean page-cache pages are dropped, not written: a later read of the text is a major fault again
        assertThat(vmstat(low, "pgsteal_file")).isPositive();
        assertThat(vmstat(low, "pswpout")).isEqualTo(vmstat(low, "pgsteal_anon"));
    }

    /** Which page went to which swap slot under the random policy with {@code seed}. */
    private static List<org.mmsim.kernel.task.Processes.SwapMapping> randomPressure(long seed) {
        MachineConfig base = Presets.byName("x86_64-64m-swap64m").orElseThrow().machine();
        MachineConfig c = new MachineConfig(base.arch(), base.nodes(), base.distances(), base.swapBytes(), seed,
                false, base.tunables(), null, ReclaimPolicy.RANDOM);
        VmSim sim = new VmSim(new Machine(c));
        int pid = sim.create("app");
        long addr = sim.mmapAnon(pid, 48 * MiB, "rw-");
        assertThat(sim.touch(pid, addr, 48 * MiB, "write").signal()).isNull();
        assertThat(vmstat(sim, "pswpout")).isPositive();
        return sim.machine.processes().swapEntries();
    }

    // the random policy draws from the machine's seed: the same seed gives the same victims
    @Test
    void randomPolicyIsReproducibleFromTheSeedAndDiffersAcrossSeeds() {
        assertThat(randomPressure(7)).isEqualTo(randomPressure(7));
        assertThat(randomPressure(7)).isNotEqualTo(randomPressure(8));
    }

    // __alloc_pages_slowpath: below min, a mask with __GFP_DIRECT_RECLAIM reclaims (alloc-check says so
    // by should_reclaim_retry's estimate); GFP_ATOMIC cannot and fails
    @Test
    void allocCheckBelowMinShouldPredictDirectReclaimForBlockingMasksOnly() {
        VmSim sim = VmSim.preset("x86_64-64m-swap64m");
        int pid = sim.create("app");
        long addr = sim.mmapAnon(pid, 24 * MiB, "rw-");
        assertThat(sim.touch(pid, addr, 24 * MiB, "write").signal()).isNull();
        var phys = sim.machine.phys();
        // atomic allocations straight on the allocator (no operation ends, so kswapd does not run) eat the reserves
        while (phys.allocPages(0, "GFP_ATOMIC", 0).pfn() >= 0) {
            // keep going until even the atomic reserve is gone
        }
        var blocking = phys.allocCheck(0, "GFP_HIGHUSER_MOVABLE", 0);
        assertThat(blocking.path()).isEqualTo("reclaim");
        assertThat(blocking.wouldSucceed()).isTrue();
        assertThat(blocking.zones().stream().mapToLong(z -> z.reclaimablePages()).sum()).isGreaterThan(1000);
        var atomic = phys.allocCheck(0, "GFP_ATOMIC", 0);
        assertThat(atomic.wouldSucceed()).isFalse();

        var r = phys.allocPages(0, "GFP_HIGHUSER_MOVABLE", 0);
        assertThat(r.pfn()).isNotNegative();
        assertThat(phys.reclaimStats().pgstealDirect).isPositive();
        assertThat(phys.swap().pswpout()).isPositive();
    }
}
