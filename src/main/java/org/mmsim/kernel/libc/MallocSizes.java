package org.mmsim.kernel.libc;

/**
 * The size macros of malloc/malloc.c for one word size: {@code SIZE_SZ}, {@code MALLOC_ALIGNMENT}
 * (sysdeps/generic/malloc-alignment.h; 16 on i386 too, sysdeps/i386/malloc-alignment.h),
 * {@code MINSIZE}, {@code request2size}, the bin index macros and the defaults that depend on
 * the word size.
 *
 * <p>Sizes are {@code size_t}: a {@code long} holding the unsigned value; on i386 they stay below
 * 2^32. Worked examples, 64-bit: {@code request2size(100) = (100 + 8 + 15) & ~15 = 112};
 * {@code smallbin_index(112) = 7}; {@code largebin_index(1024) = 48 + (1024 >> 6) = 64}.
 */
public final class MallocSizes {
    /** {@code MALLOC_ALIGNMENT}: 16 on x86_64 and on i386. */
    public static final long MALLOC_ALIGNMENT = 16;
    static final long MALLOC_ALIGN_MASK = MALLOC_ALIGNMENT - 1;
    /** {@code NBINS}. */
    static final int NBINS = 128;
    /** {@code NSMALLBINS}. */
    static final int NSMALLBINS = 64;
    static final long SMALLBIN_WIDTH = MALLOC_ALIGNMENT;
    /** {@code TCACHE_MAX_BINS}. */
    public static final int TCACHE_MAX_BINS = 64;
    /** {@code TCACHE_FILL_COUNT}. */
    public static final int TCACHE_FILL_COUNT = 7;
    /** {@code FASTBIN_CONSOLIDATION_THRESHOLD}: a free of at least 64 KiB consolidates and may trim. */
    public static final long FASTBIN_CONSOLIDATION_THRESHOLD = 65536;
    /**
     * {@code MMAP_AS_MORECORE_SIZE}: the unit of the heap's mmap'd extension when sbrk is refused
     * (see {@code Malloc.sysmallocMmapFallback}).
     */
    public static final long MMAP_AS_MORECORE_SIZE = 1024 * 1024;
    /** {@code DEFAULT_MMAP_THRESHOLD_MIN}. */
    public static final long DEFAULT_MMAP_THRESHOLD = 128 * 1024;
    /** {@code DEFAULT_TRIM_THRESHOLD}. */
    public static final long DEFAULT_TRIM_THRESHOLD = 128 * 1024;
    /** {@code DEFAULT_TOP_PAD} as malloc-machine.h sets it (malloc.c's own default is 0). */
    public static final long DEFAULT_TOP_PAD = 128 * 1024;
    /** {@code DEFAULT_MMAP_MAX}. */
    public static final int DEFAULT_MMAP_MAX = 65536;

    /** {@code SIZE_SZ}: 8 on x86_64, 4 on i386. */
    public final int sizeSz;
    /** {@code CHUNK_HDR_SZ}: {@code 2 * SIZE_SZ}, the distance from chunk to user pointer. */
    public final long chunkHdrSz;
    /** {@code MIN_CHUNK_SIZE}: {@code offsetof(struct malloc_chunk, fd_nextsize)}. */
    public final long minChunkSize;
    /** {@code MINSIZE}: 32 on x86_64, 16 on i386. */
    public final long minsize;
    /** {@code SMALLBIN_CORRECTION}: 1 when {@code MALLOC_ALIGNMENT > CHUNK_HDR_SZ} (i386). */
    final int smallbinCorrection;
    /** {@code MIN_LARGE_SIZE}: 1024 on x86_64, 1008 on i386. */
    public final long minLargeSize;
    /** {@code MAX_FAST_SIZE}: {@code 80 * SIZE_SZ / 4}. */
    public final long maxFastSize;
    /** {@code DEFAULT_MXFAST}: {@code 64 * SIZE_SZ / 4}. */
    public final long defaultMxfast;
    /** {@code NFASTBINS}: {@code fastbin_index(request2size(MAX_FAST_SIZE)) + 1}. */
    final int nfastbins;
    /** {@code DEFAULT_MMAP_THRESHOLD_MAX}: 32 MiB on x86_64, 512 KiB on i386. */
    public final long defaultMmapThresholdMax;
    /** {@code PTRDIFF_MAX}: the largest request {@code checked_request2size} accepts. */
    final long ptrdiffMax;
    /** {@code sizeof (tcache_perthread_struct)}: 64 two-byte counts and 64 pointers. */
    public final long tcachePerthreadStructBytes;
    /** The all-ones {@code size_t}: {@code (size_t) -1}. */
    final long sizeMax;

