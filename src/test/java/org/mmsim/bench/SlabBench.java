package org.mmsim.bench;

import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.slab.Slub;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * kmalloc/kfree through {@link Slub} on a 4 GiB x86_64 node: one op of {@code churn} frees a
 * random live object of 8192 and kmallocs a new one of a random size of 1..4096 bytes (all
 * cache sizes but kmalloc-8k, so slabs fill, empty and go back to the buddy allocator);
 * {@code kmalloc100Kfree} is a kmalloc(100) + kfree pair on a warm kmalloc-128 slab.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlabBench {
    private static final int LIVE = 1 << 13;
    private Slub slub;
    private long[] live;
    private long seed = 0x9E3779B97F4A7C15L;

    @Setup(Level.Trial)
    public void setup() {
        slub = new Machine(Machines.config(Arch.X86_64, 4L << 30)).slub();
        live = new long[LIVE];
        for (int i = 0; i < LIVE; i++) {
            live[i] = slub.kmalloc(1 + (next() & 4095), Gfp.GFP_KERNEL, -1, 0).address();
        }
    }

    private int next() {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int) seed;
    }

    @Benchmark
    public long churn() {
        int i = next() & (LIVE - 1);
        slub.kfree(live[i]);
        long a = slub.kmalloc(1 + (next() & 4095), Gfp.GFP_KERNEL, -1, 0).address();
        live[i] = a;
        return a;
    }

    @Benchmark
    public long kmalloc100Kfree() {
        long a = slub.kmalloc(100, Gfp.GFP_KERNEL, -1, 0).address();
        slub.kfree(a);
        return a;
    }
}
