package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.task.VmSim;

/** Splits and re-merges: {@code split_vma()}, {@code vma_modify()}, {@code do_vmi_munmap()} (LINUX.md §3.5–3.6). */
class MunmapMprotectSplitTest {
    private static final long PAGE = VmSim.PAGE;

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();

    /** mprotect of a middle range splits 1 → 3 (+2); restoring the protection merges back (−2). */
    @Test
    void mprotectOfAMiddleRangeShouldSplitAndRestoringShouldMergeBack() {
        long a = sim.mmapAnon(pid, 10 * PAGE, "rw-");
        int before = sim.mapCount(pid);

        assertThat(sim.mprotect(pid, a + 3 * PAGE, 4 * PAGE, "r--").error()).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(before + 2);
        Vma middle = sim.vmaAt(pid, a + 3 * PAGE);
        assertThat(middle.vmStart()).isEqualTo(a + 3 * PAGE);
        assertThat(middle.vmEnd()).isEqualTo(a + 7 * PAGE);
        assertThat(middle.vmPgoff()).isEqualTo((a >>> 12) + 3);

        assertThat(sim.mprotect(pid, a + 3 * PAGE, 4 * PAGE, "rw-").error()).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(before);
        assertThat(sim.vmaAt(pid, a).vmEnd()).isEqualTo(a + 10 * PAGE);
    }

    /** The same with pages resident (an anon_vma): the merge still happens and the PTEs follow the protection. */
    @Test
    void mprotectOfTouchedPagesShouldWriteProtectThePtesAndRestoreThem() {
        long a = sim.mmapAnon(pid, 10 * PAGE, "rw-");
        sim.touch(pid, a, 10 * PAGE, "write");
        int before = sim.mapCount(pid);

        sim.mprotect(pid, a + 3 * PAGE, 4 * PAGE, "r--");
        assertThat(Pte.write(sim.mm(pid).pgd().get(a + 3 * PAGE))).isFalse();
        assertThat(Pte.write(sim.mm(pid).pgd().get(a + 2 * PAGE))).isTrue();
        sim.mprotect(pid, a + 3 * PAGE, 4 * PAGE, "rw-");

        assertThat(sim.mapCount(pid)).isEqualTo(before);
        long faults = sim.pgfault();
        Touch.Result again = sim.touch(pid, a, 10 * PAGE, "write");
        assertThat(again.faults().minor()).as("exclusive dirty anon pages are made writable again").isZero();
        assertThat(sim.pgfault()).isEqualTo(faults);
    }

    /** mprotect at the start of a VMA merges the range into the previous VMA when it gets the same flags. */
    @Test
    void mprotectMatchingThePreviousVmaShouldMoveTheBoundary() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        long b = sim.mmapAnon(pid, 4 * PAGE, "r--");
        assertThat(a).isEqualTo(b + 4 * PAGE);
        int before = sim.mapCount(pid);

        sim.mprotect(pid, a, PAGE, "r--");

