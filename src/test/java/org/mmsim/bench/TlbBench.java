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
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The touch path's cost with the per-CPU TLB (issue 7). One op = one page.
 *
 * <ul>
 *   <li>{@link #tlbHit}: 32 resident pages read again and again — every page a TLB hit, no walk.</li>
 *   <li>{@link #tlbMissWalk}: 16384 resident pages read — the 64-entry TLB misses every page:
 *       look-up, page-table walk, fill.</li>
 *   <li>{@link #walkWithoutTlb}: control — the same range through {@code Touch.touch} without a
 *       TLB (the kernel's own access path, as before the TLB existed).</li>
 *   <li>{@link #touch1MWrite}: a fresh 4 GiB mapping (1048576 pages) written once through the
 *       TLB: a miss and a {@code do_anonymous_page} per page — the cost stays O(pages touched).
 *       The mapping is made before and unmapped after each invocation, untimed.</li>
 *   <li>{@link #touch1MWriteWithoutTlb}: control — the same without a TLB.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TlbBench {
    static final long PAGE = Arch.PAGE_SIZE;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int PRIVATE_ANON = MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS;
    static final int HOT = 32;
    static final int PAGES = 16384;
    static final int MILLION = 1 << 20;

    /** A process on an 8 GiB machine. */
    public abstract static class Sim {
        Machine machine;
        Processes processes;
        Task task;

        void boot() {
            MachineConfig config = new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(8L << 30, 2)),
                    null, 0, 0, false, Tunables.DEFAULTS);
            machine = new Machine(config);
            machine.apply(new CreateProcess("bench", 0, 65536, 8192, 16384, null));
            processes = machine.processes();
            task = processes.tasks().get(1000);
        }

        long map(long pages) {
            Mmap.Result r = processes.mmap(task, 0, pages * PAGE, RW, PRIVATE_ANON);
            if (r.failed()) {
                throw new IllegalStateException("mmap failed: " + r);
            }
            return r.address();
        }

        static void check(FaultStats st, long hits, long misses) {
            if (st.tlbHits != hits || st.tlbMisses != misses || st.faults() != 0 || st.signal != null) {
                throw new IllegalStateException("expected " + hits + " hits, " + misses + " misses, no fault; got "
                        + st.tlbHits + "/" + st.tlbMisses + ", " + st.faults() + " faults");
            }
        }
    }

    /** 16384 resident pages (written once at setup). */
    @State(Scope.Thread)
    public static class Resident extends Sim {
        long address;

        @Setup(Level.Trial)
        public void setup() {
            boot();
            address = map(PAGES);
            processes.touch(task, address, PAGES * PAGE, Touch.Access.WRITE);
            // the first HOT pages are the TLB's now (tlbMissWalk evicts them again at once)
            processes.touch(task, address, HOT * PAGE, Touch.Access.READ);
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOT)
    public FaultStats tlbHit(Resident s) {
        FaultStats st = s.processes.touch(s.task, s.address, HOT * PAGE, Touch.Access.READ);
        if (st.tlbHits != HOT) {
            Sim.check(st, HOT, 0);
        }
        return st;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public FaultStats tlbMissWalk(Resident s) {
        FaultStats st = s.processes.touch(s.task, s.address, PAGES * PAGE, Touch.Access.READ);
        if (st.tlbMisses + st.tlbHits != PAGES || st.tlbMisses < PAGES - HOT) {
            Sim.check(st, 0, PAGES);
        }
        return st;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public FaultStats walkWithoutTlb(Resident s) {
        FaultStats st = new FaultStats();
        Touch.touch(s.task.mm(), s.processes.ctx(s.task), s.address, PAGES * PAGE, Touch.Access.READ, st);
        return st;
    }

    /** A fresh 1M-page mapping per invocation. */
    @State(Scope.Thread)
    public static class Fresh extends Sim {
        long address;
        FaultStats last;

        @Setup(Level.Trial)
        public void setup() {
            boot();
        }

        @Setup(Level.Invocation)
        public void mapFresh() {
            address = map(MILLION);
        }

        @TearDown(Level.Invocation)
        public void unmap() {
            if (last == null || last.minor != MILLION || last.tlbMisses != MILLION) {
                throw new IllegalStateException("expected " + MILLION + " faults and misses, got "
                        + (last == null ? "none" : last.minor + " / " + last.tlbMisses));
            }
            last = null;
            if (processes.munmap(task, address, MILLION * PAGE).failed()) {
                throw new IllegalStateException("munmap failed");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(MILLION)
    public FaultStats touch1MWrite(Fresh s) {
        return s.last = s.processes.touch(s.task, s.address, MILLION * PAGE, Touch.Access.WRITE);
    }

    /** Control: the same 1M-page write with no TLB in the path (misses counted as none). */
    @Benchmark
    @OperationsPerInvocation(MILLION)
    public FaultStats touch1MWriteWithoutTlb(Fresh s) {
        FaultStats st = new FaultStats();
        Touch.touch(s.task.mm(), s.processes.ctx(s.task), s.address, MILLION * PAGE, Touch.Access.WRITE, st);
        st.tlbMisses = st.minor;
        return s.last = st;
    }
}
