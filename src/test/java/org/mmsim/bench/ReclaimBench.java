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
 * Swap in the core (issue 6), on the 64 MiB RAM + 64 MiB swap preset. One op = one page of a
 * 16 MiB private anonymous mapping (4096 pages), written before the invocation (untimed).
 * <ul>
 *   <li>{@link #swapOutPage}: the swap-out of one exclusive anonymous page
 *       ({@code SwapOut.swapOutPage}: slot allocation, PTE → swap entry, counters, frame freed).
 *       Reclaim (LRU scanning, kswapd) is not built yet, so this is the page-out step alone, not
 *       a full reclaim throughput.</li>
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

    @State(Scope.Thread)
    public static class Written {
        VmSim sim;
        int pid;
        long address;

        @Setup(Level.Invocation)
        public void setUp() {
            sim = VmSim.preset("x86_64-64m-swap64m");
            pid = sim.create();
            address = sim.mmapAnon(pid, PAGES * PAGE, "rw-");
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
