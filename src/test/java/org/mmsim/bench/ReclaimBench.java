package org.mmsim.bench;

import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.swap.SwapOut;
import org.mmsim.kernel.task.VmSim;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reclaim and swap in the core (issue 6), on the 64 MiB RAM + 64 MiB swap preset. One op = one
 * page of a 16 MiB private anonymous mapping (4096 pages), written before the invocation (untimed).
 * <ul>
 *   <li>{@link #directReclaim}: reclaim throughput — {@code try_to_free_pages} called until 4096
 *       pages are reclaimed from the freshly written (young) pages: LRU isolation, the rmap walk and
 *       young-bit test of every scanned page ({@code folio_referenced}: each page is kept once, then
 *       reclaimed), swap-slot allocation, PTE → swap entry, TLB flush, frame freed.</li>
 *   <li>{@link #writeUnderPressure}: one page of an 80 MiB write on the 30 MiB of RAM the preset
 *       leaves: anonymous fault, direct reclaim and kswapd swapping older pages out, per page written.</li>
 *   <li>{@link #swapOutPage}: the page-out step alone, for one chosen exclusive anonymous page
 *       ({@code SwapOut.swapOutPage}: slot allocation, PTE → swap entry, counters, frame freed).</li>
 *   <li>{@link #swapInFault}: one {@code do_swap_page} major fault (frame allocation, map,
 *       slot freed), through one {@code touch} of the whole swapped-out range.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReclaimBench {
    static final long PAGE = 4096;
    /** Keep in step with {@code @OperationsPerInvocation}. */
    static final int PAGES = 4096;

    /** A fresh preset machine with one process and a private anonymous mapping of {@code pages}. */
    abstract static class Prepared {
        VmSim sim;
        int pid;
        long address;

        void map(long pages) {
            sim = VmSim.preset("x86_64-64m-swap64m");
            pid = sim.create();
            address = sim.mmapAnon(pid, pages * PAGE, "rw-");
        }
    }

    @State(Scope.Thread)
    public static class Written extends Prepared {
        @Setup(Level.Invocation)
        public void setUp() {
            map(PAGES);
            sim.touch(pid, address, PAGES * PAGE, "write");
        }
    }

    @State(Scope.Thread)
    public static class SwappedOut extends Written {
        @Override
        @Setup(Level.Invocation)
        public void setUp() {
            super.setUp();
            for (int i = 0; i < PAGES; i++) {
                if (!SwapOut.swapOutPage(sim.mm(pid), sim.machine.phys(), address + i * PAGE)) {
                    throw new IllegalStateException("page " + i + " not swapped out");
                }
            }
        }
    }

    /** The zone index of ZONE_MOVABLE: {@code gfp_zone(GFP_HIGHUSER_MOVABLE)}, a user page's reclaim_idx. */
    static int movableIdx(org.mmsim.kernel.phys.PhysicalMemory phys) {
        for (int z = 0; z < phys.nrZonesPerNode(); z++) {
            if (phys.zoneTypeOfIdx(z).procName().equals("Movable")) {
                return z;
            }
        }
        throw new IllegalStateException("no Movable zone index");
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long directReclaim(Written w) {
        var vmscan = w.sim.machine.vmscan();
        int idx = movableIdx(w.sim.machine.phys());
        long reclaimed = 0;
        while (reclaimed < PAGES) {
            long n = vmscan.tryToFreePages(new int[] {0}, idx, 0);
            if (n == 0) {
                throw new IllegalStateException("reclaim stalled after " + reclaimed + " pages");
            }
            reclaimed += n;
        }
        return reclaimed;
    }

    /** Keep in step with {@code @OperationsPerInvocation} of {@link #writeUnderPressure}: 80 MiB. */
    static final int PRESSURE_PAGES = 20480;

    @State(Scope.Thread)
    public static class Mapped extends Prepared {
        @Setup(Level.Invocation)
        public void setUp() {
            map(PRESSURE_PAGES);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PRESSURE_PAGES)
    public long writeUnderPressure(Mapped m) {
        Touch.Result r = (Touch.Result) m.sim.machine.apply(new Touch(m.pid, m.address, PRESSURE_PAGES * PAGE,
                "write"));
        if (r.signal() != null || m.sim.machine.phys().swap().pswpout() == 0) {
            throw new IllegalStateException("the write did not complete through reclaim: " + r.signal());
        }
        return r.pages();
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int swapOutPage(Written w) {
        int n = 0;
        for (int i = 0; i < PAGES; i++) {
            if (SwapOut.swapOutPage(w.sim.mm(w.pid), w.sim.machine.phys(), w.address + i * PAGE)) {
                n++;
            }
        }
        if (n != PAGES) {
            throw new IllegalStateException(n + " pages swapped out");
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long swapInFault(SwappedOut s) {
        // Machine.apply directly: VmSim.touch would check every invariant inside the timing
        Touch.Result r = (Touch.Result) s.sim.machine.apply(new Touch(s.pid, s.address, PAGES * PAGE, "read"));
        if (r.faults().major() != PAGES) {
            throw new IllegalStateException(r.faults().major() + " major faults");
        }
        return r.pages();
    }
}
