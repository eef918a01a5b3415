package org.mmsim.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.fault.FaultStats;
import org.mmsim.kernel.fault.Touch;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.mm.Mmap;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of a simulated fork(2) against a real one (issue 5: simulated ≤ 0.1× real, the native
 * figure is {@code src/test/c/fork_baseline.c}). The parent has a 512 MiB private anonymous
 * mapping ({@code pages} = 131072), every page written, so {@code dup_mmap} copies 131072 present
 * PTEs (write-protecting each in the parent), takes a reference and a mapping on each frame and
 * counts it in the child's RSS. One op = one {@link Processes#fork}. Before each invocation the
 * parent rewrites its range (write-protect faults that reuse every page, as the C baseline's
 * rewrite pass), so every fork starts from the same state; after it the child exits and the parent
 * reaps it (checked: the child's RSS equals the parent's), outside the timing. An invocation is
 * milliseconds, so {@code Level.Invocation} is fine.
 *
 * <p>The machine has one 2 GiB x86_64 node: 512 MiB of data, the parent's and child's page tables.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ForkBench {
    static final long PAGE = Arch.PAGE_SIZE;

    @Param("131072")
    public long pages;

    Machine machine;
    Processes processes;
    Task parent;
    long address;
    long length;
    Task child;

    @Setup(Level.Trial)
    public void boot() {
        MachineConfig config = new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(2L << 30, 2)),
                null, 0, 0, false, Tunables.DEFAULTS);
        machine = new Machine(config);
        machine.apply(new CreateProcess("bench", 0, 65536, 8192, 16384, null));
        processes = machine.processes();
        parent = processes.tasks().get(1000);
        length = pages * PAGE;
        Mmap.Result r = processes.mmap(parent, 0, length, Prot.PROT_READ | Prot.PROT_WRITE,
                MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS);
        if (r.failed()) {
            throw new IllegalStateException("mmap failed: " + r);
        }
        address = r.address();
        FaultStats st = processes.touch(parent, address, length, Touch.Access.WRITE);
        if (st.anonAlloc != pages || st.signal != null) {
            throw new IllegalStateException("expected " + pages + " anonymous pages, got " + st.anonAlloc);
        }
    }

    @Setup(Level.Invocation)
    public void rewrite() {
        FaultStats st = processes.touch(parent, address, length, Touch.Access.WRITE);
        if (st.cowCopy != 0 || st.signal != null) {
            throw new IllegalStateException("the parent's rewrite copied " + st.cowCopy + " pages");
        }
    }

    @TearDown(Level.Invocation)
    public void reap() {
        if (child == null) {
            throw new IllegalStateException("fork failed");
        }
        long childRss = child.mm().counter(MmStruct.MM_ANONPAGES);
        if (childRss != parent.mm().counter(MmStruct.MM_ANONPAGES) || childRss < pages) {
            throw new IllegalStateException("the child's RSS " + childRss + " is not the parent's");
        }
        processes.exit(child, 0);
        Processes.Waited w = processes.waitChild(parent, child.pid());
        if (w.pid() != child.pid()) {
            throw new IllegalStateException("wait answered " + w);
        }
        child = null;
    }

    @Benchmark
    public Task fork() {
        return child = processes.fork(parent).task();
    }
}
