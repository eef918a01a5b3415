package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.Sbrk;
import org.mmsim.kernel.task.VmSim;

/** brk(2) and sbrk(3): {@code SYSCALL_DEFINE1(brk)} and {@code do_brk_flags()}, mm/mmap.c (LINUX.md §3.7). */
class BrkTest {
    private static final long PAGE = VmSim.PAGE;
    private static final long MiB = VmSim.MiB;

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();
    private final MmStruct mm = sim.mm(pid);
    private final long startBrk = mm.startBrk();

    /** mm->brk keeps the unaligned value; the heap VMA ends at PAGE_ALIGN(brk). */
    @Test
    void brkShouldKeepTheUnalignedBreakWhileTheVmaEndsOnAPage() {
        Brk.Result r = sim.brk(pid, startBrk + 100);

        assertThat(r.brk()).isEqualTo(startBrk + 100);
        assertThat(r.error()).isNull();
        assertThat(mm.brk()).isEqualTo(startBrk + 100);
        Vma heap = sim.vmaAt(pid, startBrk);
        assertThat(heap.vmEnd()).isEqualTo(startBrk + PAGE);
        assertThat(heap.vmFlags()).as("rd wr mr mw me ac").isEqualTo(Mmap.VM_DATA_DEFAULT_FLAGS | VmFlags.VM_ACCOUNT);
        assertThat(mm.dataVm() * PAGE).isEqualTo(VmSim.DATA + VmSim.BSS + PAGE);
    }

    /** PAGE_ALIGN(new) == PAGE_ALIGN(old): only mm->brk moves, no VMA changes. */
    @Test
    void brkWithinTheSamePageShouldOnlyMoveTheBreak() {
        sim.brk(pid, startBrk + 100);
        long totalVm = mm.totalVm();

        Brk.Result r = sim.brk(pid, startBrk + 4000);

        assertThat(r.brk()).isEqualTo(startBrk + 4000);
        assertThat(sim.vmaAt(pid, startBrk).vmEnd()).isEqualTo(startBrk + PAGE);
        assertThat(mm.totalVm()).isEqualTo(totalVm);
    }

    /** Growing extends the heap VMA in place (do_brk_flags expands it), one page per page crossed. */
    @Test
    void growingTheBreakShouldExtendTheHeapVmaInPlace() {
        sim.brk(pid, startBrk + PAGE);
        int count = sim.mapCount(pid);

        sim.brk(pid, startBrk + 3 * PAGE + 1);

        assertThat(sim.mapCount(pid)).isEqualTo(count);
        assertThat(sim.vmaAt(pid, startBrk).vmEnd()).isEqualTo(startBrk + 4 * PAGE);
    }

    /**
     * Shrinking unmaps [PAGE_ALIGN(new), PAGE_ALIGN(old)); back at start_brk the [heap] VMA is gone
     * and its pages freed. Its page tables stay: they also cover the bss below (free_pgtables' floor).
     */
    @Test
    void shrinkingTheBreakToStartBrkShouldRemoveTheHeapVmaAndFreeItsPages() {
        long free0 = sim.machine.phys().nrFreePages();
        long tables0 = mm.pgd().nrTablePages();
        sim.brk(pid, startBrk + 8 * PAGE);
        sim.touch(pid, startBrk, 8 * PAGE, "write");
        assertThat(mm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(1 + 8);
        long tables = mm.pgd().nrTablePages() - tables0;

        sim.brk(pid, startBrk + PAGE + 1);
        assertThat(sim.vmaAt(pid, startBrk).vmEnd()).isEqualTo(startBrk + 2 * PAGE);
        assertThat(mm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(1 + 2);

        Brk.Result r = sim.brk(pid, startBrk);
        assertThat(r.brk()).isEqualTo(startBrk);
        assertThat(sim.vmaAt(pid, startBrk)).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(4);
        assertThat(mm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(1);
        assertThat(mm.pgd().nrTablePages() - tables0).isEqualTo(tables);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free0 - tables);
    }

    /** brk below start_brk fails and returns the old break (min_brk = start_brk). */
    @Test
    void brkBelowStartBrkShouldBeRefusedWithTheOldBreak() {
        sim.brk(pid, startBrk + PAGE);

        Brk.Result r = sim.brk(pid, startBrk - PAGE);

        assertThat(r.brk()).isEqualTo(startBrk + PAGE);
        assertThat(r.error()).isEqualTo("ENOMEM");
        assertThat(mm.brk()).isEqualTo(startBrk + PAGE);
    }

    /** Growing fails if the next VMA starts within a page of the new break: newbrk + PAGE_SIZE > vm_start_gap(next). */
    @Test
    void brkWithinAPageOfAMappingAboveTheHeapShouldBeRefused() {
        long fixed = startBrk + MiB;
        sim.mmap(pid, fixed, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");

        Brk.Result tooClose = sim.brk(pid, fixed - PAGE + 1);
        Brk.Result onePageShort = sim.brk(pid, fixed - PAGE);

        assertThat(tooClose.error()).isEqualTo("ENOMEM");
        assertThat(onePageShort.error()).isNull();
        assertThat(sim.vmaAt(pid, startBrk).vmEnd()).isEqualTo(fixed - PAGE);
    }

    /** A grows-down mapping keeps stack_guard_gap (1 MiB) free below it: brk may not enter that gap. */
    @Test
    void brkIntoTheGuardGapOfAGrowsDownMappingShouldBeRefused() {
        long stackLike = startBrk + 4 * MiB;
        sim.mmap(pid, stackLike, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED", "MAP_GROWSDOWN");

        Brk.Result inGap = sim.brk(pid, stackLike - MiB + 1);
        Brk.Result belowGap = sim.brk(pid, stackLike - MiB - PAGE);

        assertThat(inGap.error()).isEqualTo("ENOMEM");
        assertThat(belowGap.error()).isNull();
    }

    /** 6.x brk: shrinking refuses when no brk VMA lies in [newbrk, oldbrk) ("intersects with an existing non-brk vma"). */
    @Test
    void shrinkingTheBreakAfterTheHeapWasUnmappedShouldBeRefused() {
        sim.brk(pid, startBrk + 4 * PAGE);
        sim.munmap(pid, startBrk, 4 * PAGE);

        Brk.Result r = sim.brk(pid, startBrk);

        assertThat(r.error()).isEqualTo("ENOMEM");
        assertThat(r.brk()).isEqualTo(startBrk + 4 * PAGE);
    }

    /** sbrk(n) returns the previous break; sbrk(0) reads it; a negative step below start_brk fails. */
    @Test
    void sbrkShouldReturnThePreviousBreak() {
        Sbrk.Result grow = sim.apply(new Sbrk(pid, 5000));
        Sbrk.Result read = sim.apply(new Sbrk(pid, 0));
        Sbrk.Result tooFar = sim.apply(new Sbrk(pid, -6000));

        assertThat(grow.previous()).isEqualTo(startBrk);
        assertThat(grow.brk()).isEqualTo(startBrk + 5000);
        assertThat(read.previous()).isEqualTo(startBrk + 5000);
        assertThat(tooFar.previous()).isNull();
        assertThat(tooFar.error()).isEqualTo("ENOMEM");
        assertThat(sim.vmaAt(pid, startBrk).vmEnd()).isEqualTo(startBrk + 2 * PAGE);
    }
}