        assertThat(sim.mapCount(pid)).isEqualTo(before);
        assertThat(sim.vmaAt(pid, b).vmEnd()).isEqualTo(a + PAGE);
        assertThat(sim.vmaAt(pid, a + PAGE).vmStart()).isEqualTo(a + PAGE);
    }

    /**
     * mprotect over two VMAs whose first part merges into the second: the kernel continues from
     * the merged VMA's end (vma_iter_end) and succeeds.
     */
    @Test
    void mprotectAcrossAVmaThatMergesWithTheNextShouldSucceed() {
        long a = sim.mmapAnon(pid, 2 * PAGE, "rw-");
        sim.mprotect(pid, a + PAGE, PAGE, "r--");
        int before = sim.mapCount(pid);

        var r = sim.mprotect(pid, a, 2 * PAGE, "r--");

        assertThat(r.error()).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(before - 1);
        assertThat(sim.vmaAt(pid, a).vmEnd()).isEqualTo(a + 2 * PAGE);
    }

    /** munmap of one middle page: 1 → 2 VMAs (+1). */
    @Test
    void munmapOfOneMiddlePageShouldSplitTheVmaInTwo() {
        long a = sim.mmapAnon(pid, 10 * PAGE, "rw-");
        sim.touch(pid, a, 10 * PAGE, "write");
        int before = sim.mapCount(pid);
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        assertThat(sim.munmap(pid, a + 5 * PAGE, PAGE).error()).isNull();

        assertThat(sim.mapCount(pid)).isEqualTo(before + 1);
        assertThat(sim.vmaAt(pid, a + 5 * PAGE)).isNull();
        assertThat(sim.vmaAt(pid, a + 6 * PAGE).vmPgoff()).isEqualTo((a >>> 12) + 6);
        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon - 1);
    }

    /** munmap of a range spanning several VMAs and holes removes all of them; of an unmapped range succeeds. */
    @Test
    void munmapShouldRemoveEverythingInTheRangeAndAcceptUnmappedRanges() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        long b = sim.mmapAnon(pid, 4 * PAGE, "r--");
        long c = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        sim.munmap(pid, b, 4 * PAGE);
        int before = sim.mapCount(pid);

        assertThat(sim.munmap(pid, c + PAGE, 12 * PAGE).error()).isNull();
        assertThat(sim.mapCount(pid)).isEqualTo(before - 1);
        assertThat(sim.vmaAt(pid, c).vmEnd()).isEqualTo(c + PAGE);
        assertThat(sim.vmaAt(pid, a)).isNull();
        assertThat(sim.vmaAt(pid, a + 3 * PAGE)).isNull();
        assertThat(sim.munmap(pid, 0x200000000L, PAGE).error()).isNull();
    }

    /** munmap: an unaligned start or a zero length → EINVAL. */
    @Test
    void munmapWithUnalignedStartOrZeroLengthShouldFailWithEinval() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");

        assertThat(sim.munmap(pid, a + 1, PAGE).error()).isEqualTo("EINVAL");
        assertThat(sim.munmap(pid, a, 0).error()).isEqualTo("EINVAL");
    }

    /** mprotect over a hole → ENOMEM; the VMAs before the hole have already changed, as on Linux. */
    @Test
    void mprotectAcrossAHoleShouldFailWithEnomem() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        long b = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        long c = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        sim.munmap(pid, b, 4 * PAGE);

        var r = sim.mprotect(pid, c, 12 * PAGE, "r--");

        assertThat(r.error()).isEqualTo("ENOMEM");
        assertThat(sim.vmaAt(pid, c).vmFlags() & 7).isEqualTo(VmFlags.VM_READ);
        assertThat(sim.vmaAt(pid, a).vmFlags() & 7).isEqualTo(VmFlags.VM_READ | VmFlags.VM_WRITE);
    }

    /** mprotect: unaligned start → EINVAL, unmapped start → ENOMEM. */
    @Test
    void mprotectWithUnalignedOrUnmappedStartShouldFail() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");

        assertThat(sim.mprotect(pid, a + 8, PAGE, "r--").error()).isEqualTo("EINVAL");
        assertThat(sim.mprotect(pid, 0x200000000L, PAGE, "r--").error()).isEqualTo("ENOMEM");
        assertThat(sim.mprotect(pid, a, 0, "r--").error()).isNull();
    }

    /** Making a read-only private mapping writable charges it (VM_ACCOUNT); VmData follows the flags. */
    @Test
    void mprotectToWritableShouldChargeTheMapping() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "r--");
        long data = sim.mm(pid).dataVm();
        long committed = sim.mm(pid).committedPages();

        sim.mprotect(pid, a, 4 * PAGE, "rw-");

        assertThat(sim.vmaAt(pid, a).vmFlags() & VmFlags.VM_ACCOUNT).isNotZero();
        assertThat(sim.mm(pid).dataVm()).isEqualTo(data + 4);
        assertThat(sim.mm(pid).committedPages()).isEqualTo(committed + 4);
    }

    /** PROT_NONE then a read: SIGSEGV SEGV_ACCERR at the exact address (access_error: no VM_READ|WRITE|EXEC). */
    @Test
    void readingAfterMprotectToProtNoneShouldRaiseSegvAccerr() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        sim.touch(pid, a, 4 * PAGE, "write");
        sim.mprotect(pid, a + PAGE, PAGE, "---");
        assertThat(Pte.protnone(sim.mm(pid).pgd().get(a + PAGE))).isTrue();

        Touch.Result r = sim.touch(pid, a + PAGE + 0x10, 8, "read");

        assertThat(r.signal().name()).isEqualTo("SIGSEGV");
        assertThat(r.signal().code()).isEqualTo("SEGV_ACCERR");
        assertThat(r.signal().address()).isEqualTo(a + PAGE + 0x10);
        assertThat(r.state()).isEqualTo("killed");
    }

    /** PROT_NONE pages keep their frames; mprotect back makes them accessible again without faults. */
    @Test
    void protNoneAndBackShouldKeepThePages() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        sim.touch(pid, a, 4 * PAGE, "write");
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        sim.mprotect(pid, a, 4 * PAGE, "---");
        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon);
        sim.mprotect(pid, a, 4 * PAGE, "rw-");
        Touch.Result r = sim.touch(pid, a, 4 * PAGE, "read");

        assertThat(r.faults().minor()).isZero();
        assertThat(r.signal()).isNull();
    }

    /** pte_modify keeps _PAGE_CHG_MASK (pfn, accessed, dirty, soft-dirty, special): mprotect changes only the protection. */
    @Test
    void mprotectShouldKeepTheChangeMaskBits() {
        long a = sim.mmapAnon(pid, PAGE, "rw-");
        sim.touch(pid, a, 1, "write");
        // no CONFIG_MEM_SOFT_DIRTY in the simulated kernel: plant the bit to see mprotect keep it
        sim.mm(pid).pgd().set(a, sim.mm(pid).pgd().get(a) | Pte._PAGE_SOFT_DIRTY);
        long before = sim.mm(pid).pgd().get(a);

        sim.mprotect(pid, a, PAGE, "r--");

        long after = sim.mm(pid).pgd().get(a);
        assertThat(Pte.softDirty(after)).isTrue();
        assertThat(Pte.dirty(after) && Pte.young(after)).isTrue();
        assertThat(Pte.pfn(after)).isEqualTo(Pte.pfn(before));
    }

    /**
     * A shared anonymous (shmem) mapping wants no write notification, so its vm_page_prot is
     * PAGE_SHARED: mprotect back to rw- makes every present PTE writable, clean or not, and the
     * next write does not fault.
     */
    @Test
    void mprotectOfASharedMappingBackToWritableShouldNeedNoWriteFault() {
        long a = sim.mmap(pid, 0, 4 * PAGE, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();
        sim.touch(pid, a, 4 * PAGE, "read");
        sim.mprotect(pid, a, 4 * PAGE, "r--");
        assertThat(Pte.write(sim.mm(pid).pgd().get(a))).isFalse();

        sim.mprotect(pid, a, 4 * PAGE, "rw-");
        Touch.Result w = sim.touch(pid, a, 4 * PAGE, "write");

        assertThat(Pte.write(sim.mm(pid).pgd().get(a))).isTrue();
        assertThat(w.faults().minor()).isZero();
    }
}