    private MallocSizes(int sizeSz) {
        this.sizeSz = sizeSz;
        this.chunkHdrSz = 2L * sizeSz;
        this.minChunkSize = 4L * sizeSz;
        this.minsize = (minChunkSize + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK;
        this.smallbinCorrection = MALLOC_ALIGNMENT > chunkHdrSz ? 1 : 0;
        this.minLargeSize = (NSMALLBINS - smallbinCorrection) * SMALLBIN_WIDTH;
        this.maxFastSize = 80L * sizeSz / 4;
        this.defaultMxfast = 64L * sizeSz / 4;
        this.nfastbins = fastbinIndex(request2size(maxFastSize)) + 1;
        this.defaultMmapThresholdMax = sizeSz == 8 ? 4L * 1024 * 1024 * 8 : 512L * 1024;
        this.ptrdiffMax = sizeSz == 8 ? Long.MAX_VALUE : Integer.MAX_VALUE;
        this.tcachePerthreadStructBytes = 2L * TCACHE_MAX_BINS + (long) sizeSz * TCACHE_MAX_BINS;
        this.sizeMax = sizeSz == 8 ? -1L : 0xFFFF_FFFFL;
    }

    /** The 64-bit sizes: {@code SIZE_SZ} 8. */
    public static MallocSizes x8664() {
        return new MallocSizes(8);
    }

    /** The i386 sizes: {@code SIZE_SZ} 4, alignment still 16. */
    public static MallocSizes i386() {
        return new MallocSizes(4);
    }

    /** Sizes for {@code SIZE_SZ} 8 or 4. */
    public static MallocSizes forSizeSz(int sizeSz) {
        if (sizeSz != 8 && sizeSz != 4) {
            throw new IllegalArgumentException("SIZE_SZ must be 8 or 4: " + sizeSz);
        }
        return new MallocSizes(sizeSz);
    }

    /** {@code request2size}: the chunk size for a request, at least {@code MINSIZE}. */
    public long request2size(long req) {
        long padded = req + sizeSz + MALLOC_ALIGN_MASK;
        return Long.compareUnsigned(padded, minsize) < 0 ? minsize : padded & ~MALLOC_ALIGN_MASK;
    }

    /** {@code checked_request2size}'s test: false for a request above {@code PTRDIFF_MAX}. */
    boolean requestFits(long req) {
        return Long.compareUnsigned(req, ptrdiffMax) <= 0;
    }

    /** {@code fastbin_index}: 64-bit 32 → 0, 48 → 1, …, 128 → 6; i386 16 → 0, 32 → 2. */
    int fastbinIndex(long sz) {
        return (int) (sz >>> (sizeSz == 8 ? 4 : 3)) - 2;
    }

    /**
     * {@code csize2tidx}: the tcache bin of a chunk size; 32 → 0, 48 → 1. A size_t quotient beyond
     * an int (a chunk of 32 GiB or more) saturates: it is past every tcache bin either way.
     */
    int csize2tidx(long chunkSize) {
        return (int) Math.min(Integer.MAX_VALUE, (chunkSize - minsize + MALLOC_ALIGNMENT - 1) / MALLOC_ALIGNMENT);
    }

    /** {@code tidx2usize}: the largest request served by tcache bin {@code idx}. */
    long tidx2usize(int idx) {
        return idx * MALLOC_ALIGNMENT + minsize - sizeSz;
    }

    /** {@code in_smallbin_range}. */
    boolean inSmallbinRange(long sz) {
        return Long.compareUnsigned(sz, minLargeSize) < 0;
    }

    /** {@code smallbin_index}. */
    int smallbinIndex(long sz) {
        return (int) (sz >>> 4) + smallbinCorrection;
    }

    /** {@code largebin_index}: {@code largebin_index_64}, or {@code largebin_index_32_big} on i386. */
    int largebinIndex(long sz) {
        long s6 = sz >>> 6;
        long s9 = sz >>> 9;
        long s12 = sz >>> 12;
        long s15 = sz >>> 15;
        long s18 = sz >>> 18;
        if (sizeSz == 8 ? s6 <= 48 : s6 <= 45) {
            return (int) ((sizeSz == 8 ? 48 : 49) + s6);
        }
        if (s9 <= 20) {
            return (int) (91 + s9);
        }
        if (s12 <= 10) {
            return (int) (110 + s12);
        }
        if (s15 <= 4) {
            return (int) (119 + s15);
        }
        if (s18 <= 2) {
            return (int) (124 + s18);
        }
        return 126;
    }

    /** {@code bin_index}. */
    int binIndex(long sz) {
        return inSmallbinRange(sz) ? smallbinIndex(sz) : largebinIndex(sz);
    }

    /** {@code set_max_fast}: the {@code global_max_fast} for an {@code M_MXFAST} value; 128 → 128, 0 → 16. */
    long maxFastFor(long s) {
        return Long.compareUnsigned(s, MALLOC_ALIGN_MASK - sizeSz) <= 0
                ? minChunkSize / 2 : (s + sizeSz) & ~MALLOC_ALIGN_MASK;
    }

    /** A C {@code int} as {@code size_t}: negative values wrap, as in {@code do_set_*(size_t)}. */
    long intToSizeT(int value) {
        return sizeSz == 8 ? value : value & 0xFFFF_FFFFL;
    }

    /** A 64-bit sum truncated to the target's {@code long}: identity on x86_64, sign-extended 32 bits on i386. */
    long targetLong(long value) {
        return sizeSz == 8 ? value : (int) value;
    }

    /** A 64-bit value as the target's {@code size_t}. */
    long targetSizeT(long value) {
        return sizeSz == 8 ? value : value & 0xFFFF_FFFFL;
    }
}
