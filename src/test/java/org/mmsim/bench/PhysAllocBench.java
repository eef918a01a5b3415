package org.mmsim.bench;

import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Buddy allocator churn: one op = free a random live block + allocate a new one in its place,
 * over 65536 live blocks on a 4 GiB x86_64 node (alloc_pages_node, GFP_HIGHUSER_MOVABLE).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PhysAllocBench {
    private static final int LIVE = 1 << 16;
    private PhysicalMemory pm;
    private long[] live;
    private int[] orders;
    private long seed = 0x9E3779B97F4A7C15L;
    private final int gfp = Gfp.GFP_HIGHUSER_MOVABLE;

    @Setup(Level.Trial)
    public void setup() {
        pm = new PhysicalMemory(Machines.config(org.mmsim.kernel.machine.Arch.X86_64, 4L << 30));
        live = new long[LIVE];
        orders = new int[LIVE];
        for (int i = 0; i < LIVE; i++) {
            live[i] = pm.allocPfn(0, gfp, 0, 0);
        }
    }

    private int next() {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int) seed;
    }

    /** Order-0 free + alloc under random churn. */
    @Benchmark
    public long order0AllocFree() {
        int i = next() & (LIVE - 1);
        pm.freePages(live[i], orders[i]);
        long pfn = pm.allocPfn(0, gfp, 0, 0);
        live[i] = pfn;
        orders[i] = 0;
        return pfn;
    }

    /** Mixed orders 0..3 free + alloc under random churn. */
    @Benchmark
    public long mixedOrderAllocFree() {
        int r = next();
        int i = r & (LIVE - 1);
        pm.freePages(live[i], orders[i]);
        int order = (r >>> 20) & 3;
        long pfn = pm.allocPfn(order, gfp, 0, 0);
        live[i] = pfn;
        orders[i] = order;
        return pfn;
    }
}
