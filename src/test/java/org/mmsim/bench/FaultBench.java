package org.mmsim.bench;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.mmsim.kernel.mm.MmContext;
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one simulated page fault against one real minor fault of the machine running it
 * (issue 4: simulated ≤ 0.1× real). One op = one page of a fresh 64 MiB private anonymous
 * mapping (16384 pages) touched once; an invocation touches the whole range with one
 * {@link Processes#touch} call, so it takes exactly {@code pages} faults (checked after every
 * invocation). The mapping is made before and unmapped after each invocation, outside the timing
 * ({@code Level.Invocation} is fine here: an invocation is thousands of faults, milliseconds).
 *
 * <ul>
 *   <li>{@link #anonWrite}: {@code do_anonymous_page()} on a write: allocate a zeroed page,
 *       map it writable, rmap and RSS.</li>
 *   <li>{@link #anonRead}: {@code do_anonymous_page()} on a read: map the shared zero page.</li>
 *   <li>{@link #cowAfterRead}: the range was read first (untimed); a write then takes
 *       {@code do_wp_page()} → a private copy of the zero page.</li>
 *   <li>{@link #allocOnly}: control — the page allocation alone, as a write fault makes it.</li>
 *   <li>{@link #realWriteJvm}: the real kernel's write fault from the JVM: one store per page into
 *       a fresh 64 MiB block of {@code Unsafe.allocateMemory} (glibc malloc above its largest mmap
 *       threshold, 32 MiB, so a fresh {@code mmap} that nothing has written and {@code free} gives
 *       back with {@code munmap}). {@link #main} proves it faults: the process's
 *       {@code minflt} grows by one per page. The native figure is {@code src/test/c/minor_fault.c}.</li>
 * </ul>
 *
 * The machine has one 8 GiB x86_64 node so that {@code pages = 1048576} (4 GiB, the HTTP target's
 * range) fits too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultBench {
    static final long PAGE = Arch.PAGE_SIZE;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int PRIVATE_ANON = MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS;
    /** Keep in step with {@code @OperationsPerInvocation}. */
    static final int PAGES = 16384;

    /** A process on a fresh machine and a fresh mapping per invocation. */
    public abstract static class Sim {
        Machine machine;
        Processes processes;
        Task task;
        long address;
        long length;
        FaultStats last;

        @Setup(Level.Trial)
        public void boot() {
            MachineConfig config = new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(8L << 30, 2)),
                    null, 0, 0, false, Tunables.DEFAULTS);
            machine = new Machine(config);
            machine.apply(new CreateProcess("bench", 0, 65536, 8192, 16384, null));
            processes = machine.processes();
            task = processes.tasks().get(1000);
            length = PAGES * PAGE;
        }

        @Setup(Level.Invocation)
        public void map() {
            Mmap.Result r = processes.mmap(task, 0, length, RW, PRIVATE_ANON);
            if (r.failed()) {
                throw new IllegalStateException("mmap failed: " + r);
            }
            address = r.address();
            prepare();
        }

        /** What the range needs before the timed touch. */
        void prepare() {
        }

        @TearDown(Level.Invocation)
        public void unmap() {
            if (last == null || last.minor != PAGES || last.pages != PAGES || last.signal != null) {
                throw new IllegalStateException("expected " + PAGES + " minor faults, got "
                        + (last == null ? "none" : last.minor + " over " + last.pages + " pages, signal " + last.signal));
            }
            last = null;
            if (processes.munmap(task, address, length).failed()) {
                throw new IllegalStateException("munmap failed");
            }
        }
    }

    @State(Scope.Thread)
    public static class Fresh extends Sim {
    }

    @State(Scope.Thread)
    public static class ReadFirst extends Sim {
        @Override
        void prepare() {
            FaultStats st = processes.touch(task, address, length, Touch.Access.READ);
            if (st.zeroPage != PAGES) {
                throw new IllegalStateException("read did not map the zero page: " + st.zeroPage);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public FaultStats anonWrite(Fresh s) {
        return s.last = s.processes.touch(s.task, s.address, s.length, Touch.Access.WRITE);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public FaultStats anonRead(Fresh s) {
        return s.last = s.processes.touch(s.task, s.address, s.length, Touch.Access.READ);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public FaultStats cowAfterRead(ReadFirst s) {
        return s.last = s.processes.touch(s.task, s.address, s.length, Touch.Access.WRITE);
    }

    /**
     * Control, not a fault: the buddy allocator's share of a write fault — the same
     * {@code vma_alloc_folio()} call ({@code GFP_HIGHUSER_MOVABLE | __GFP_ZERO}, owner anon, the
     * task's CPU and policy) {@code pages} times, freed after the invocation.
     */
    @State(Scope.Thread)
    public static class Frames extends Sim {
        final long[] pfns = new long[PAGES];
        MmContext ctx;

        @Override
        public void map() {
            ctx = processes.ctx(task);
        }

        @Override
        public void unmap() {
            for (long pfn : pfns) {
                ctx.phys().putPage(pfn);
            }
        }

        long allocAll() {
            PhysicalMemory phys = ctx.phys();
            long or = 0;
            for (int i = 0; i < PAGES; i++) {
                long pfn = phys.allocPagesMpol(0, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO, null, i, ctx.cpu(),
                        ctx.task(), PageStore.OWNER_ANON);
                pfns[i] = pfn;
                or |= pfn;
            }
            return or;
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long allocOnly(Frames f) {
        return f.allocAll();
    }

    // ------------------------------------------------------------------ the real kernel, from the JVM

    /** A fresh, never written block of native memory per invocation. */
    @State(Scope.Thread)
    public static class Native {
        static final sun.misc.Unsafe U = unsafe();
        long block;
        long base;

        @Setup(Level.Invocation)
        public void allocate() {
            block = U.allocateMemory(PAGES * PAGE + PAGE);
            base = (block + PAGE - 1) & ~(PAGE - 1);
        }

        @TearDown(Level.Invocation)
        public void release() {
            U.freeMemory(block);
        }

        /** One store per page: a real {@code do_anonymous_page()} each. */
        void storeEveryPage() {
            for (long a = base, end = base + PAGES * PAGE; a < end; a += PAGE) {
                U.putByte(a, (byte) 1);
            }
        }

        static sun.misc.Unsafe unsafe() {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void realWriteJvm(Native n) {
        n.storeEveryPage();
    }

    /** {@code minflt} of this process, field 10 of {@code /proc/self/stat}. */
    static long minflt() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }

    /**
     * Proof that {@link #realWriteJvm} takes real faults: the process's minor-fault count per
     * round of {@code storeEveryPage} (the JVM's other threads may add a few).
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Native n = new Native();
        for (int r = 0; r < rounds; r++) {
            n.allocate();
            long f0 = minflt();
            long t0 = System.nanoTime();
            n.storeEveryPage();
            long t1 = System.nanoTime();
            long f1 = minflt();
            n.release();
            System.out.printf("round %d: %d minor faults for %d pages, %.1f ns/page%n", r, f1 - f0, PAGES,
                    (t1 - t0) / (double) PAGES);
        }
    }
}
