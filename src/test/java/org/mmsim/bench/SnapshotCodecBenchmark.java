package org.mmsim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.Presets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Snapshot encode and decode: a fresh machine (the cost must not depend on its size) and one
 * that has made {@code allocations} kernel allocations of mixed orders and freed a third of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotCodecBenchmark {

    @Param({"x86_64-1node-1g", "x86_64-4node-1t"})
    public String preset;

    @Param({"0", "10000"})
    public int allocations;

    private Machine machine;
    private byte[] encoded;

    @Setup
    public void build() {
        machine = new Machine(Presets.byName(preset).orElseThrow().machine());
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < allocations; i++) {
            int order = random.nextInt(4);
            var r = (AllocPages.Result) machine.apply(new AllocPages(order, "GFP_KERNEL", -1, 0, null));
            if (r.pfn() >= 0 && random.nextInt(3) == 0) {
                machine.apply(new FreePages(r.pfn(), order));
            }
        }
        encoded = MachineCodec.encode(machine);
        System.out.printf("%n%s after %d allocations: snapshot %d bytes%n", preset, allocations, encoded.length);
    }

    @Benchmark
    public byte[] encode() {
        return MachineCodec.encode(machine);
    }

    @Benchmark
    public Machine decode() {
        return MachineCodec.decode(encoded);
    }
}
