package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mallopt;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;

/** glibc 2.36 malloc in a simulated process: where the chunks land and what the kernel sees (LINUX.md §9). */
class MallocPlacementTest {
    private static final long KiB = VmSim.KiB;

    /** sysmalloc grows brk by nb + top_pad + MINSIZE page-rounded = 0x21000; the tcache struct takes the first 0x290. */
    @Test
    void firstMallocShouldGrowTheBreakBy0x21000AndReturnHeapStartPlus0x2a0() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long startBrk = sim.mm(pid).startBrk();

        Malloc.Result r = sim.malloc(pid, 1);

        assertThat(r.via()).isEqualTo("brk");
        assertThat(r.brkIncrement()).isEqualTo(0x21000);
        assertThat(r.address()).isEqualTo(startBrk + 0x2a0);
        assertThat(sim.mm(pid).brk()).isEqualTo(startBrk + 0x21000);
        Vma heap = sim.vmaAt(pid, startBrk);
        assertThat(heap.vmStart()).isEqualTo(startBrk);
        assertThat(heap.vmEnd()).isEqualTo(startBrk + 0x21000);
    }

    /** Small requests after the first come from the top chunk without a system call. */
    @Test
    void smallMallocsShouldBeCarvedFromTheTopWithoutMovingTheBreak() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        Malloc.Result a = sim.malloc(pid, 100);
        long brk = sim.mm(pid).brk();

        Malloc.Result b = sim.malloc(pid, 100);

        assertThat(b.brkIncrement()).isZero();
        assertThat(b.chunkSize()).as("request2size(100)").isEqualTo(112);
        assertThat(b.address()).isEqualTo(a.address() + 112);
        assertThat(sim.mm(pid).brk()).isEqualTo(brk);
    }

    /**
     * A request of at least mmap_threshold that the top cannot hold is mmapped: its own mapping,
     * placed top-down under mmap_base, user pointer = page + 0x10.
     */
    @Test
    void requestAboveTheThresholdThatTheTopCannotHoldShouldBeMmappedUnderMmapBase() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        sim.malloc(pid, 8 * KiB);
        int before = sim.mapCount(pid);

        Malloc.Result r = sim.malloc(pid, 128 * KiB);

        assertThat(r.via()).isEqualTo("mmap");
        assertThat(r.address() & 0xfff).isEqualTo(0x010);
        assertThat(r.chunkSize()).as("ALIGN_UP(nb + SIZE_SZ, 4096)").isEqualTo(0x21000);
        long mmapBase = sim.mm(pid).mmapBase();
        assertThat(r.address()).isEqualTo(mmapBase - 0x21000 + 0x10);
        assertThat(sim.mapCount(pid)).isEqualTo(before + 1);
    }

    /** free of an mmapped chunk above the threshold raises it to the chunk size; the same request then comes from the heap. */
    @Test
    void freeOfAnMmappedChunkShouldRaiseTheThresholdSoTheSameRequestComesFromTheHeap() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        sim.malloc(pid, 8 * KiB);
        Malloc.Result mapped = sim.malloc(pid, 128 * KiB);
        int withMapping = sim.mapCount(pid);

        Free.Result f = sim.free(pid, mapped.address());

        assertThat(f.munmapLength()).isEqualTo(0x21000);
        assertThat(f.mmapThreshold()).isEqualTo(135168);
        assertThat(f.trimThreshold()).isEqualTo(2 * 135168);
        assertThat(sim.mapCount(pid)).isEqualTo(withMapping - 1);
        Malloc.Result again = sim.malloc(pid, 128 * KiB);
        assertThat(again.via()).isEqualTo("brk");
        assertThat(again.brkIncrement()).isPositive();
        assertThat(sim.vmaAt(pid, again.address()).vmStart()).isEqualTo(sim.mm(pid).startBrk());
    }

    /** mallopt(M_MMAP_THRESHOLD) lowers the threshold (and freezes it): a 64 KiB request is then mmapped. */
    @Test
    void malloptMmapThresholdShouldSendSmallerRequestsToMmap() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        sim.malloc(pid, 1);

        Mallopt.Result set = sim.apply(new Mallopt(pid, "M_MMAP_THRESHOLD", 64 * KiB));
        Malloc.Result r = sim.malloc(pid, 200 * KiB - 4096);
        Malloc.Result small = sim.malloc(pid, 64 * KiB);

        assertThat(set.returned()).isEqualTo(1);
        assertThat(set.mmapThreshold()).isEqualTo(64 * KiB);
        assertThat(r.via()).isEqualTo("mmap");
        assertThat(small.via()).as("the top (~130 KiB) holds it: service order is top before sysmalloc").isEqualTo("brk");
        Free.Result f = sim.free(pid, r.address());
        assertThat(f.mmapThreshold()).as("no dynamic threshold after mallopt").isEqualTo(64 * KiB);
    }

    /** systrim: freeing into a top above M_TRIM_THRESHOLD gives memory back with a negative sbrk; the [heap] VMA shrinks. */
    @Test
    void freeOfALargeHeapChunkShouldTrimTheHeapVma() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        MmStruct mm = sim.mm(pid);
        sim.apply(new Mallopt(pid, "M_MMAP_THRESHOLD", 1 << 20));
        sim.malloc(pid, 1);
        Malloc.Result big = sim.malloc(pid, 512 * KiB);
        assertThat(big.via()).isEqualTo("brk");
        long grownEnd = sim.vmaAt(pid, mm.startBrk()).vmEnd();

        Free.Result f = sim.free(pid, big.address());

        assertThat(f.trimmedBytes()).isPositive();
        Vma heap = sim.vmaAt(pid, mm.startBrk());
        assertThat(heap.vmEnd()).isEqualTo(grownEnd - f.trimmedBytes());
        assertThat(heap.vmEnd()).isEqualTo((mm.brk() + 4095) & ~4095L);
        assertThat(heap.vmEnd() - heap.vmStart()).as("top_pad is kept").isGreaterThanOrEqualTo(128 * KiB);
    }

    /** Touching malloc'ed memory faults its pages in: RssAnon grows by the pages written. */
    @Test
    void writingAMallocedBufferShouldFaultItsPagesIn() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        Malloc.Result r = sim.malloc(pid, 40 * KiB);
        long anonBefore = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        var t = sim.touch(pid, r.address(), 40 * KiB, "write");

        long pages = ((r.address() + 40 * KiB - 1) >>> 12) - (r.address() >>> 12) + 1;
        assertThat(t.faults().anonAlloc()).isEqualTo(pages);
        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anonBefore + pages);
    }

    // malloc.c sysmalloc: a break moved below the heap behind glibc's back → malloc_printerr
    // ("break adjusted to free malloc space") → abort(): the process dies of SIGABRT
    @Test
    void mallocAfterTheBreakWasMovedBelowItsHeapAbortsTheProcess() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        org.mmsim.kernel.journal.Malloc.Result first = sim.apply(new org.mmsim.kernel.journal.Malloc(pid, 1));
        long startBrk = sim.mm(pid).startBrk();
        assertThat(first.via()).isEqualTo("brk");
        sim.apply(new org.mmsim.kernel.journal.Malloc(pid, 130_000));
        sim.brk(pid, startBrk);
        org.mmsim.kernel.journal.Malloc.Result r = sim.apply(new org.mmsim.kernel.journal.Malloc(pid, 130_000));
        assertThat(r.signal()).isEqualTo("SIGABRT");
        assertThat(r.error()).isEqualTo("break adjusted to free malloc space");
        assertThat(sim.task(pid).state()).isEqualTo(Task.State.KILLED);
        assertThat(sim.task(pid).exitSignal()).isEqualTo("SIGABRT");
    }
}
