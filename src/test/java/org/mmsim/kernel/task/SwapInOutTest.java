package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.swap.SwapInfo;
import org.mmsim.kernel.swap.SwapOut;

/** Swap-out (try_to_unmap_one to a swap entry), do_swap_page, swap_duplicate on fork, free_swap_and_cache on exit. */
class SwapInOutTest {
    private static final long PAGE = 4096;
    private static final String PRESET = "x86_64-64m-swap64m";

    private static int swapOutRange(VmSim sim, int pid, long start, int pages) {
        int n = 0;
        for (int i = 0; i < pages; i++) {
            if (SwapOut.swapOutPage(sim.mm(pid), sim.machine.phys(), start + i * PAGE)) {
                n++;
            }
        }
        sim.machine.checkInvariants();
        return n;
    }

    // do_swap_page: a swapped-out page comes back on a major fault, PSWPIN, the slot freed
    @Test
    void swappedOutPagesShouldComeBackAsMajorFaultsAndFreeTheirSlots() {
        VmSim sim = VmSim.preset(PRESET);
        SwapInfo si = sim.machine.phys().swap();
        assertThat(si.totalPages()).isEqualTo(16383);
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 64 * PAGE, "rw-");
        sim.touch(pid, a, 64 * PAGE, "write");
        long freeBefore = sim.machine.phys().nrFreePages();
        MmStruct mm = sim.mm(pid);
        long anonBefore = mm.counter(MmStruct.MM_ANONPAGES);

        assertThat(swapOutRange(sim, pid, a, 64)).isEqualTo(64);
        assertThat(mm.counter(MmStruct.MM_SWAPENTS)).isEqualTo(64);
        assertThat(mm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(anonBefore - 64);
        assertThat(si.inusePages()).isEqualTo(64);
        assertThat(si.pswpout()).isEqualTo(64);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(freeBefore + 64);
        long pte = mm.pgd().get(a);
        assertThat(Pte.isSwap(pte)).isTrue();
        assertThat(Pte.swpOffset(pte, mm.pgd().arch())).isEqualTo(256);  // first free cluster

        Touch.Result r = sim.touch(pid, a, 64 * PAGE, "read");
        assertThat(r.faults().major()).isEqualTo(64);
        assertThat(r.faults().minor()).isZero();
        assertThat(si.pswpin()).isEqualTo(64);
        assertThat(si.inusePages()).isZero();
        assertThat(mm.counter(MmStruct.MM_SWAPENTS)).isZero();
        assertThat(mm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(anonBefore);
        // do_swap_page maps an exclusive page writable in a VM_WRITE VMA even on a read fault
        // (clean: only a write fault dirties it), so the write after it takes no fault at all
        assertThat(Pte.write(mm.pgd().get(a))).isTrue();
        assertThat(Pte.dirty(mm.pgd().get(a))).isFalse();
        Touch.Result w = sim.touch(pid, a, 64 * PAGE, "write");
        assertThat(w.faults().cowReuse()).isZero();
        assertThat(w.faults().minor()).isZero();
        assertThat(w.faults().major()).isZero();
        assertThat(Pte.dirty(mm.pgd().get(a))).isTrue();
    }

    // copy_nonpresent_pte → swap_duplicate; exit → free_swap_and_cache drops each reference
    @Test
    void forkShouldShareSwapSlotsAndExitShouldReleaseThem() {
        VmSim sim = VmSim.preset(PRESET);
        SwapInfo si = sim.machine.phys().swap();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 16 * PAGE, "rw-");
        sim.touch(parent, a, 16 * PAGE, "write");
        assertThat(swapOutRange(sim, parent, a, 16)).isEqualTo(16);

        int child = sim.<Fork.Result>apply(new Fork(parent)).pid();
        long off = Pte.swpOffset(sim.mm(parent).pgd().get(a), sim.mm(parent).pgd().arch());
        assertThat(si.count(off)).isEqualTo(2);
        assertThat(sim.mm(child).counter(MmStruct.MM_SWAPENTS)).isEqualTo(16);
        // pages shared after fork have mapcount 2: not swapped out without an rmap
        sim.touch(parent, a + 8 * PAGE, 8 * PAGE, "read");
        assertThat(swapOutRange(sim, parent, a + 8 * PAGE, 8)).isEqualTo(8);

        // the child reads its own copy (no swap cache); the parent's entry keeps the slot
        Touch.Result r = sim.touch(child, a, PAGE, "read");
        assertThat(r.faults().major()).isEqualTo(1);
        assertThat(si.count(off)).isEqualTo(1);

        sim.apply(new Exit(child, 0));
        assertThat(si.inusePages()).isEqualTo(16);
        sim.munmap(parent, a, 16 * PAGE);
        assertThat(si.inusePages()).isZero();
        sim.machine.checkInvariants();
    }

