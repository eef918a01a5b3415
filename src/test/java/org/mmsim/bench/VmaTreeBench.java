package org.mmsim.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmaTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * find_vma and get_unmapped_area on a tree of 10 000 VMAs stacked down from mmap_base (x86_64,
 * no ASLR), 1–8 pages each, the first ending at mmap_base and each further one below a random
 * 0–2 page hole, with one 64-page hole in the middle: a 4 KiB mmap finds a hole near the top, a 256 KiB one must find the middle hole
 * through the subtree gaps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VmaTreeBench {
    private static final long P = VmaTree.PAGE_SIZE;
    private static final long TASK_SIZE = 0x7ffffffff000L;
    private static final long MMAP_BASE = 0x7ffff7fff000L;
    private static final int VMAS = 10_000;

    private VmaTree tree;
    private long[] addresses;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        tree = new VmaTree();
        long end = MMAP_BASE;
        for (int i = 0; i < VMAS; i++) {
            long hole = i == 0 ? 0 : i == VMAS / 2 ? 64 : random.nextInt(3);
            end -= hole * P;
            long start = end - (1 + random.nextInt(8)) * P;
            tree.insert(new Vma(start, end, 0x73, start / P));
            end = start;
        }
        tree.checkInvariants();
        addresses = new long[4096];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = end + (long) (random.nextDouble() * (MMAP_BASE - end));
        }
    }

    @Benchmark
    public Vma findVma() {
        next = (next + 1) & (addresses.length - 1);
        return tree.findVma(addresses[next]);
    }

    @Benchmark
    public long getUnmappedArea4KiB() {
        return tree.getUnmappedArea(0, 4096, MmapFlags.MAP_PRIVATE, MMAP_BASE, 4096, TASK_SIZE).address();
    }

    @Benchmark
    public long getUnmappedArea256KiB() {
        return tree.getUnmappedArea(0, 256 * 1024, MmapFlags.MAP_PRIVATE, MMAP_BASE, 4096, TASK_SIZE).address();
    }
}
