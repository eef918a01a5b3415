package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.mm.MmStruct;

/** fork and copy-on-write as LINUX.md §5.3 and §6 describe them, the story step by step. */
class ForkCopyOnWriteTest {
    private static final long PAGE = 4096;

    // dup_mmap + copy_present_pte: pages shared read-only; wp_page_copy in the child; reuse once exclusive
    @Test
    void childWritesCopy_parentThenReusesWhatBecameExclusive_andEverythingAfterTheChildExits() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 256 * PAGE, "rw-");
        sim.touch(parent, a, 256 * PAGE, "write");
        long freeBeforeFork = sim.machine.phys().nrFreePages();

        Fork.Result f = sim.apply(new Fork(parent));
        int child = f.pid();
        assertThat(child).isGreaterThan(parent);
        MmStruct cm = sim.mm(child);
        // the child's RSS counts the shared pages (copied PTEs), no page was copied
        assertThat(cm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(sim.mm(parent).counter(MmStruct.MM_ANONPAGES));
        long frame = org.mmsim.kernel.paging.Pte.pfn(sim.mm(parent).pgd().get(a));
        assertThat(sim.machine.phys().pageMapcount(frame)).isEqualTo(2);
        assertThat(sim.machine.phys().pageRefcount(frame)).isEqualTo(2);
        assertThat(org.mmsim.kernel.paging.Pte.write(sim.mm(parent).pgd().get(a))).isFalse();

        Touch.Result childWrite = sim.touch(child, a, 64 * PAGE, "write");
        assertThat(childWrite.faults().minor()).isEqualTo(64);
        assertThat(childWrite.faults().cowCopy()).isEqualTo(64);
        assertThat(cm.counter(MmStruct.MM_ANONPAGES)).isEqualTo(sim.mm(parent).counter(MmStruct.MM_ANONPAGES));

        // the parent's first 64 pages are exclusively its own again: reused, no new frame
        long freeBefore = sim.machine.phys().nrFreePages();
        Touch.Result parentWrite = sim.touch(parent, a, 64 * PAGE, "write");
        assertThat(parentWrite.faults().cowReuse()).isEqualTo(64);
        assertThat(parentWrite.faults().cowCopy()).isZero();
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(freeBefore);

        sim.apply(new Exit(child, 0));
        assertThat(sim.task(child).state()).isEqualTo(Task.State.ZOMBIE);
        Wait.Result w = sim.apply(new Wait(parent, -1));
        assertThat(w.pid()).isEqualTo(child);
        assertThat(w.code()).isZero();
        assertThat(sim.task(child).state()).isEqualTo(Task.State.EXITED);

        Touch.Result rest = sim.touch(parent, a, 256 * PAGE, "write");
        assertThat(rest.faults().cowReuse()).isEqualTo(192);
        assertThat(rest.faults().cowCopy()).isZero();
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(freeBeforeFork);
    }

    // vma_needs_copy: no anon_vma (only read: the zero page) → no page table copied; the child faults again
    @Test
    void aMappingTheParentOnlyReadIsNotCopied_theChildFaultsAgain() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 16 * PAGE, "rw-");
        sim.touch(parent, a, 16 * PAGE, "read");
        int child = ((Fork.Result) sim.apply(new Fork(parent))).pid();
        assertThat(sim.mm(child).pgd().get(a)).isZero();
        Touch.Result r = sim.touch(child, a, 16 * PAGE, "read");
        assertThat(r.faults().zeroPage()).isEqualTo(16);
    }

    // MAP_SHARED|MAP_ANONYMOUS is shmem: both see the same pages, the child's faults allocate nothing
    @Test
    void writesThroughMapSharedAreSeenByTheOtherProcessAndAllocateNoFrame() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmap(parent, 0, 8 * PAGE, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();
        sim.touch(parent, a, 8 * PAGE, "write");
        int child = ((Fork.Result) sim.apply(new Fork(parent))).pid();
        long free = sim.machine.phys().nrFreePages();
        long tables = sim.mm(child).pgd().nrTablePages();
        sim.touch(child, a, 8 * PAGE, "write");
        // only the child's own page-table page for the range is new: no data frame
        long newTables = sim.mm(child).pgd().nrTablePages() - tables;
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free - newTables);
        assertThat(org.mmsim.kernel.paging.Pte.pfn(sim.mm(child).pgd().get(a)))
                .isEqualTo(org.mmsim.kernel.paging.Pte.pfn(sim.mm(parent).pgd().get(a)));
        assertThat(sim.mm(child).counter(MmStruct.MM_SHMEMPAGES)).isEqualTo(8);
    }

    // exit_notify: a zombie whose parent exits is adopted and reaped by init
    @Test
    void anOrphanedZombieIsReapedByInit_andEveryFrameComesBack() {
        VmSim sim = VmSim.x86_64();
        long fresh = sim.machine.phys().nrFreePages();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 32 * PAGE, "rw-");
        sim.touch(parent, a, 32 * PAGE, "write");
        int child = ((Fork.Result) sim.apply(new Fork(parent))).pid();
        sim.touch(child, a, 32 * PAGE, "write");
        sim.apply(new Exit(child, 7));
        assertThat(sim.task(child).state()).isEqualTo(Task.State.ZOMBIE);
        sim.apply(new Exit(parent, 0));
        assertThat(sim.task(child).state()).isEqualTo(Task.State.EXITED);
        assertThat(sim.task(child).exitCode()).isEqualTo(7);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(fresh);
    }
}
