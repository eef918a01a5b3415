package org.mmsim.kernel.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;

/** The glibc 2.36 facts of LINUX.md §9 and the main paths of malloc/malloc.c, on x86_64. */
class MallocTest {
    private final Malloc malloc = new Malloc(8);
    private final FakeSyscalls sys = FakeSyscalls.x8664();

    private MallocResult m(long bytes) {
        MallocResult r = malloc.malloc(bytes, sys);
        malloc.checkInvariants();
        return r;
    }

    private FreeResult f(long address) {
        FreeResult r = malloc.free(address, sys);
        malloc.checkInvariants();
        return r;
    }

    @Test
    void request2sizeOf100IsA112ByteChunkWithSizeField0x71() {
        MallocResult r = m(100);
        assertEquals(112, r.chunkSize());
        assertEquals(0x71, malloc.heap.get(r.chunkAddress()).size);
        assertEquals(32, malloc.sizes().request2size(0));
        assertEquals(32, malloc.sizes().request2size(24));
        assertEquals(48, malloc.sizes().request2size(25));
    }

    @Test
    void firstMallocMakesTheTcacheStructAndGrowsBrkBy0x21000() {
        MallocResult r = m(1);
        assertEquals(sys.startBrk + 0x2a0, r.address());
        assertEquals("brk", r.via());
        assertEquals(0x21000, r.brkIncrement());
        assertEquals(List.of(new MallocSyscall("sbrk", 0, 0x21000, sys.startBrk),
                new MallocSyscall("sbrk", 0, 0, sys.startBrk + 0x21000)), r.syscalls());
        assertEquals(sys.startBrk, malloc.sbrkBase());
        assertEquals(sys.startBrk, malloc.tcacheChunk());
        assertEquals(0x290, malloc.heapChunks().get(0).chunkSize());
        assertEquals(ChunkState.TCACHE_PERTHREAD_STRUCT, malloc.heapChunks().get(0).state());
        assertEquals(MallocPath.TOP, r.path());
    }

    @Test
    void mallocOf128KiBIsMmappedWhenTheTopCannotHoldIt() {
        m(1);
        m(8000);
        MallocResult big = m(128 * 1024);
        assertEquals("mmap", big.via());
        assertEquals(MallocPath.MMAP, big.path());
        assertEquals(0x010, big.address() & 0xfff);
        assertEquals(List.of(new MallocSyscall("mmap", 0, 135168, big.chunkAddress())), big.syscalls());
        assertEquals(1, malloc.nMmaps());
        assertEquals(135168, malloc.mmappedBytes());

        FreeResult freed = f(big.address());
        assertEquals(FreePath.MUNMAP, freed.path());
        assertEquals(big.chunkAddress(), freed.munmapAddress());
        assertEquals(135168, freed.munmapLength());
        assertTrue(freed.thresholdsChanged());
        assertEquals(135168, malloc.mmapThreshold());
        assertEquals(270336, malloc.trimThreshold());

        MallocResult again = m(128 * 1024);
        assertEquals("brk", again.via());
        assertEquals(MallocPath.SYSMALLOC_TOP, again.path());
    }

    @Test
    void requestAboveTheThresholdIsServedFromTheTopWhenTheTopCanHoldIt() {
        m(1); // top is now 0x21000 - 0x290 - 0x20 = 134480 bytes
        MallocResult r = m(128 * 1024); // nb 131088 >= mmap_threshold, but _int_malloc tries the top before sysmalloc
        assertEquals("brk", r.via());
        assertEquals(MallocPath.TOP, r.path());
        assertTrue(r.syscalls().isEmpty());
    }

    @Test
    void settingMmapThresholdTurnsTheDynamicThresholdOff() {
        assertEquals(1, malloc.mallopt(Malloc.M_MMAP_THRESHOLD, 64 * 1024));
        assertTrue(malloc.noDynThreshold());
        MallocResult big = m(200 * 1024);
        assertEquals("mmap", big.via());
        FreeResult freed = f(big.address());
        assertFalse(freed.thresholdsChanged());
        assertEquals(64 * 1024, malloc.mmapThreshold());
        assertEquals(128 * 1024, malloc.trimThreshold());
    }

    @Test
    void dynamicThresholdStopsAtDefaultMmapThresholdMax() {
        m(1);
        MallocResult huge = m(40L * 1024 * 1024);
        assertEquals("mmap", huge.via());
        assertFalse(f(huge.address()).thresholdsChanged());
        assertEquals(128 * 1024, malloc.mmapThreshold());
    }

