package org.mmsim.kernel.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.FrameView;
import org.mmsim.kernel.task.VmSim;

/** {@code do_anonymous_page()} and the zero page, {@code wp_page_copy()} (LINUX.md §5.2, §5.5). */
class DemandPagingTest {
    private static final long PAGE = VmSim.PAGE;

    /** Reading 100 untouched pages: 100 minor faults, each mapping the shared zero page; RSS does not move. */
    @Test
    void readingUntouchedAnonymousPagesShouldMapTheZeroPageWithoutRss() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 100 * PAGE, "rw-");
        long rss = sim.mm(pid).rss();
        long free = sim.machine.phys().nrFreePages();

        Touch.Result r = sim.touch(pid, a, 100 * PAGE, "read");

        assertThat(r.faults().minor()).isEqualTo(100);
        assertThat(r.faults().major()).isZero();
        assertThat(r.faults().zeroPage()).isEqualTo(100);
        assertThat(sim.mm(pid).rss()).isEqualTo(rss);
        long pte = sim.mm(pid).pgd().get(a);
        assertThat(Pte.pfn(pte)).isEqualTo(sim.machine.phys().zeroPfn());
        assertThat(Pte.special(pte)).isTrue();
        assertThat(Pte.write(pte)).isFalse();
        assertThat(sim.machine.phys().nrFreePages()).as("only the page-table page").isEqualTo(free - 1);
    }

    /** Writing after the zero-page read: 100 more minor faults (wp_page_copy of the zero page), RssAnon +400 kB. */
    @Test
    void writingAfterAZeroPageReadShouldCopyEveryPageOnce() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 100 * PAGE, "rw-");
        sim.touch(pid, a, 100 * PAGE, "read");
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);
        long pgfault = sim.pgfault();
        long minFlt = sim.task(pid).minFlt();

        Touch.Result w = sim.touch(pid, a, 100 * PAGE, "write");

        assertThat(w.faults().minor()).isEqualTo(100);
        assertThat(w.faults().cowCopy()).isEqualTo(100);
        assertThat((sim.mm(pid).counter(MmStruct.MM_ANONPAGES) - anon) * 4).as("RssAnon kB").isEqualTo(400);
        assertThat(sim.pgfault()).isEqualTo(pgfault + 100);
        assertThat(sim.task(pid).minFlt()).isEqualTo(minFlt + 100);

        Touch.Result again = sim.touch(pid, a, 100 * PAGE, "write");
        assertThat(again.faults().minor() + again.faults().major()).isZero();
        assertThat(sim.pgfault()).isEqualTo(pgfault + 100);
    }

    /** A first write allocates at once: GFP_HIGHUSER_MOVABLE, an anon page mapped once, writable, dirty, young. */
    @Test
    void firstWriteShouldAllocateAMovableAnonPageMappedOnce() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");

        Touch.Result r = sim.touch(pid, a, 4 * PAGE, "write");

        assertThat(r.faults().anonAlloc()).isEqualTo(4);
        assertThat(r.faults().zeroPage()).isZero();
        long pte = sim.mm(pid).pgd().get(a);
        assertThat(Pte.write(pte) && Pte.dirty(pte) && Pte.young(pte)).isTrue();
        FrameView f = sim.machine.phys().frame(Pte.pfn(pte));
        assertThat(f.owner()).isEqualTo("anon");
        assertThat(sim.machine.phys().pageMapcount(f.pfn())).isEqualTo(1);
        assertThat(f.mapcount()).as("the raw _mapcount starts at -1").isEqualTo(0);
        assertThat(f.refcount()).isEqualTo(1);
        assertThat(f.zone()).as("the highest zone of a 1 GiB x86_64 machine").isEqualTo("DMA32");
        assertThat(f.migratetype()).isEqualTo("Movable");
        assertThat(f.gfp()).contains("__GFP_MOVABLE").contains("__GFP_HIGHMEM");
        assertThat(r.events()).first().extracting(Touch.Event::kind).isEqualTo("anon");
    }

    /** On i386 GFP_HIGHUSER_MOVABLE reaches HighMem first. */
    @Test
    void i386UserPagesShouldComeFromHighMem() {
        VmSim sim = VmSim.i386();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "rw-");

        sim.touch(pid, a, 1, "write");

        long pte = sim.mm(pid).pgd().get(a);
        assertThat(sim.machine.phys().frame(Pte.pfn(pte)).zone()).isEqualTo("HighMem");
        assertThat(pte >>> 32).as("a 32-bit entry").isZero();
        assertThat(pte & Pte._PAGE_SOFT_DIRTY).as("no soft-dirty bit on i386").isZero();
    }

    /** Reading the program text: a page-cache miss is a major fault; a second process then hits the cache (minor). */
    @Test
    void readingTextShouldBeAMajorFaultFirstAndAMinorOneFromTheCache() {
        VmSim sim = VmSim.x86_64();
        int a = sim.create();
        int b = sim.create();
        long text = sim.mm(a).startCode();

        Touch.Result first = sim.touch(a, text, PAGE, "read");
        Touch.Result second = sim.touch(b, text, PAGE, "read");

        assertThat(first.faults().major()).isEqualTo(1);
        assertThat(second.faults().major()).isZero();
        assertThat(second.faults().minor()).isEqualTo(1);
        assertThat(sim.mm(a).counter(MmStruct.MM_FILEPAGES)).isEqualTo(1);
        long pfn = Pte.pfn(sim.mm(a).pgd().get(text));
        assertThat(Pte.pfn(sim.mm(b).pgd().get(text))).isEqualTo(pfn);
        assertThat(sim.machine.phys().pageMapcount(pfn)).isEqualTo(2);
        assertThat(sim.machine.phys().frame(pfn).owner()).isEqualTo("file");
    }

    /** A write to the private data segment copies the file page (do_cow_fault): RssAnon +1, no RssFile. */
    @Test
    void writingTheDataSegmentShouldCopyTheFilePageIntoAnAnonPage() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long data = sim.mm(pid).startData();
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        Touch.Result w = sim.touch(pid, data, 1, "write");

        assertThat(w.faults().cowCopy()).isEqualTo(1);
        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon + 1);
        assertThat(sim.mm(pid).counter(MmStruct.MM_FILEPAGES)).isZero();
    }

    /** Shared anonymous memory is shmem: RssShmem counts it, and a read maps the shmem page, not the zero page. */
    @Test
    void sharedAnonymousPagesShouldCountAsShmem() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmap(pid, 0, 4 * PAGE, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();

        Touch.Result r = sim.touch(pid, a, 4 * PAGE, "read");
        Touch.Result w = sim.touch(pid, a, 4 * PAGE, "write");

        assertThat(r.faults().zeroPage()).isZero();
        assertThat(sim.mm(pid).counter(MmStruct.MM_SHMEMPAGES)).isEqualTo(4);
        assertThat(w.faults().minor()).as("vm_page_prot is PAGE_SHARED: the read mapped it writable").isZero();
    }
}
