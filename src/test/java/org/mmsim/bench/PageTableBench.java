package org.mmsim.bench;

import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
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
 * x86_64 page-table hot paths: set+get over 1M sequential pages (4 GiB of mappings, 2048 pte
 * tables) with the tables present, the same including pud/pmd/pte_alloc into a fresh tree, a
 * random-access get over those pages (and over a cache-resident 16K of them), and forEachPte over the whole 47-bit user space holding
 * 64 scattered pages. Table pages come from a counter, not the buddy allocator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PageTableBench {
    private static final int PAGES = 1 << 20;
    private static final long BASE = 0x7f0000000000L;
    private static final long PTE = Pte.mkwrite(Pte.mkdirty(Pte.mk(0x12345, Pte.PAGE_COPY)));

    /** Hands out increasing frame numbers; frees are dropped. */
    private static final class CountingAllocator implements PageTable.TableAllocator {
        private long next = 0x100;

        @Override
        public long allocTablePage() {
            return next++;
        }

        @Override
        public void freeTablePage(long pfn) {
        }
    }

    private PageTable full;
    private PageTable sparse;
    private long seed = 0x9E3779B97F4A7C15L;

    @Setup(Level.Trial)
    public void setup() {
        full = PageTable.create(Arch.X86_64, new CountingAllocator());
        for (int i = 0; i < PAGES; i++) {
            full.set(BASE + ((long) i << 12), PTE);
        }
        sparse = PageTable.create(Arch.X86_64, new CountingAllocator());
        for (int i = 0; i < 64; i++) {
            sparse.set(((long) i * 0x1f3a5c7L << 12) & ((1L << 47) - 1), PTE);
        }
    }

    private int next() {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int) seed;
    }

    /** set + get of one page, sequentially over 1M pages whose tables exist. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long setGetSequential() {
        long sum = 0;
        PageTable pt = full;
        for (int i = 0; i < PAGES; i++) {
            long va = BASE + ((long) i << 12);
            pt.set(va, PTE + i);
            sum += pt.get(va);
        }
        return sum;
    }

    /** set + get of one page, sequentially over 1M pages of a fresh tree (allocating 2048 pte tables). */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long setGetSequentialFreshTree() {
        PageTable pt = PageTable.create(Arch.X86_64, new CountingAllocator());
        long sum = 0;
        for (int i = 0; i < PAGES; i++) {
            long va = BASE + ((long) i << 12);
            pt.set(va, PTE);
            sum += pt.get(va);
        }
        return sum + pt.pgtablesBytes();
    }

    /** get of a random page among the 1M mapped (4-level walk, mostly cache misses). */
    @Benchmark
    public long randomGet() {
        return full.get(BASE + ((long) (next() & (PAGES - 1)) << 12));
    }

    /** get of a random page among the first 16K mapped (32 pte tables, cache-resident: the walk itself). */
    @Benchmark
    public long randomGetCacheResident() {
        return full.get(BASE + ((long) (next() & ((1 << 14) - 1)) << 12));
    }

    /** set of a random page among the 1M mapped. */
    @Benchmark
    public boolean randomSet() {
        return full.set(BASE + ((long) (next() & (PAGES - 1)) << 12), PTE);
    }

    /** forEachPte over [0, 2^47) with 64 scattered pages. */
    @Benchmark
    public long forEachSparse47Bit() {
        long[] sum = new long[1];
        sparse.forEachPte(0, 1L << 47, (va, e) -> sum[0] += va);
        return sum[0];
    }
}