    @Test
    void glibc236AcceptsAnyMmapThresholdAndRefusesMxfastAbove160() {
        assertEquals(1, malloc.mallopt("M_MMAP_THRESHOLD", 64L * 1024 * 1024 + 1));
        assertEquals(1, malloc.mallopt("M_MMAP_THRESHOLD", -1));
        assertEquals(-1L, malloc.mmapThreshold()); // (size_t) -1: nothing is ever mmapped
        assertEquals(0, malloc.mallopt("M_MXFAST", 161));
        assertEquals(1, malloc.mallopt("M_MXFAST", 0));
        assertEquals(16, malloc.maxFast()); // set_max_fast(0): MIN_CHUNK_SIZE / 2, no chunk is that small
        assertEquals(1, malloc.mallopt(12345, 1));
        assertThrows(KernelInputException.class, () -> malloc.mallopt("M_NOPE", 1));
        assertThrows(KernelInputException.class, () -> malloc.mallopt("M_TOP_PAD", 1L << 40));
    }

    @Test
    void mmapMaxZeroDisablesMmap() {
        malloc.mallopt(Malloc.M_MMAP_MAX, 0);
        MallocResult r = m(4L * 1024 * 1024);
        assertEquals("brk", r.via());
        assertEquals(0, malloc.nMmaps());
    }

    @Test
    void freeAboveTrimThresholdShrinksBrkKeepingTopPad() {
        malloc.mallopt(Malloc.M_MMAP_MAX, 0);
        m(1);
        MallocResult big = m(1024 * 1024);
        long grown = sys.brkGrowth();
        FreeResult r = f(big.address());
        assertEquals(FreePath.TOP, r.path());
        assertTrue(r.trimmedBytes() > 0);
        assertEquals(grown - r.trimmedBytes(), sys.brkGrowth());
        long top = malloc.topChunkSize();
        long keep = malloc.topPad() + malloc.sizes().minsize;
        assertTrue(top > keep && top <= keep + malloc.pageSize(), "systrim keeps top_pad + MINSIZE, page-rounded: " + top);
        assertEquals(0x21000, sys.brkGrowth());
    }

    @Test
    void trimThresholdMinusOneNeverTrims() {
        malloc.mallopt(Malloc.M_MMAP_MAX, 0);
        malloc.mallopt(Malloc.M_TRIM_THRESHOLD, -1);
        m(1);
        MallocResult big = m(1024 * 1024);
        long grown = sys.brkGrowth();
        assertEquals(0, f(big.address()).trimmedBytes());
        assertEquals(grown, sys.brkGrowth());
    }

    @Test
    void freeThenMallocOfTheSameSizeReusesThePointerThroughTheTcache() {
        MallocResult a = m(100);
        FreeResult freed = f(a.address());
        assertEquals(FreePath.TCACHE, freed.path());
        MallocResult b = m(100);
        assertEquals(a.address(), b.address());
        assertEquals(MallocPath.TCACHE, b.path());
    }

    @Test
    void theEighthFreeOfASizeGoesToTheFastbinAndIsServedAfterTheTcache() {
        long[] p = new long[8];
        for (int i = 0; i < 8; i++) {
            p[i] = m(40).address();
        }
        for (int i = 0; i < 7; i++) {
            assertEquals(FreePath.TCACHE, f(p[i]).path());
        }
        assertEquals(FreePath.FASTBIN, f(p[7]).path());
        assertEquals(1, malloc.mallinfo2().smblks());
        for (int i = 6; i >= 0; i--) {
            assertEquals(p[i], m(40).address(), "the tcache is LIFO");
        }
        MallocResult fast = m(40);
        assertEquals(p[7], fast.address());
        assertEquals(MallocPath.FASTBIN, fast.path());
    }

    @Test
    void largeRequestConsolidatesTheFastbins() {
        long[] p = new long[9];
        for (int i = 0; i < 9; i++) {
            p[i] = m(40).address();
        }
        for (int i = 0; i < 9; i++) {
            f(p[i]);
        }
        assertEquals(2, malloc.mallinfo2().smblks());
        m(2000); // a large request: malloc_consolidate before looking at the bins
        assertEquals(0, malloc.mallinfo2().smblks());
    }

    @Test
    void freeOfAtLeast64KiBConsolidatesTheFastbins() {
        malloc.mallopt(Malloc.M_MMAP_MAX, 0);
        long[] p = new long[9];
        for (int i = 0; i < 9; i++) {
            p[i] = m(40).address();
        }
        MallocResult big = m(70_000);
        m(16);
        for (int i = 0; i < 9; i++) {
            f(p[i]);
        }
        FreeResult r = f(big.address());
        assertEquals(FreePath.UNSORTED, r.path());
        assertTrue(r.consolidated());
        assertEquals(0, malloc.mallinfo2().smblks());
    }

