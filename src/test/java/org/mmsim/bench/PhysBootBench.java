package org.mmsim.bench;

import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Booting a 1 TiB machine; run with {@code -prof gc} to see bytes allocated per boot. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PhysBootBench {
    private final MachineConfig config = Machines.oneTebibyteConfig();

    @Benchmark
    public PhysicalMemory boot1TiB() {
        return new PhysicalMemory(config);
    }
}
