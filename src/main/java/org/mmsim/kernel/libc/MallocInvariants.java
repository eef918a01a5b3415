package org.mmsim.kernel.libc;

import java.util.Map;
import java.util.TreeMap;

/**
 * The structure a sound glibc heap has, in the spirit of malloc.c's {@code check_malloc_state}
 * (built with {@code MALLOC_DEBUG}): chunks tile each heap segment exactly, {@code PREV_INUSE}
 * and {@code prev_size} agree with the bins, no two free non-fast chunks are neighbours, every
 * binned chunk is free and in the right bin, large bins are sorted with a correct skip list,
 * tcache counts match their lists and stay within {@code tcache_count}, mmapped chunks are whole
 * pages, and the statistics add up. Throws IllegalStateException on the first violation.
 */
final class MallocInvariants {
    private final Malloc m;
    private final MallocSizes sizes;
    /** Every chunk reachable from a free list, to catch one reachable twice. */
    private final Map<Long, String> listed = new TreeMap<>();

    MallocInvariants(Malloc m) {
        this.m = m;
        this.sizes = m.sizes;
    }

    void check() {
        checkTcache();
        checkFastbins();
        checkBins();
        checkSegments();
        checkMmapped();
        checkStatistics();
    }

    private void fail(String what) {
        throw new IllegalStateException("malloc invariant: " + what);
    }

    private void list(Chunk p, String where) {
        if (p.address <= 0 || m.heap.get(p.address) != p) {
            fail(where + " holds " + p + ", which is not a heap chunk");
        }
        if (p.allocated) {
            fail(where + " holds " + p + ", which the program still holds");
        }
        if (p == m.top || p == m.tcache) {
            fail(where + " holds the " + (p == m.top ? "top chunk" : "tcache_perthread_struct"));
        }
        String before = listed.put(p.address, where);
        if (before != null) {
            fail(p + " is in " + before + " and in " + where);
        }
    }

    private void checkTcache() {
        for (int i = 0; i < MallocSizes.TCACHE_MAX_BINS; i++) {
            int n = 0;
            for (Chunk p = m.tcacheEntries[i]; p != null; p = p.fd) {
                list(p, "tcache[" + i + "]");
                if (sizes.csize2tidx(p.chunksize()) != i) {
                    fail(p + " in tcache[" + i + "] has the size of tcache[" + sizes.csize2tidx(p.chunksize()) + "]");
                }
                n++;
            }
            if (n != m.tcacheCounts[i]) {
                fail("tcache counts[" + i + "] = " + m.tcacheCounts[i] + " but the list holds " + n);
            }
            if (n > m.tcacheCount) {
                fail("tcache[" + i + "] holds " + n + " chunks, above tcache_count " + m.tcacheCount);
            }
            if (m.tcache == null && n > 0) {
                fail("tcache entries without a tcache_perthread_struct");
            }
        }
    }

    private void checkFastbins() {
        boolean any = false;
        for (int i = 0; i < m.fastbinsY.length; i++) {
            for (Chunk p = m.fastbinsY[i]; p != null; p = p.fd) {
                list(p, "fastbin[" + i + "]");
                if (sizes.fastbinIndex(p.chunksize()) != i) {
                    fail(p + " in fastbin[" + i + "] has another bin's size");
                }
                any = true;
            }
        }
        if (any && !m.haveFastchunks) {
            fail("fast bins hold chunks but have_fastchunks is false");
        }
    }

