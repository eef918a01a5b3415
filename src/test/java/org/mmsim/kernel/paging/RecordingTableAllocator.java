package org.mmsim.kernel.paging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;

/**
 * A fake buddy allocator for table pages: hands out frames from 0x1000 up (reusing freed ones,
 * last freed first, as the per-cpu lists do), records which are live, fails on a double or
 * unknown free, and can be told to run out of memory after a number of allocations.
 */
final class RecordingTableAllocator implements PageTable.TableAllocator {
    private final TreeSet<Long> live = new TreeSet<>();
    private final Deque<Long> freed = new ArrayDeque<>();
    private long nextPfn = 0x1000;
    private long budget = Long.MAX_VALUE;
    long allocations;
    long frees;

    @Override
    public long allocTablePage() {
        if (budget == 0) {
            return PageTable.NO_PFN;
        }
        budget--;
        long pfn = freed.isEmpty() ? nextPfn++ : freed.pop();
        live.add(pfn);
        allocations++;
        return pfn;
    }

    @Override
    public void freeTablePage(long pfn) {
        if (!live.remove(pfn)) {
            throw new AssertionError("free of pfn 0x" + Long.toHexString(pfn) + " that is not allocated");
        }
        freed.push(pfn);
        frees++;
    }

    /** Only {@code n} more allocations succeed. */
    RecordingTableAllocator failAfter(long n) {
        budget = n;
        return this;
    }

    RecordingTableAllocator unlimited() {
        budget = Long.MAX_VALUE;
        return this;
    }

    TreeSet<Long> live() {
        return live;
    }

    /** Marks frames as allocated without handing them out (a restored machine). */
    void adopt(Iterable<Long> pfns) {
        for (long pfn : pfns) {
            live.add(pfn);
            nextPfn = Math.max(nextPfn, pfn + 1);
        }
    }
}
