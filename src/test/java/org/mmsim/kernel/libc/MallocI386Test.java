package org.mmsim.kernel.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;

/**
 * i386: {@code SIZE_SZ} 4 with {@code MALLOC_ALIGNMENT} 16, so {@code CHUNK_HDR_SZ} (8) is below
 * the alignment: chunks sit at 8 mod 16, {@code SMALLBIN_CORRECTION} is 1, mmapped chunks start 8
 * bytes into their mapping. The expectations follow malloc.c's arithmetic (this machine has no
 * 32-bit C library to trace).
 */
class MallocI386Test {
    private final Malloc malloc = new Malloc(4);
    private final FakeSyscalls sys = FakeSyscalls.i386();

    private MallocResult m(long bytes) {
        MallocResult r = malloc.malloc(bytes, sys);
        malloc.checkInvariants();
        return r;
    }

    @Test
    void sizesFollowSizeSz4AndAlignment16() {
        MallocSizes s = malloc.sizes();
        assertEquals(16, s.minsize);
        assertEquals(16, s.request2size(0));
        assertEquals(16, s.request2size(12));
        assertEquals(32, s.request2size(13));
        assertEquals(112, s.request2size(100));
        assertEquals(1008, s.minLargeSize);
        assertEquals(64, malloc.maxFast());
        assertEquals(80, s.maxFastSize);
        assertEquals(512 * 1024, s.defaultMmapThresholdMax);
        assertEquals(384, s.tcachePerthreadStructBytes);
        assertEquals(1020, malloc.tcacheMaxBytes);
    }

    @Test
    void firstMallocAlignsTheHeapStartAndAsksForACorrectionPage() {
        MallocResult r = m(1);
        // brk + 8 is where the first chunk starts so that its user pointer (chunk + 8) is 16-aligned;
        // the correction sbrk adds the 8 bytes plus the rest of the last page.
        assertEquals(List.of(new MallocSyscall("sbrk", 0, 0x21000, sys.startBrk),
                new MallocSyscall("sbrk", 0, 0x1000, sys.startBrk + 0x21000)), r.syscalls());
        assertEquals(sys.startBrk + 8, malloc.tcacheChunk());
        assertEquals(0x190, malloc.heapChunks().get(0).chunkSize());
        assertEquals(sys.startBrk + 8 + 0x190 + 8, r.address());
        assertEquals(16, r.chunkSize());
        assertEquals(sys.startBrk + 0x22000, malloc.topChunk() + malloc.topChunkSize());
        assertEquals(0x22000, malloc.systemMem());
    }

    @Test
    void mmappedChunkStartsEightBytesIntoItsMapping() {
        MallocResult r = m(200 * 1024);
        assertEquals("mmap", r.via());
        long mapping = sys.mappings.firstKey();
        assertEquals(mapping + 8, r.chunkAddress());
        assertEquals(mapping + 16, r.address());
        long nb = malloc.sizes().request2size(200 * 1024);
        assertEquals(Malloc.alignUp(nb + 4 + 15, 4096), sys.mappings.get(mapping));
        FreeResult f = malloc.free(r.address(), sys);
        assertEquals(mapping, f.munmapAddress());
        assertTrue(f.thresholdsChanged());
        assertEquals(r.chunkSize(), malloc.mmapThreshold());
    }

    @Test
    void dynamicThresholdStopsAt512KiB() {
        MallocResult r = m(600 * 1024);
        assertFalse(malloc.free(r.address(), sys).thresholdsChanged());
        assertEquals(128 * 1024, malloc.mmapThreshold());
    }

    @Test
    void sizesBeyond32BitsAreRefusedAndNegativeOnesWrap() {
        assertThrows(KernelInputException.class, () -> malloc.malloc(1L << 33, sys));
        assertEquals(Malloc.ENOMEM, m(-1).errno()); // (size_t) -1 = 0xffffffff > PTRDIFF_MAX
        assertEquals(1, malloc.mallopt(Malloc.M_TRIM_THRESHOLD, -1));
        assertEquals(0xffff_ffffL, malloc.trimThreshold());
    }
}