    @Test
    void smallBinChunkIsServedAfterUnsortedSorting() {
        long[] p = new long[8];
        for (int i = 0; i < 8; i++) {
            p[i] = m(200).address();
            m(16);
        }
        for (int i = 0; i < 8; i++) {
            f(p[i]); // 7 to the tcache, the 8th to the unsorted bin
        }
        m(300); // sorts the unsorted chunk into small bin 13
        assertEquals(ChunkState.SMALL_BIN, state(p[7]));
        for (int i = 0; i < 7; i++) {
            m(200);
        }
        MallocResult r = m(200);
        assertEquals(p[7], r.address());
        assertEquals(MallocPath.SMALLBIN, r.path());
    }

    @Test
    void chunkAboveTcacheRangeGoesToTheUnsortedBinAndIsAnExactFit() {
        MallocResult a = m(2000);
        m(16);
        FreeResult freed = f(a.address());
        assertEquals(FreePath.UNSORTED, freed.path());
        assertEquals(ChunkState.UNSORTED, state(a.address()));
        MallocResult b = m(2000);
        assertEquals(a.address(), b.address());
        assertEquals(MallocPath.UNSORTED_EXACT, b.path());
    }

    @Test
    void freeCoalescesWithBothNeighbours() {
        long a = m(2000).address();
        long b = m(2000).address();
        long c = m(2000).address();
        m(2000);
        f(a);
        f(c);
        FreeResult r = f(b);
        assertEquals(a - 16, r.mergedChunkAddress());
        assertEquals(3 * 2016, r.mergedChunkSize());
    }

    @Test
    void freeingTheChunkBelowTheTopMergesIntoTheTop() {
        m(1);
        MallocResult a = m(2000);
        long topBefore = malloc.topChunkSize();
        FreeResult r = f(a.address());
        assertEquals(FreePath.TOP, r.path());
        assertEquals(a.chunkAddress(), malloc.topChunk());
        assertEquals(topBefore + 2016, malloc.topChunkSize());
    }

    @Test
    void freeRefusesAPointerMallocNeverReturnedWithoutChangingState() throws IOException {
        long p = m(100).address();
        byte[] before = MallocRandomTest.bytes(malloc);
        KernelInputException e = assertThrows(KernelInputException.class, () -> malloc.free(p + 16, sys));
        assertEquals("address", e.field());
        assertTrue(e.getMessage().contains("free(): invalid pointer"), e.getMessage());
        assertThrows(KernelInputException.class, () -> malloc.free(malloc.tcacheChunk() + 16, sys));
        assertArrayEquals(before, MallocRandomTest.bytes(malloc));
    }

    @Test
    void doubleFreeIsRefusedNamingGlibcsMessage() throws IOException {
        long p = m(100).address();
        f(p);
        byte[] before = MallocRandomTest.bytes(malloc);
        KernelInputException e = assertThrows(KernelInputException.class, () -> malloc.free(p, sys));
        assertTrue(e.getMessage().contains("double free detected in tcache 2"), e.getMessage());
        assertArrayEquals(before, MallocRandomTest.bytes(malloc));

        long big = m(5000).address();
        m(16);
        f(big);
        e = assertThrows(KernelInputException.class, () -> malloc.free(big, sys));
        assertTrue(e.getMessage().contains("double free or corruption"), e.getMessage());
    }

    @Test
    void freeOfNullDoesNothing() {
        FreeResult r = malloc.free(0, sys);
        assertEquals(FreePath.NONE, r.path());
        assertEquals(0, sys.log.size());
    }

    @Test
    void hugeRequestFailsWithEnomem() {
        MallocResult r = m(-1); // (size_t) -1 > PTRDIFF_MAX: refused before the tcache is made
        assertEquals(0, r.address());
        assertNull(r.via());
        assertEquals(Malloc.ENOMEM, r.errno());
        assertEquals(0, malloc.tcacheChunk());
        sys.brkLimit = sys.startBrk + 0x100000;
        sys.refuseMmap = true;
        MallocResult tooBig = m(10L * 1024 * 1024);
        assertEquals(Malloc.ENOMEM, tooBig.errno());
        assertEquals(MallocPath.FAILED, tooBig.path());
    }

    // glibc's csize2tidx is a size_t quotient: a 64 GiB request is past every tcache bin and goes to
    // mmap (which the kernel refuses here), it does not index the tcache with a wrapped int
    @Test
    void requestsOf64GiBAndMoreGoToMmapAndFailWithEnomem() {
        sys.refuseMmap = true;
        sys.brkLimit = sys.startBrk + 0x100000;
        for (long size : new long[] {1L << 36, 1L << 40, 1L << 50, Long.MAX_VALUE >> 1}) {
            MallocResult r = m(size);
            assertEquals(Malloc.ENOMEM, r.errno(), "size " + size);
            assertEquals(0, r.address());
        }
    }