    private void checkBins() {
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            Chunk bin = m.bins[i];
            Chunk prev = bin;
            for (Chunk p = bin.fd; p != bin; p = p.fd) {
                list(p, "bin[" + i + "]");
                if (p.bk != prev || prev.fd != p) {
                    fail("bin[" + i + "] links broken at " + p);
                }
                long size = p.chunksize();
                if (i > 1 && sizes.binIndex(size) != i) {
                    fail(p + " sits in bin[" + i + "] but belongs in bin[" + sizes.binIndex(size) + "]");
                }
                if (!p.prevInuse()) {
                    fail(p + " is free and binned but its previous chunk is free too");
                }
                if (i >= MallocSizes.NSMALLBINS && prev != bin && prev.chunksize() < size) {
                    fail("large bin[" + i + "] is not sorted by decreasing size at " + p);
                }
                prev = p;
            }
            if (bin.bk != prev) {
                fail("bin[" + i + "] bk does not reach the last chunk");
            }
            if (i >= MallocSizes.NSMALLBINS) {
                checkSkipList(i);
            }
        }
    }

    /** The fd_nextsize ring holds exactly the first chunk of each size, in list order. */
    private void checkSkipList(int i) {
        Chunk bin = m.bins[i];
        Chunk firstOfPrevRun = null;
        Chunk firstOfAll = bin.fd == bin ? null : bin.fd;
        long prevSize = -1;
        for (Chunk p = bin.fd; p != bin; p = p.fd) {
            boolean first = p.chunksize() != prevSize;
            if (first) {
                if (p.fdNextsize == null || p.bkNextsize == null) {
                    fail(p + " starts a size run in bin[" + i + "] but is not on the skip list");
                }
                if (firstOfPrevRun != null && (firstOfPrevRun.fdNextsize != p || p.bkNextsize != firstOfPrevRun)) {
                    fail("bin[" + i + "] skip list does not link " + firstOfPrevRun + " to " + p);
                }
                firstOfPrevRun = p;
            } else if (p.fdNextsize != null) {
                fail(p + " repeats a size in bin[" + i + "] but is on the skip list");
            }
            prevSize = p.chunksize();
        }
        if (firstOfAll != null && (firstOfPrevRun.fdNextsize != firstOfAll || firstOfAll.bkNextsize != firstOfPrevRun)) {
            fail("bin[" + i + "] skip list is not a ring");
        }
    }

    private void checkSegments() {
        int tiled = 0;
        long prevEnd = Long.MIN_VALUE;
        boolean topSeen = m.top == m.initialTop;
        for (Map.Entry<Long, Long> seg : m.segments.entrySet()) {
            long start = seg.getKey();
            long end = seg.getValue();
            if (start < prevEnd || end <= start) {
                fail(String.format("heap segment [%#x, %#x) overlaps or is empty", start, end));
            }
            prevEnd = end;
            Chunk prev = null;
            long a = start;
            while (a < end) {
                Chunk c = m.heap.get(a);
                if (c == null) {
                    fail(String.format("no chunk at %#x inside heap segment [%#x, %#x)", a, start, end));
                }
                if (c.isMmapped()) {
                    fail(c + " in the heap has IS_MMAPPED");
                }
                checkNeighbours(prev, c);
                if (c == m.top) {
                    topSeen = true;
                    if (c.address + c.chunksize() != end) {
                        fail("the top chunk does not end its segment");
                    }
                    if (c.chunksize() < sizes.minsize || !c.prevInuse()) {
                        fail("the top chunk " + c + " is below MINSIZE or lacks PREV_INUSE");
                    }
                }
                if (c.allocated && ((c.address + sizes.chunkHdrSz) & MallocSizes.MALLOC_ALIGN_MASK) != 0) {
                    fail(c + " gives a user pointer that is not 16-aligned");
                }
                prev = c;
                a += c.chunksize();
                tiled++;
            }
            if (a != end) {
                fail(String.format("chunks overrun heap segment [%#x, %#x)", start, end));
            }
            if (start == m.segmentStartOfTop() && prev != m.top) {
                fail("the top chunk is not the last chunk of its segment");
            }
        }
        if (tiled != m.heap.size()) {
            fail(m.heap.size() + " chunk headers but " + tiled + " tile the heap segments");
        }
        if (!topSeen) {
            fail("the top chunk is in no heap segment");
        }
    }

    /** {@code PREV_INUSE}, {@code prev_size} and coalescing between two neighbours. */
    private void checkNeighbours(Chunk prev, Chunk c) {
        if (prev == null) {
            if (!c.prevInuse()) {
                fail("the first chunk of a segment, " + c + ", lacks PREV_INUSE");
            }
            return;
        }
        boolean prevFree = isBinned(prev);
        if (c.prevInuse() == prevFree) {
            fail(c + " has PREV_INUSE " + c.prevInuse() + " but " + prev + " is " + (prevFree ? "free" : "in use"));
        }
        if (prevFree && c.prevSize != prev.chunksize()) {
            fail(c + " has prev_size " + Long.toHexString(c.prevSize) + " but " + prev + " is free");
        }
        if (prevFree && (isBinned(c) || c == m.top)) {
            fail("free chunks " + prev + " and " + c + " are neighbours but were not coalesced");
        }
        if (!prevFree && !prev.allocated && prev != m.tcache && !listed.containsKey(prev.address)
                && m.segmentStartOfTop() == m.segments.floorKey(prev.address)) {
            fail(prev + " is in use but nobody holds it");
        }
    }

    private boolean isBinned(Chunk c) {
        String where = listed.get(c.address);
        return where != null && where.startsWith("bin[");
    }

    private void checkMmapped() {
        long bytes = 0;
        for (Chunk c : m.mmapped.values()) {
            long block = c.address - c.prevSize;
            long total = c.prevSize + c.chunksize();
            if (!c.isMmapped() || (block & (m.pagesize - 1)) != 0 || (total & (m.pagesize - 1)) != 0) {
                fail(c + " is not a page-aligned mmapped chunk");
            }
            if (!c.allocated && c != m.tcache) {
                fail(c + " is mmapped but nobody holds it");
            }
            bytes += total;
        }
        if (m.mmapped.size() != m.nMmaps || bytes != m.mmappedMem) {
            fail("n_mmaps " + m.nMmaps + " / mmapped_mem " + m.mmappedMem + " disagree with "
                    + m.mmapped.size() + " chunks of " + bytes + " bytes");
        }
    }

    private void checkStatistics() {
        long segmentBytes = 0;
        for (Map.Entry<Long, Long> seg : m.segments.entrySet()) {
            segmentBytes += seg.getValue() - seg.getKey();
        }
        if (Long.compareUnsigned(m.systemMem, segmentBytes) < 0) {
            fail("system_mem " + m.systemMem + " is below the " + segmentBytes + " bytes of heap segments");
        }
        if (m.contiguous && m.segments.size() == 1
                && m.systemMem != m.segments.firstEntry().getValue() - m.sbrkBase) {
            fail("system_mem " + m.systemMem + " is not the heap from sbrk_base to the top's end");
        }
        if (Long.compareUnsigned(m.systemMem, m.maxSystemMem) > 0) {
            fail("system_mem above max_system_mem");
        }
    }
}