    // seeded mixes of fork/touch/swap-out/munmap/exit: every slot referenced by exactly its PTEs
    @Test
    void seededRandomSwapMixShouldKeepSwapCountsEqualToTheirPtes() {
        long steps = Long.getLong("mmsim.swap.steps", 150);
        SplittableRandom rnd = new SplittableRandom(6);
        VmSim sim = VmSim.preset(PRESET);
        int root = sim.create();
        long a = sim.mmapAnon(root, 64 * PAGE, "rw-");
        java.util.List<Integer> live = new java.util.ArrayList<>(java.util.List.of(root));
        for (long s = 0; s < steps; s++) {
            int pid = live.get(rnd.nextInt(live.size()));
            long page = a + rnd.nextInt(64) * PAGE;
            int pages = 1 + rnd.nextInt(8);
            long len = Math.min(pages * PAGE, a + 64 * PAGE - page);
            switch (rnd.nextInt(6)) {
                case 0 -> sim.touch(pid, page, len, "write");
                case 1 -> sim.touch(pid, page, len, "read");
                case 2 -> swapOutRange(sim, pid, page, (int) (len / PAGE));
                case 3 -> {
                    if (live.size() < 6) {
                        live.add(sim.<Fork.Result>apply(new Fork(pid)).pid());
                    }
                }
                case 4 -> {
                    if (pid != root) {
                        sim.apply(new Exit(pid, 0));
                        live.remove(Integer.valueOf(pid));
                    }
                }
                default -> {
                    sim.munmap(pid, page, len);
                    sim.mmap(pid, page, len, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
                }
            }
            sim.machine.checkInvariants();
        }
        for (int pid : live) {
            if (pid != root) {
                sim.apply(new Exit(pid, 0));
            }
        }
        sim.munmap(root, a, 64 * PAGE);
        assertThat(sim.machine.phys().swap().inusePages()).isZero();
    }

    // the swap device is snapshotted (MachineCodec format 3): same bytes after a round trip
    @Test
    void snapshotShouldKeepTheSwapDevice() {
        VmSim sim = VmSim.preset(PRESET);
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 8 * PAGE, "rw-");
        sim.touch(pid, a, 8 * PAGE, "write");
        swapOutRange(sim, pid, a, 8);
        byte[] raw = MachineCodec.encodeRaw(sim.machine);
        var copy = MachineCodec.decode(MachineCodec.encode(sim.machine));
        copy.checkInvariants();
        assertThat(copy.phys().swap().inusePages()).isEqualTo(8);
        assertThat(copy.phys().swap().pswpout()).isEqualTo(8);
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(raw);
    }

    // /proc/meminfo SwapFree, /proc/vmstat pswpout/pswpin, status VmSwap, smaps_rollup Swap/SwapPss
    @Test
    void procfsShouldReportSwapUse() {
        VmSim sim = VmSim.preset(PRESET);
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 8 * PAGE, "rw-");
        sim.touch(pid, a, 8 * PAGE, "write");
        swapOutRange(sim, pid, a, 8);
        sim.<Fork.Result>apply(new Fork(pid));
        String meminfo = org.mmsim.kernel.procfs.Meminfo.render(sim.machine);
        assertThat(meminfo).containsPattern("SwapTotal: +65532 kB").containsPattern("SwapFree: +65500 kB");
        String vmstat = org.mmsim.kernel.procfs.Vmstat.render(sim.machine);
        assertThat(vmstat).contains("\npswpin 0\n").contains("\npswpout 8\n");
        assertThat(org.mmsim.kernel.procfs.PidStatus.render(sim.machine, pid).orElseThrow())
                .containsPattern("VmSwap:\\s+32 kB");
        // every slot is shared by parent and child: SwapPss is half of Swap
        assertThat(org.mmsim.kernel.procfs.PidSmapsRollup.render(sim.machine, pid).orElseThrow())
                .containsPattern("\nSwap: +32 kB").containsPattern("SwapPss: +16 kB");
    }
}