    @Test
    void refusedSbrkContinuesTheHeapInAnMmapRoundedToWholeMiB() {
        sys.refuseSbrk = true;
        MallocResult r = m(1);
        assertEquals("brk", r.via());
        assertFalse(malloc.contiguous());
        long mapping = sys.mappings.firstKey();
        assertEquals(1024 * 1024, sys.mappings.get(mapping));
        assertEquals(mapping, malloc.sbrkBase());
        assertEquals(mapping + 0x2a0, r.address());

        malloc.mallopt(Malloc.M_MMAP_MAX, 0);
        sys.refuseSbrk = false;
        MallocResult grown = m(2 * 1024 * 1024); // sbrk works again: a new top, the old one fenced off
        assertEquals(2, malloc.segments.size());
        assertTrue(malloc.heapChunks().stream().anyMatch(c -> c.state() == ChunkState.FENCEPOST));
        // freeing the fenced old top (>= 64 KiB) ran systrim on the new top before the request was
        // carved from it, so glibc fails this request (see GlibcTraceTest.refusedBrkThenResumedBrk)
        assertEquals(0, grown.address());
        assertEquals("brk", m(2 * 1024 * 1024).via());
    }

    @Test
    void reallocGrowsIntoTheTopInPlace() {
        m(1);
        MallocResult a = m(100);
        MallocResult b = malloc.realloc(a.address(), 1000, sys);
        malloc.checkInvariants();
        assertEquals(a.address(), b.address());
        assertEquals(MallocPath.REALLOC_IN_PLACE, b.path());
        assertEquals(1008, b.chunkSize());
    }

    @Test
    void reallocMovesWhenBlockedAndFreesTheOldChunk() {
        MallocResult a = m(100);
        m(16);
        MallocResult b = malloc.realloc(a.address(), 1000, sys);
        malloc.checkInvariants();
        assertNotEquals(a.address(), b.address());
        assertEquals(ChunkState.TCACHE, state(a.address()));
        MallocResult gone = malloc.realloc(b.address(), 0, sys);
        assertEquals(MallocPath.FREED, gone.path());
        assertEquals(0, gone.address());
    }

    @Test
    void callocNeverTakesFromTheTcache() {
        MallocResult a = m(100);
        f(a.address());
        MallocResult c = malloc.calloc(1, 100, sys);
        assertNotEquals(a.address(), c.address());
        assertEquals(Malloc.ENOMEM, malloc.calloc(1L << 62, 4, sys).errno());
    }

    @Test
    void mmapThresholdZeroMmapsEvenTheTcacheStruct() {
        malloc.mallopt(Malloc.M_MMAP_THRESHOLD, 0);
        MallocResult r = m(1);
        assertEquals("mmap", r.via());
        assertEquals(2, malloc.nMmaps());
        assertEquals(ChunkState.TCACHE_PERTHREAD_STRUCT, malloc.mmappedChunks().get(1).state());
        assertEquals(0, sys.brkGrowth());
    }

    @Test
    void heapViewListsChunksInAddressOrderWithTheirBins() {
        long a = m(100).address();
        long b = m(2000).address();
        m(16);
        f(a);
        f(b);
        List<HeapChunk> chunks = malloc.heapChunks();
        assertEquals(List.of(ChunkState.TCACHE_PERTHREAD_STRUCT, ChunkState.TCACHE, ChunkState.UNSORTED,
                ChunkState.IN_USE, ChunkState.TOP), chunks.stream().map(HeapChunk::state).toList());
        assertEquals(5, chunks.get(1).bin()); // tcache index of a 112-byte chunk: (112 - 32 + 15) / 16
        assertEquals(1, chunks.get(2).bin());
        assertTrue(chunks.get(1).inUse(), "a tcache chunk looks in use to the arena");
        assertFalse(chunks.get(2).inUse());
    }

    @Test
    void snapshotRestoresTheSameAllocator() throws IOException {
        long[] p = new long[30];
        for (int i = 0; i < 30; i++) {
            p[i] = m(37L * i * i).address();
        }
        for (int i = 0; i < 30; i += 3) {
            f(p[i]);
        }
        m(3000);
        byte[] bytes = MallocRandomTest.bytes(malloc);
        Malloc copy = Malloc.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
        copy.checkInvariants();
        assertEquals(malloc.heapChunks(), copy.heapChunks());
        assertEquals(malloc.mallinfo2(), copy.mallinfo2());
        FakeSyscalls sys2 = FakeSyscalls.x8664();
        sys2.brk = sys.brk;
        assertEquals(m(1500).address(), copy.malloc(1500, sys2).address());
    }

    private ChunkState state(long address) {
        return malloc.heapChunks().stream().filter(c -> c.address() == address - 16).findFirst().orElseThrow().state();
    }
}
