package org.mmsim.kernel.libc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmsim.kernel.KernelInputException;

/**
 * A process's malloc: glibc 2.36's {@code main_arena} and {@code mp_}, single-threaded, with the
 * thread's tcache — {@code __libc_malloc} → {@code _int_malloc}, {@code __libc_free} →
 * {@code _int_free}, {@code malloc_consolidate}, {@code sysmalloc}, {@code systrim},
 * {@code munmap_chunk}, {@code __libc_mallopt} and {@code int_mallinfo}, malloc/malloc.c.
 *
 * <p>The code follows malloc.c branch for branch; the C names are kept in camelCase
 * ({@code nb}, {@code victim}, {@code remainder}, {@code bck}, {@code fwd}). Chunk headers are
 * {@link Chunk} objects kept in an address-ordered map; a header exists exactly where glibc would
 * read one, so {@code chunk_at_offset} is a map lookup. Bins are the same circular doubly linked
 * lists with bin-header sentinels, large bins with their {@code fd_nextsize} skip list.
 *
 * <p>Sections: (1) state and construction; (2) public entry points — malloc, calloc, realloc,
 * free, mallopt; (3) {@code _int_malloc}; (4) {@code _int_free} and {@code malloc_consolidate};
 * (5) {@code sysmalloc}, {@code systrim}, {@code munmap_chunk}; (6) tcache and bin primitives;
 * (7) queries and views. Snapshots are {@link MallocSnapshots}, invariants {@link MallocInvariants}.
 *
 * <p>Addresses and sizes are {@code long}s holding C's unsigned values; comparisons that are
 * unsigned in C are unsigned here. Requests the program makes in error — freeing a pointer
 * malloc never returned, or one already freed — are refused with {@link KernelInputException}
 * before any state changes (glibc would abort the process, or silently corrupt its heap).
 */
public final class Malloc {
    /** {@code M_MXFAST}, malloc/malloc.h. */
    public static final int M_MXFAST = 1;
    public static final int M_TRIM_THRESHOLD = -1;
    public static final int M_TOP_PAD = -2;
    public static final int M_MMAP_THRESHOLD = -3;
    public static final int M_MMAP_MAX = -4;
    public static final int M_CHECK_ACTION = -5;
    public static final int M_PERTURB = -6;
    public static final int M_ARENA_TEST = -7;
    public static final int M_ARENA_MAX = -8;
    /** errno ENOMEM. */
    public static final int ENOMEM = 12;
    /** {@code MAX_ITERS} of the unsorted-bin loop. */
    static final int MAX_ITERS = 10000;
    /** {@code MORECORE_FAILURE}: {@code __glibc_morecore} returns NULL when sbrk fails. */
    static final long MORECORE_FAILURE = 0;
    static final long MAP_FAILED = -1;

    // ------------------------------------------------------------------ (1) state

    final MallocSizes sizes;
    final long pagesize;

    // mp_ (struct malloc_par)
    long trimThreshold;
    long topPad;
    long mmapThreshold;
    long arenaTest;
    long arenaMax;
    int nMmaps;
    int nMmapsMax;
    int maxNMmaps;
    boolean noDynThreshold;
    long mmappedMem;
    long maxMmappedMem;
    long sbrkBase;
    int tcacheBins;
    long tcacheMaxBytes;
    int tcacheCount;
    long tcacheUnsortedLimit;
    /** {@code perturb_byte}: recorded; it changes memory contents, which are not modelled. */
    int perturbByte;
    /** {@code global_max_fast}. */
    long globalMaxFast;

    // main_arena (struct malloc_state)
    final Chunk[] fastbinsY;
    Chunk top;
    /**
     * {@code last_remainder}, as the address it holds: a stale pointer compares equal to a new
     * chunk at that address, as in C.
     */
    long lastRemainder;
    /** {@code bins}, as headers {@code bin_at(1..127)}; index 0 unused. */
    final Chunk[] bins;
    boolean haveFastchunks;
    /** {@code !(flags & NONCONTIGUOUS_BIT)}. */
    boolean contiguous = true;
    long systemMem;
    long maxSystemMem;
    /** {@code initial_top}: the pseudo-chunk of size 0 that is top before the first sysmalloc. */
    final Chunk initialTop;

    // the thread's tcache (tcache_perthread_struct), null until the first malloc succeeds in making it
    Chunk tcache;
    final int[] tcacheCounts = new int[MallocSizes.TCACHE_MAX_BINS];
    final Chunk[] tcacheEntries = new Chunk[MallocSizes.TCACHE_MAX_BINS];

    /** Every chunk header in arena memory (heap and fenceposts), by address. */
    final TreeMap<Long, Chunk> heap = new TreeMap<>();
    /** Every mmapped chunk, by chunk address. */
    final TreeMap<Long, Chunk> mmapped = new TreeMap<>();
    /** The arena's memory as start → end (exclusive) of chunk-tiled ranges: the brk heap and any mmap'd extension. */
    final TreeMap<Long, Long> segments = new TreeMap<>();

    /** A process's malloc for {@code SIZE_SZ} 8 (x86_64) or 4 (i386), 4 KiB pages, in its initial state. */
    public Malloc(int sizeSz) {
        this(sizeSz, 4096);
    }

    /** A malloc whose pages are {@code pageSize} bytes ({@code GLRO(dl_pagesize)}). */
    public Malloc(int sizeSz, long pageSize) {
        if (sizeSz != 8 && sizeSz != 4) {
            throw new KernelInputException("sizeSz", "SIZE_SZ must be 8 (x86_64) or 4 (i386)");
        }
        if (pageSize < 4096 || Long.bitCount(pageSize) != 1) {
            throw new KernelInputException("pageSize", "the page size must be a power of two of at least 4096");
        }
        this.sizes = MallocSizes.forSizeSz(sizeSz);
        this.pagesize = pageSize;
        this.fastbinsY = new Chunk[sizes.nfastbins];
        this.bins = new Chunk[MallocSizes.NBINS];
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            Chunk b = new Chunk(-i, 0);
            b.fd = b;
            b.bk = b;
            bins[i] = b;
        }
        this.initialTop = new Chunk(Long.MIN_VALUE, 0);
        this.top = initialTop;
        // mp_ initializer and ptmalloc_init: set_max_fast (DEFAULT_MXFAST), tcache defaults
        this.topPad = MallocSizes.DEFAULT_TOP_PAD;
        this.nMmapsMax = MallocSizes.DEFAULT_MMAP_MAX;
        this.mmapThreshold = MallocSizes.DEFAULT_MMAP_THRESHOLD;
        this.trimThreshold = MallocSizes.DEFAULT_TRIM_THRESHOLD;
        this.arenaTest = sizeSz == 4 ? 2 : 8;
        this.tcacheBins = MallocSizes.TCACHE_MAX_BINS;
        this.tcacheMaxBytes = sizes.tidx2usize(MallocSizes.TCACHE_MAX_BINS - 1);
        this.tcacheCount = MallocSizes.TCACHE_FILL_COUNT;
        this.tcacheUnsortedLimit = 0;
        this.globalMaxFast = sizes.maxFastFor(sizes.defaultMxfast);
    }

    /** The word size this malloc models. */
    public MallocSizes sizes() {
        return sizes;
    }

    /** The page size. */
    public long pageSize() {
        return pagesize;
    }

    // ------------------------------------------------------------------ (2) entry points

    /** {@code __libc_malloc}: tcache first, then {@code _int_malloc} on the main arena. */
    public MallocResult malloc(long bytes, MallocSyscalls sys) {
        long req = requestBytes(bytes, "bytes");
        Call call = new Call(sys);
        if (!sizes.requestFits(req)) {
            return call.failed();
        }
        long tbytes = sizes.request2size(req);
        int tcIdx = sizes.csize2tidx(tbytes);
        if (tcache == null) {
            tcacheInit(call);
        }
        if (tcIdx < tcacheBins && tcache != null && tcacheCounts[tcIdx] > 0) {
            call.path = MallocPath.TCACHE;
            return call.returned(tcacheGet(tcIdx));
        }
        return call.returned(intMalloc(req, call));
    }

    /**
     * {@code __libc_calloc}: like malloc but never from the tcache, and ENOMEM when
     * {@code nmemb * size} overflows {@code ptrdiff_t}. Zeroing is not modelled (no contents).
     */
    public MallocResult calloc(long nmemb, long size, MallocSyscalls sys) {
        long n = requestBytes(nmemb, "nmemb");
        long elem = requestBytes(size, "size");
        Call call = new Call(sys);
        long bytes;
        try {
            bytes = Math.multiplyExact(n, elem);
        } catch (ArithmeticException overflow) {
            return call.failed();
        }
        if (n < 0 || elem < 0 || !sizes.requestFits(bytes) || bytes < 0) {
            return call.failed();
        }
        if (tcache == null) {
            tcacheInit(call);
        }
        return call.returned(intMalloc(bytes, call));
    }

    /**
     * {@code __libc_realloc} → {@code _int_realloc}: realloc(NULL, n) is malloc, realloc(p, 0)
     * frees; a heap chunk shrinks in place, grows into the top or a free next chunk, or moves
     * (malloc, copy, free). An mmapped chunk stays if it still fits, else moves: mmsim does not
     * model {@code mremap}, so this is the {@code !HAVE_MREMAP} path.
     */
    public MallocResult realloc(long address, long bytes, MallocSyscalls sys) {
        if (address == 0) {
            return malloc(bytes, sys);
        }
        Chunk oldp = userChunk(address, "realloc");
        long req = requestBytes(bytes, "bytes");
        if (req == 0) {
            FreeResult freed = free(address, sys);
            return new MallocResult(0, null, 0, 0, MallocPath.FREED, 0, freed.syscalls());
        }
        Call call = new Call(sys);
        if (!sizes.requestFits(req)) {
            return call.failed();
        }
        long nb = sizes.request2size(req);
        long oldsize = oldp.chunksize();
        if (oldp.isMmapped()) {
            if (Long.compareUnsigned(oldsize - sizes.sizeSz, nb) >= 0) {
                call.path = MallocPath.REALLOC_IN_PLACE;
                return call.returned(oldp);
            }
            MallocResult moved = malloc(req, call);
            if (moved.address() == 0) {
                return call.failed();
            }
            oldp.allocated = false;
            munmapChunk(oldp, call);
            return new MallocResult(moved.address(), moved.via(), moved.chunkAddress(), moved.chunkSize(),
                    moved.path(), 0, call.syscalls);
        }
        if (tcache == null) {
            tcacheInit(call);
        }
        oldp.allocated = false;
        Chunk newp = intRealloc(oldp, oldsize, nb, call);
        if (newp == null) {
            oldp.allocated = true;
            return call.failed();
        }
        return call.returned(newp);
    }

    /**
     * {@code __libc_free}: an mmapped chunk moves the dynamic threshold up to its size (unless a
     * tunable was set) and is unmapped; any other goes to {@code _int_free}.
     *
     * @throws KernelInputException (field {@code "address"}) for a pointer malloc did not return
     *     or that is already free; nothing changes then
     */
    public FreeResult free(long address, MallocSyscalls sys) {
        Call call = new Call(sys);
        if (address == 0) {
            return new FreeResult(0, 0, 0, FreePath.NONE, 0, 0, false, 0, 0, 0, mmapThreshold, trimThreshold, false,
                    call.syscalls);
        }
        Chunk p = userChunk(address, "free");
        p.allocated = false;
        long chunkAddress = p.address;
        long chunkSize = p.chunksize();
        if (p.isMmapped()) {
            boolean changed = false;
            if (!noDynThreshold && Long.compareUnsigned(p.size, mmapThreshold) > 0
                    && Long.compareUnsigned(p.size, sizes.defaultMmapThresholdMax) <= 0) {
                mmapThreshold = p.chunksize();
                trimThreshold = sizes.targetSizeT(2 * mmapThreshold);
                changed = true;
            }
            long block = p.address - p.prevSize;
            long length = p.prevSize + p.chunksize();
            munmapChunk(p, call);
            return new FreeResult(address, chunkAddress, chunkSize, FreePath.MUNMAP, chunkAddress, chunkSize, false,
                    0, block, length, mmapThreshold, trimThreshold, changed, call.syscalls);
        }
        if (tcache == null) {
            tcacheInit(call);
        }
        call.merged = p;
        FreePath path = intFree(p, call);
        Chunk merged = call.merged;
        return new FreeResult(address, chunkAddress, chunkSize, path, merged.address, merged.chunksize(),
                call.consolidated, call.trimmed, 0, 0, mmapThreshold, trimThreshold, false, call.syscalls);
    }

    /**
     * {@code __libc_mallopt}: consolidates the fast bins, then sets one parameter; 1 on success,
     * 0 on a rejected value. Unknown parameters are ignored and answer 1, as in glibc. Setting
     * {@code M_TRIM_THRESHOLD}, {@code M_TOP_PAD}, {@code M_MMAP_THRESHOLD} or {@code M_MMAP_MAX}
     * turns the dynamic mmap threshold off. glibc 2.36 accepts any {@code M_MMAP_THRESHOLD}
     * (checked against the real library: 64 MiB + 1 and -1 both answer 1).
     */
    public int mallopt(int param, int value) {
        mallocConsolidate(null);
        switch (param) {
            case M_MXFAST:
                if (Long.compareUnsigned(sizes.intToSizeT(value), sizes.maxFastSize) <= 0) {
                    globalMaxFast = sizes.maxFastFor(sizes.intToSizeT(value));
                    return 1;
                }
                return 0;
            case M_TRIM_THRESHOLD:
                trimThreshold = sizes.intToSizeT(value);
                noDynThreshold = true;
                return 1;
            case M_TOP_PAD:
                topPad = sizes.intToSizeT(value);
                noDynThreshold = true;
                return 1;
            case M_MMAP_THRESHOLD:
                mmapThreshold = sizes.intToSizeT(value);
                noDynThreshold = true;
                return 1;
            case M_MMAP_MAX:
                nMmapsMax = value;
                noDynThreshold = true;
                return 1;
            case M_PERTURB:
                perturbByte = value;
                return 1;
            case M_ARENA_TEST:
                if (value > 0) {
                    arenaTest = sizes.intToSizeT(value);
                }
                return 1;
            case M_ARENA_MAX:
                if (value > 0) {
                    arenaMax = sizes.intToSizeT(value);
                }
                return 1;
            default:
                return 1;
        }
    }

    /**
     * {@code mallopt} by the {@code <malloc.h>} name ({@code "M_MMAP_THRESHOLD"}); the value must
     * fit a C {@code int}.
     */
    public int mallopt(String name, long value) {
        int param = switch (name) {
            case "M_MXFAST" -> M_MXFAST;
            case "M_TRIM_THRESHOLD" -> M_TRIM_THRESHOLD;
            case "M_TOP_PAD" -> M_TOP_PAD;
            case "M_MMAP_THRESHOLD" -> M_MMAP_THRESHOLD;
            case "M_MMAP_MAX" -> M_MMAP_MAX;
            case "M_CHECK_ACTION" -> M_CHECK_ACTION;
            case "M_PERTURB" -> M_PERTURB;
            case "M_ARENA_TEST" -> M_ARENA_TEST;
            case "M_ARENA_MAX" -> M_ARENA_MAX;
            default -> throw new KernelInputException("param", "unknown mallopt parameter " + name
                    + "; known: M_MXFAST, M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD, M_MMAP_MAX,"
                    + " M_CHECK_ACTION, M_PERTURB, M_ARENA_TEST, M_ARENA_MAX");
        };
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new KernelInputException("value", "mallopt takes a C int: " + value + " is out of range");
        }
        return mallopt(param, (int) value);
    }

    /** A request size as the target's {@code size_t}; on i386 a value outside 32 bits is refused. */
    private long requestBytes(long bytes, String field) {
        if (sizes.sizeSz == 8) {
            return bytes;
        }
        if (bytes < Integer.MIN_VALUE || bytes > 0xFFFF_FFFFL) {
            throw new KernelInputException(field, "does not fit the 32-bit size_t of i386: " + bytes);
        }
        return bytes & 0xFFFF_FFFFL;
    }

    /**
     * The chunk of a pointer the program holds ({@code mem2chunk}), or a refusal that names what
     * glibc would have done with it.
     */
    private Chunk userChunk(long address, String function) {
        long p = address - sizes.chunkHdrSz;
        Chunk c = mmapped.get(p);
        if (c == null) {
            c = heap.get(p);
        }
        if (c != null && c.allocated) {
            return c;
        }
        String what;
        if (c == null || c == tcache || (address & MallocSizes.MALLOC_ALIGN_MASK) != 0) {
            what = "malloc never returned it (glibc: \"" + function + "(): invalid pointer\")";
        } else {
            ChunkState state = stateOf(c);
            what = switch (state) {
                case TCACHE -> "it is already free, in the tcache"
                        + " (glibc: \"free(): double free detected in tcache 2\")";
                case FASTBIN -> c == fastbinsY[sizes.fastbinIndex(c.chunksize())]
                        ? "it is already free, at the head of its fast bin"
                                + " (glibc: \"double free or corruption (fasttop)\")"
                        : "it is already free, in a fast bin (glibc would not notice and corrupt the bin)";
                case TOP -> "it is already free, part of the top chunk (glibc: \"double free or corruption (top)\")";
                default -> "it is already free (glibc: \"double free or corruption (!prev)\")";
            };
        }
        throw new KernelInputException("address", String.format(
                "%s(%#x) refused: %s; the simulator rejects the call instead of aborting the process",
                function, address, what));
    }

    // ------------------------------------------------------------------ (3) _int_malloc

    /** {@code _int_malloc}: fast bin, small bin, unsorted bin, large bins, binmap, top, sysmalloc. */
    private Chunk intMalloc(long bytes, Call call) {
        if (!sizes.requestFits(bytes)) {
            return null;
        }
        long nb = sizes.request2size(bytes);
        int idx;
        if (Long.compareUnsigned(nb, globalMaxFast) <= 0) {
            idx = sizes.fastbinIndex(nb);
            Chunk victim = fastbinsY[idx];
            if (victim != null) {
                fastbinsY[idx] = victim.fd;
                int tcIdx = sizes.csize2tidx(nb);
                if (tcache != null && tcIdx < tcacheBins) {
                    Chunk tcVictim;
                    while (tcacheCounts[tcIdx] < tcacheCount && (tcVictim = fastbinsY[idx]) != null) {
                        fastbinsY[idx] = tcVictim.fd;
                        tcachePut(tcVictim, tcIdx);
                    }
                }
                call.path = MallocPath.FASTBIN;
                return victim;
            }
        }
        if (sizes.inSmallbinRange(nb)) {
            idx = sizes.smallbinIndex(nb);
            Chunk bin = bins[idx];
            Chunk victim = bin.bk;
            if (victim != bin) {
                Chunk bck = victim.bk;
                setInuseBitAtOffset(victim, nb);
                bin.bk = bck;
                bck.fd = bin;
                int tcIdx = sizes.csize2tidx(nb);
                if (tcache != null && tcIdx < tcacheBins) {
                    Chunk tcVictim;
                    while (tcacheCounts[tcIdx] < tcacheCount && (tcVictim = bin.bk) != bin) {
                        bck = tcVictim.bk;
                        setInuseBitAtOffset(tcVictim, nb);
                        bin.bk = bck;
                        bck.fd = bin;
                        tcachePut(tcVictim, tcIdx);
                    }
                }
                call.path = MallocPath.SMALLBIN;
                return victim;
            }
        } else {
            idx = sizes.largebinIndex(nb);
            if (haveFastchunks) {
                mallocConsolidate(call);
            }
        }
        return intMallocSlowPath(nb, idx, call);
    }

    /** {@code _int_malloc} from the unsorted-bin loop on: the {@code for (;;)} that may consolidate and retry once. */
    private Chunk intMallocSlowPath(long nb, int idx, Call call) {
        Chunk unsorted = bins[1];
        long tcacheNb = 0;
        int tcIdx = sizes.csize2tidx(nb);
        if (tcache != null && tcIdx < tcacheBins) {
            tcacheNb = nb;
        }
        boolean returnCached = false;
        long tcacheUnsortedCount = 0;
        for (;;) {
            int iters = 0;
            Chunk victim;
            while ((victim = unsorted.bk) != unsorted) {
                Chunk bck = victim.bk;
                long size = victim.chunksize();
                if (sizes.inSmallbinRange(nb) && bck == unsorted && victim.address == lastRemainder
                        && Long.compareUnsigned(size, nb + sizes.minsize) > 0) {
                    Chunk remainder = splitOff(victim, nb, size - nb);
                    unsorted.bk = remainder;
                    unsorted.fd = remainder;
                    lastRemainder = remainder.address;
                    remainder.bk = unsorted;
                    remainder.fd = unsorted;
                    call.path = MallocPath.LAST_REMAINDER;
                    return victim;
                }
                unsorted.bk = bck;
                bck.fd = unsorted;
                if (size == nb) {
                    setInuseBitAtOffset(victim, size);
                    if (tcacheNb != 0 && tcacheCounts[tcIdx] < tcacheCount) {
                        tcachePut(victim, tcIdx);
                        returnCached = true;
                        continue;
                    }
                    call.path = MallocPath.UNSORTED_EXACT;
                    return victim;
                }
                placeInBin(victim, size);
                ++tcacheUnsortedCount;
                if (returnCached && tcacheUnsortedLimit > 0 && tcacheUnsortedCount > tcacheUnsortedLimit) {
                    call.path = MallocPath.UNSORTED_STASHED;
                    return tcacheGet(tcIdx);
                }
                if (++iters >= MAX_ITERS) {
                    break;
                }
            }
            if (returnCached) {
                call.path = MallocPath.UNSORTED_STASHED;
                return tcacheGet(tcIdx);
            }
            if (!sizes.inSmallbinRange(nb)) {
                Chunk found = largeBinBestFit(nb, idx, call);
                if (found != null) {
                    return found;
                }
            }
            Chunk found = binmapSearch(nb, idx + 1, call);
            if (found != null) {
                return found;
            }
            // use_top
            victim = top;
            long size = victim.chunksize();
            if (Long.compareUnsigned(size, nb + sizes.minsize) >= 0) {
                splitTop(nb);
                call.path = MallocPath.TOP;
                return victim;
            } else if (haveFastchunks) {
                mallocConsolidate(call);
                idx = sizes.binIndex(nb);
            } else {
                return sysmalloc(nb, call);
            }
        }
    }

    /** The unsorted loop's "place chunk in bin": small bins at the front, large bins sorted with the skip list. */
    private void placeInBin(Chunk victim, long size) {
        int victimIndex;
        Chunk bck;
        Chunk fwd;
        if (sizes.inSmallbinRange(size)) {
            victimIndex = sizes.smallbinIndex(size);
            bck = bins[victimIndex];
            fwd = bck.fd;
        } else {
            victimIndex = sizes.largebinIndex(size);
            bck = bins[victimIndex];
            fwd = bck.fd;
            if (fwd != bck) {
                long sizeBits = size | Chunk.PREV_INUSE;
                if (Long.compareUnsigned(sizeBits, bck.bk.size) < 0) {
                    fwd = bck;
                    bck = bck.bk;
                    victim.fdNextsize = fwd.fd;
                    victim.bkNextsize = fwd.fd.bkNextsize;
                    victim.bkNextsize.fdNextsize = victim;
                    fwd.fd.bkNextsize = victim;
                } else {
                    while (Long.compareUnsigned(sizeBits, fwd.size) < 0) {
                        fwd = fwd.fdNextsize;
                    }
                    if (sizeBits == fwd.size) {
                        fwd = fwd.fd; // always insert in the second position
                    } else {
                        victim.fdNextsize = fwd;
                        victim.bkNextsize = fwd.bkNextsize;
                        fwd.bkNextsize = victim;
                        victim.bkNextsize.fdNextsize = victim;
                    }
                    bck = fwd.bk;
                }
            } else {
                victim.fdNextsize = victim;
                victim.bkNextsize = victim;
            }
        }
        victim.bk = bck;
        victim.fd = fwd;
        fwd.bk = victim;
        bck.fd = victim;
    }

    /** A large request's scan of its own bin along the skip list: the smallest chunk that fits. */
    private Chunk largeBinBestFit(long nb, int idx, Call call) {
        Chunk bin = bins[idx];
        Chunk victim = bin.fd;
        if (victim == bin || Long.compareUnsigned(victim.size, nb) < 0) {
            return null;
        }
        victim = victim.bkNextsize;
        long size;
        while (Long.compareUnsigned(size = victim.chunksize(), nb) < 0) {
            victim = victim.bkNextsize;
        }
        if (victim != bin.bk && victim.size == victim.fd.size) {
            victim = victim.fd; // avoid removing the first entry for a size
        }
        takeAndSplit(victim, size, nb, false);
        call.path = MallocPath.LARGEBIN;
        return victim;
    }

    /** The binmap search: the last (smallest) chunk of the first non-empty bin from {@code idx} on. */
    private Chunk binmapSearch(long nb, int idx, Call call) {
        for (int i = idx; i < MallocSizes.NBINS; i++) {
            Chunk bin = bins[i];
            Chunk victim = bin.bk;
            if (victim != bin) {
                takeAndSplit(victim, victim.chunksize(), nb, sizes.inSmallbinRange(nb));
                call.path = MallocPath.BINMAP;
                return victim;
            }
        }
        return null;
    }

    /** Unlink a binned chunk, then exhaust it or split it, the remainder going to the front of the unsorted bin. */
    private void takeAndSplit(Chunk victim, long size, long nb, boolean advertise) {
        long remainderSize = size - nb;
        unlinkChunk(victim);
        if (Long.compareUnsigned(remainderSize, sizes.minsize) < 0) {
            setInuseBitAtOffset(victim, size);
            return;
        }
        Chunk remainder = splitOff(victim, nb, remainderSize);
        Chunk bck = bins[1];
        Chunk fwd = bck.fd;
        remainder.bk = bck;
        remainder.fd = fwd;
        bck.fd = remainder;
        fwd.bk = remainder;
        if (advertise) {
            lastRemainder = remainder.address;
        }
    }

    /**
     * Carve {@code victim} into an {@code nb} chunk and a free remainder: {@code set_head(victim,
     * nb | PREV_INUSE)}, {@code set_head(remainder, remainder_size | PREV_INUSE)},
     * {@code set_foot(remainder, remainder_size)}; clears the remainder's skip links if it is large.
     */
    private Chunk splitOff(Chunk victim, long nb, long remainderSize) {
        Chunk remainder = newChunk(victim.address + nb, remainderSize | Chunk.PREV_INUSE);
        if (!sizes.inSmallbinRange(remainderSize)) {
            remainder.fdNextsize = null;
            remainder.bkNextsize = null;
        }
        victim.size = nb | Chunk.PREV_INUSE;
        setFoot(remainder, remainderSize);
        return remainder;
    }

    /** Split {@code nb} bytes off the top chunk; the rest becomes the new top. */
    private void splitTop(long nb) {
        Chunk victim = top;
        long remainderSize = victim.chunksize() - nb;
        top = newChunk(victim.address + nb, remainderSize | Chunk.PREV_INUSE);
        victim.size = nb | Chunk.PREV_INUSE;
    }

    // ------------------------------------------------------------------ (4) _int_free, malloc_consolidate

    /**
     * {@code _int_free}: tcache, fast bin, or coalesce into the unsorted bin or the top; frees of
     * at least 64 KiB consolidate and trim.
     */
    private FreePath intFree(Chunk p, Call call) {
        long size = p.chunksize();
        int tcIdx = sizes.csize2tidx(size);
        if (tcache != null && tcIdx < tcacheBins && tcacheCounts[tcIdx] < tcacheCount) {
            tcachePut(p, tcIdx);
            return FreePath.TCACHE;
        }
        if (Long.compareUnsigned(size, globalMaxFast) <= 0) {
            haveFastchunks = true;
            int idx = sizes.fastbinIndex(size);
            p.fd = fastbinsY[idx];
            fastbinsY[idx] = p;
            return FreePath.FASTBIN;
        }
        if (p.isMmapped()) {
            munmapChunk(p, call);
            return FreePath.MUNMAP;
        }
        Chunk nextchunk = chunkAt(p.address + size);
        long nextsize = nextchunk.chunksize();
        if (!p.prevInuse()) {
            long prevsize = p.prevSize;
            size += prevsize;
            Chunk prev = chunkAt(p.address - prevsize);
            unlinkChunk(prev);
            forget(p);
            p = prev;
        }
        FreePath path;
        if (nextchunk != top) {
            boolean nextinuse = inuseBitAtOffset(nextchunk, nextsize);
            if (!nextinuse) {
                unlinkChunk(nextchunk);
                forget(nextchunk);
                size += nextsize;
            } else {
                nextchunk.size &= ~Chunk.PREV_INUSE;
            }
            linkUnsortedFront(p, size);
            p.size = size | Chunk.PREV_INUSE;
            setFoot(p, size);
            path = FreePath.UNSORTED;
        } else {
            size += nextsize;
            p.size = size | Chunk.PREV_INUSE;
            forget(top);
            top = p;
            path = FreePath.TOP;
        }
        call.merged = p;
        if (Long.compareUnsigned(size, MallocSizes.FASTBIN_CONSOLIDATION_THRESHOLD) >= 0) {
            if (haveFastchunks) {
                mallocConsolidate(call);
            }
            if (Long.compareUnsigned(top.chunksize(), trimThreshold) >= 0) {
                systrim(topPad, call);
            }
        }
        return path;
    }

    /** Put a free chunk at the front of the unsorted bin, clearing its skip links if it is large. */
    private void linkUnsortedFront(Chunk p, long size) {
        Chunk bck = bins[1];
        Chunk fwd = bck.fd;
        p.fd = fwd;
        p.bk = bck;
        if (!sizes.inSmallbinRange(size)) {
            p.fdNextsize = null;
            p.bkNextsize = null;
        }
        bck.fd = p;
        fwd.bk = p;
    }

    /** {@code malloc_consolidate}: free every fast-bin chunk for real, coalescing, into the unsorted bin or the top. */
    void mallocConsolidate(Call call) {
        haveFastchunks = false;
        if (call != null) {
            call.consolidated = true;
        }
        Chunk unsortedBin = bins[1];
        for (int i = 0; i < fastbinsY.length; i++) {
            Chunk p = fastbinsY[i];
            fastbinsY[i] = null;
            while (p != null) {
                Chunk nextp = p.fd;
                long size = p.chunksize();
                Chunk nextchunk = chunkAt(p.address + size);
                long nextsize = nextchunk.chunksize();
                if (!p.prevInuse()) {
                    long prevsize = p.prevSize;
                    size += prevsize;
                    Chunk prev = chunkAt(p.address - prevsize);
                    unlinkChunk(prev);
                    forget(p);
                    p = prev;
                }
                if (nextchunk != top) {
                    boolean nextinuse = inuseBitAtOffset(nextchunk, nextsize);
                    if (!nextinuse) {
                        size += nextsize;
                        unlinkChunk(nextchunk);
                        forget(nextchunk);
                    } else {
                        nextchunk.size &= ~Chunk.PREV_INUSE;
                    }
                    Chunk firstUnsorted = unsortedBin.fd;
                    unsortedBin.fd = p;
                    firstUnsorted.bk = p;
                    if (!sizes.inSmallbinRange(size)) {
                        p.fdNextsize = null;
                        p.bkNextsize = null;
                    }
                    p.size = size | Chunk.PREV_INUSE;
                    p.bk = unsortedBin;
                    p.fd = firstUnsorted;
                    setFoot(p, size);
                } else {
                    size += nextsize;
                    p.size = size | Chunk.PREV_INUSE;
                    forget(top);
                    top = p;
                }
                p = nextp;
            }
        }
    }

    /** {@code _int_realloc} for a heap chunk: shrink in place, grow into the top or the next free chunk, or move. */
    private Chunk intRealloc(Chunk oldp, long oldsize, long nb, Call call) {
        Chunk next = chunkAt(oldp.address + oldsize);
        long nextsize = next.chunksize();
        Chunk newp;
        long newsize;
        if (Long.compareUnsigned(oldsize, nb) >= 0) {
            newp = oldp;
            newsize = oldsize;
        } else if (next == top && Long.compareUnsigned(oldsize + nextsize, nb + sizes.minsize) >= 0) {
            newsize = oldsize + nextsize;
            oldp.setHeadSize(nb);
            forget(top);
            top = newChunk(oldp.address + nb, (newsize - nb) | Chunk.PREV_INUSE);
            call.path = MallocPath.REALLOC_IN_PLACE;
            return oldp;
        } else if (next != top && !inuseBitAtOffset(next, nextsize)
                && Long.compareUnsigned(oldsize + nextsize, nb) >= 0) {
            newp = oldp;
            newsize = oldsize + nextsize;
            unlinkChunk(next);
            forget(next);
        } else {
            Chunk fresh = intMalloc(nb - MallocSizes.MALLOC_ALIGN_MASK, call);
            if (fresh == null) {
                return null;
            }
            if (fresh == next) {
                newsize = fresh.chunksize() + oldsize;
                forget(fresh);
                newp = oldp;
            } else {
                intFree(oldp, call);
                return fresh;
            }
        }
        call.path = MallocPath.REALLOC_IN_PLACE;
        long remainderSize = newsize - nb;
        if (Long.compareUnsigned(remainderSize, sizes.minsize) < 0) {
            newp.setHeadSize(newsize);
            setInuseBitAtOffset(newp, newsize);
        } else {
            newp.setHeadSize(nb);
            Chunk remainder = newChunk(newp.address + nb, remainderSize | Chunk.PREV_INUSE);
            setInuseBitAtOffset(remainder, remainderSize);
            intFree(remainder, call);
        }
        return newp;
    }

    // ------------------------------------------------------------------ (5) sysmalloc, systrim, munmap_chunk

    /**
     * {@code sysmalloc}: mmap the chunk when {@code nb >= mmap_threshold}, else grow the heap with
     * sbrk and split the top.
     */
    private Chunk sysmalloc(long nb, Call call) {
        if (Long.compareUnsigned(nb, mmapThreshold) >= 0 && nMmaps < nMmapsMax) {
            Chunk p = sysmallocMmap(nb, call);
            if (p != null) {
                call.path = MallocPath.MMAP;
                return p;
            }
        }
        Chunk oldTop = top;
        long oldSize = oldTop.chunksize();
        long oldEnd = oldTop == initialTop ? Long.MIN_VALUE : oldTop.address + oldSize;
        long brk = MORECORE_FAILURE;
        long sndBrk = MORECORE_FAILURE;
        long size = sizes.targetLong(nb + topPad + sizes.minsize);
        if (contiguous) {
            size = sizes.targetLong(size - oldSize);
        }
        size = sizes.targetLong(alignUp(size, pagesize));
        if (size > 0) {
            brk = call.morecore(size);
        }
        if (brk == MORECORE_FAILURE) {
            long[] s = {size};
            long mbrk = sysmallocMmapFallback(s, nb, oldSize, call);
            if (mbrk != MAP_FAILED) {
                brk = mbrk;
                size = s[0];
                sndBrk = brk + size;
            }
        }
        if (brk != MORECORE_FAILURE) {
            if (sbrkBase == 0) {
                sbrkBase = brk;
            }
            systemMem += size;
            if (brk == oldEnd && sndBrk == MORECORE_FAILURE) {
                oldTop.size = (size + oldSize) | Chunk.PREV_INUSE;
                segments.put(segmentOf(oldTop.address), oldEnd + size);
            } else if (contiguous && oldSize != 0 && Long.compareUnsigned(brk, oldEnd) < 0) {
                throw new MallocAbort("break adjusted to free malloc space");
            } else {
                newTopAfterSbrk(oldTop, oldSize, oldEnd, brk, size, sndBrk, call);
            }
        }
        if (Long.compareUnsigned(systemMem, maxSystemMem) > 0) {
            maxSystemMem = systemMem;
        }
        Chunk p = top;
        if (Long.compareUnsigned(p.chunksize(), nb + sizes.minsize) >= 0) {
            splitTop(nb);
            call.path = MallocPath.SYSMALLOC_TOP;
            return p;
        }
        return null;
    }

    /**
     * sysmalloc's "otherwise, make adjustments" branch: the first sbrk, a foreign sbrk, or
     * non-contiguous memory. Aligns the new space's start, asks for the correction that ends it on
     * a page boundary, makes it the top, and fences off and frees the old top.
     */
    private void newTopAfterSbrk(Chunk oldTop, long oldSize, long oldEnd, long brk, long size, long sndBrk,
            Call call) {
        long mask = MallocSizes.MALLOC_ALIGN_MASK;
        long correction = 0;
        long alignedBrk = brk;
        if (contiguous) {
            if (oldSize != 0) {
                systemMem += brk - oldEnd;
            }
            long frontMisalign = (brk + sizes.chunkHdrSz) & mask;
            if (frontMisalign > 0) {
                correction = MallocSizes.MALLOC_ALIGNMENT - frontMisalign;
                alignedBrk += correction;
            }
            correction += oldSize;
            long endMisalign = brk + size + correction;
            correction += alignUp(endMisalign, pagesize) - endMisalign;
            sndBrk = call.morecore(correction);
            if (sndBrk == MORECORE_FAILURE) {
                correction = 0;
                sndBrk = call.morecore(0);
            }
        } else {
            if (MallocSizes.MALLOC_ALIGNMENT != sizes.chunkHdrSz) {
                long frontMisalign = (brk + sizes.chunkHdrSz) & mask;
                if (frontMisalign > 0) {
                    alignedBrk += MallocSizes.MALLOC_ALIGNMENT - frontMisalign;
                }
            }
            if (sndBrk == MORECORE_FAILURE) {
                sndBrk = call.morecore(0);
            }
        }
        if (sndBrk == MORECORE_FAILURE) {
            return;
        }
        long topSize = sndBrk - alignedBrk + correction;
        top = newChunk(alignedBrk, topSize | Chunk.PREV_INUSE);
        segments.put(alignedBrk, alignedBrk + topSize);
        systemMem += correction;
        if (oldSize != 0) {
            fenceOldTop(oldTop, oldSize, call);
        }
    }

    /** Two in-use fenceposts at the end of the old top, so nothing coalesces across the gap; free the rest. */
    private void fenceOldTop(Chunk oldTop, long oldSize, Call call) {
        long hdr = sizes.chunkHdrSz;
        long segment = segmentOf(oldTop.address);
        oldSize = (oldSize - 2 * hdr) & ~MallocSizes.MALLOC_ALIGN_MASK;
        oldTop.size = oldSize | Chunk.PREV_INUSE;
        newChunk(oldTop.address + oldSize, hdr | Chunk.PREV_INUSE);
        newChunk(oldTop.address + oldSize + hdr, hdr | Chunk.PREV_INUSE);
        segments.put(segment, oldTop.address + oldSize + 2 * hdr);
        if (Long.compareUnsigned(oldSize, sizes.minsize) >= 0) {
            intFree(oldTop, call);
        }
    }

    /**
     * {@code sysmalloc_mmap}: a chunk of its own mapping, {@code ALIGN_UP(nb + SIZE_SZ, pagesize)}
     * (plus the alignment slack on i386, where the chunk starts 8 bytes in).
     */
    private Chunk sysmallocMmap(long nb, Call call) {
        long size;
        if (MallocSizes.MALLOC_ALIGNMENT == sizes.chunkHdrSz) {
            size = alignUp(nb + sizes.sizeSz, pagesize);
        } else {
            size = alignUp(nb + sizes.sizeSz + MallocSizes.MALLOC_ALIGN_MASK, pagesize);
        }
        size = sizes.targetSizeT(size);
        if (Long.compareUnsigned(size, nb) <= 0) {
            return null;
        }
        long mm = call.mmap(size);
        if (mm == MAP_FAILED) {
            return null;
        }
        long frontMisalign = MallocSizes.MALLOC_ALIGNMENT == sizes.chunkHdrSz
                ? 0 : (mm + sizes.chunkHdrSz) & MallocSizes.MALLOC_ALIGN_MASK;
        Chunk p;
        if (frontMisalign > 0) {
            long correction = MallocSizes.MALLOC_ALIGNMENT - frontMisalign;
            p = new Chunk(mm + correction, (size - correction) | Chunk.IS_MMAPPED);
            p.prevSize = correction;
        } else {
            p = new Chunk(mm, size | Chunk.IS_MMAPPED);
        }
        mmapped.put(p.address, p);
        nMmaps++;
        maxNMmaps = Math.max(maxNMmaps, nMmaps);
        mmappedMem += size;
        maxMmappedMem = Math.max(maxMmappedMem, mmappedMem);
        return p;
    }

    /**
     * {@code sysmalloc_mmap_fallback} as glibc 2.35–2.36 call it when sbrk fails: with
     * {@code minsize = pagesize} and {@code pagesize = MMAP_AS_MORECORE_SIZE} — the two arguments
     * swapped at the call site — so a contiguous heap's fallback (request plus the old top, which
     * cannot be merged) is rounded up to whole MiB, and a non-contiguous one is at least a page.
     * Checked on Debian glibc 2.36: a 0x198000-byte need made a 2 MiB mapping.
     */
    private long sysmallocMmapFallback(long[] s, long nb, long oldSize, Call call) {
        long minsize = pagesize;
        long alignment = MallocSizes.MMAP_AS_MORECORE_SIZE;
        long size = s[0];
        if (contiguous) {
            size = sizes.targetLong(alignUp(size + oldSize, alignment));
        }
        if (Long.compareUnsigned(sizes.targetSizeT(size), minsize) < 0) {
            size = minsize;
        }
        if (Long.compareUnsigned(sizes.targetSizeT(size), nb) <= 0) {
            return MAP_FAILED;
        }
        long mbrk = call.mmap(size);
        if (mbrk == MAP_FAILED) {
            return MAP_FAILED;
        }
        contiguous = false;
        s[0] = size;
        return mbrk;
    }

    /** {@code systrim}: give whole pages above {@code pad} at the top back with a negative sbrk. */
    private void systrim(long pad, Call call) {
        long topSize = top.chunksize();
        long topArea = sizes.targetLong(topSize - sizes.minsize - 1);
        if (Long.compareUnsigned(sizes.targetSizeT(topArea), pad) <= 0) {
            return;
        }
        long extra = sizes.targetLong(sizes.targetSizeT(topArea - pad) & -pagesize);
        if (extra == 0) {
            return;
        }
        long currentBrk = call.morecore(0);
        if (currentBrk != top.address + topSize) {
            return;
        }
        call.morecore(-extra);
        long newBrk = call.morecore(0);
        if (newBrk == MORECORE_FAILURE) {
            return;
        }
        long released = currentBrk - newBrk;
        if (released != 0) {
            systemMem -= released;
            top.size = (topSize - released) | Chunk.PREV_INUSE;
            segments.put(segmentOf(top.address), top.address + top.chunksize());
            call.trimmed += released;
        }
    }

    /** {@code munmap_chunk}. */
    private void munmapChunk(Chunk p, Call call) {
        long block = p.address - p.prevSize;
        long totalSize = p.prevSize + p.chunksize();
        nMmaps--;
        mmappedMem -= totalSize;
        mmapped.remove(p.address);
        call.munmap(block, totalSize);
    }

    // ------------------------------------------------------------------ (6) tcache and bin primitives

    /** {@code tcache_init}: the first malloc allocates {@code tcache_perthread_struct} with {@code _int_malloc}. */
    private void tcacheInit(Call call) {
        MallocPath saved = call.path;
        Chunk victim = intMalloc(sizes.tcachePerthreadStructBytes, call);
        call.path = saved;
        if (victim != null) {
            tcache = victim;
        }
    }

    /** {@code tcache_put}. */
    private void tcachePut(Chunk chunk, int tcIdx) {
        chunk.fd = tcacheEntries[tcIdx];
        tcacheEntries[tcIdx] = chunk;
        tcacheCounts[tcIdx]++;
    }

    /** {@code tcache_get}. */
    private Chunk tcacheGet(int tcIdx) {
        Chunk e = tcacheEntries[tcIdx];
        tcacheEntries[tcIdx] = e.fd;
        tcacheCounts[tcIdx]--;
        e.fd = null;
        return e;
    }

    /** {@code unlink_chunk}: take a chunk out of its doubly linked bin, repairing the large-bin skip list. */
    private void unlinkChunk(Chunk p) {
        Chunk fd = p.fd;
        Chunk bk = p.bk;
        fd.bk = bk;
        bk.fd = fd;
        if (!sizes.inSmallbinRange(p.chunksize()) && p.fdNextsize != null) {
            // A bin header's fd_nextsize overlays the next bin's fd, never NULL in glibc.
            if (fd.address > 0 && fd.fdNextsize == null) {
                if (p.fdNextsize == p) {
                    fd.fdNextsize = fd;
                    fd.bkNextsize = fd;
                } else {
                    fd.fdNextsize = p.fdNextsize;
                    fd.bkNextsize = p.bkNextsize;
                    p.fdNextsize.bkNextsize = fd;
                    p.bkNextsize.fdNextsize = fd;
                }
            } else {
                p.fdNextsize.bkNextsize = p.bkNextsize;
                p.bkNextsize.fdNextsize = p.fdNextsize;
            }
        }
        // glibc leaves the old links in the chunk; nothing reads them before they are rewritten
        p.fdNextsize = null;
        p.bkNextsize = null;
    }

    /** {@code chunk_at_offset} for a header that must exist. */
    Chunk chunkAt(long address) {
        Chunk c = heap.get(address);
        if (c == null) {
            throw new IllegalStateException("no chunk header at " + Long.toHexString(address));
        }
        return c;
    }

    /** {@code set_head} at an address where no header was: the header now exists. */
    private Chunk newChunk(long address, long size) {
        Chunk c = new Chunk(address, size);
        heap.put(address, c);
        return c;
    }

    /** A header that coalescing absorbed: glibc leaves its bytes, nothing reads them again. */
    private void forget(Chunk c) {
        heap.remove(c.address);
    }

    /** {@code set_foot}: the next chunk's {@code prev_size}. */
    private void setFoot(Chunk p, long size) {
        chunkAt(p.address + size).prevSize = size;
    }

    /** {@code set_inuse_bit_at_offset}. */
    private void setInuseBitAtOffset(Chunk p, long offset) {
        chunkAt(p.address + offset).size |= Chunk.PREV_INUSE;
    }

    /** {@code inuse_bit_at_offset}. */
    private boolean inuseBitAtOffset(Chunk p, long offset) {
        return chunkAt(p.address + offset).prevInuse();
    }

    /** The start of the segment holding the top chunk; {@code Long.MIN_VALUE} before the first heap growth. */
    long segmentStartOfTop() {
        return top == initialTop ? Long.MIN_VALUE : segmentOf(top.address);
    }

    /** The start of the segment holding {@code address}. */
    private long segmentOf(long address) {
        Map.Entry<Long, Long> e = segments.floorEntry(address);
        if (e == null) {
            throw new IllegalStateException("no heap segment holds " + Long.toHexString(address));
        }
        return e.getKey();
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    // ------------------------------------------------------------------ (7) queries and views

    /** {@code mp_.mmap_threshold}. */
    public long mmapThreshold() {
        return mmapThreshold;
    }

    /** {@code mp_.trim_threshold}. */
    public long trimThreshold() {
        return trimThreshold;
    }

    /** {@code mp_.top_pad}. */
    public long topPad() {
        return topPad;
    }

    /** {@code mp_.n_mmaps}: mmapped chunks held. */
    public int nMmaps() {
        return nMmaps;
    }

    /** {@code mp_.n_mmaps_max}. */
    public int nMmapsMax() {
        return nMmapsMax;
    }

    /** {@code mp_.mmapped_mem}: bytes in mmapped chunks. */
    public long mmappedBytes() {
        return mmappedMem;
    }

    /** {@code mp_.no_dyn_threshold}. */
    public boolean noDynThreshold() {
        return noDynThreshold;
    }

    /** {@code global_max_fast}: the largest chunk size that goes to a fast bin. */
    public long maxFast() {
        return globalMaxFast;
    }

    /** {@code perturb_byte}. */
    public int perturbByte() {
        return perturbByte;
    }

    /** {@code mp_.sbrk_base}: the break the first heap growth returned; 0 before. */
    public long sbrkBase() {
        return sbrkBase;
    }

    /** {@code main_arena.system_mem}. */
    public long systemMem() {
        return systemMem;
    }

    /** The top chunk's address; 0 before the first heap growth. */
    public long topChunk() {
        return top == initialTop ? 0 : top.address;
    }

    /** The top chunk's size; 0 before the first heap growth. */
    public long topChunkSize() {
        return top.chunksize();
    }

    /** The {@code tcache_perthread_struct} chunk's address; 0 before the first malloc. */
    public long tcacheChunk() {
        return tcache == null ? 0 : tcache.address;
    }

    /** False once sbrk failed and the heap went on in mmap'd memory ({@code NONCONTIGUOUS_BIT}). */
    public boolean contiguous() {
        return contiguous;
    }

    /** {@code malloc_usable_size}: 0 for NULL or a pointer the program does not hold. */
    public long mallocUsableSize(long address) {
        Chunk p = mmapped.get(address - sizes.chunkHdrSz);
        if (p == null) {
            p = heap.get(address - sizes.chunkHdrSz);
        }
        if (p == null || !p.allocated) {
            return 0;
        }
        return p.isMmapped() ? p.chunksize() - sizes.chunkHdrSz : p.chunksize() - sizes.sizeSz;
    }

    /** {@code __libc_mallinfo2} → {@code int_mallinfo} for the main arena. */
    public Mallinfo2 mallinfo2() {
        long avail = top.chunksize();
        long nblocks = 1;
        long nfastblocks = 0;
        long fastavail = 0;
        for (Chunk head : fastbinsY) {
            for (Chunk p = head; p != null; p = p.fd) {
                nfastblocks++;
                fastavail += p.chunksize();
            }
        }
        avail += fastavail;
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            for (Chunk p = bins[i].bk; p != bins[i]; p = p.bk) {
                nblocks++;
                avail += p.chunksize();
            }
        }
        return new Mallinfo2(systemMem, nblocks, nfastblocks, nMmaps, mmappedMem, 0, fastavail,
                systemMem - avail, avail, top.chunksize());
    }

    /** The arena's chunks in address order, with what each one is. */
    public List<HeapChunk> heapChunks() {
        Map<Long, HeapChunk> binned = binnedChunks();
        List<HeapChunk> out = new ArrayList<>();
        for (Chunk c : heap.values()) {
            HeapChunk b = binned.get(c.address);
            ChunkState state = b != null ? b.state() : stateOf(c, binned);
            out.add(new HeapChunk(c.address, c.chunksize(), c.size, inUse(c), state, b != null ? b.bin() : -1));
        }
        return out;
    }

    /** The mmapped chunks the program holds, in address order. */
    public List<HeapChunk> mmappedChunks() {
        List<HeapChunk> out = new ArrayList<>();
        for (Chunk c : mmapped.values()) {
            out.add(new HeapChunk(c.address, c.chunksize(), c.size, true,
                    c == tcache ? ChunkState.TCACHE_PERTHREAD_STRUCT : ChunkState.MMAPPED, -1));
        }
        return out;
    }

    /** Chunks reachable from the tcache, fast bins and bins, keyed by address (a sorted map). */
    Map<Long, HeapChunk> binnedChunks() {
        TreeMap<Long, HeapChunk> out = new TreeMap<>();
        for (int i = 0; i < tcacheEntries.length; i++) {
            for (Chunk p = tcacheEntries[i]; p != null; p = p.fd) {
                out.put(p.address, new HeapChunk(p.address, p.chunksize(), p.size, true, ChunkState.TCACHE, i));
            }
        }
        for (int i = 0; i < fastbinsY.length; i++) {
            for (Chunk p = fastbinsY[i]; p != null; p = p.fd) {
                out.put(p.address, new HeapChunk(p.address, p.chunksize(), p.size, true, ChunkState.FASTBIN, i));
            }
        }
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            ChunkState s = i == 1 ? ChunkState.UNSORTED
                    : i < MallocSizes.NSMALLBINS ? ChunkState.SMALL_BIN : ChunkState.LARGE_BIN;
            for (Chunk p = bins[i].fd; p != bins[i]; p = p.fd) {
                out.put(p.address, new HeapChunk(p.address, p.chunksize(), p.size, false, s, i));
            }
        }
        return out;
    }

    /** What a heap chunk is. */
    ChunkState stateOf(Chunk c) {
        return stateOf(c, binnedChunks());
    }

    private ChunkState stateOf(Chunk c, Map<Long, HeapChunk> binned) {
        if (c == top) {
            return ChunkState.TOP;
        }
        if (c == tcache) {
            return ChunkState.TCACHE_PERTHREAD_STRUCT;
        }
        if (c.isMmapped()) {
            return ChunkState.MMAPPED;
        }
        HeapChunk b = binned.get(c.address);
        if (b != null) {
            return b.state();
        }
        return c.allocated ? ChunkState.IN_USE : ChunkState.FENCEPOST;
    }

    /** The arena's view of a chunk: the next chunk's {@code PREV_INUSE}; the top is free; the last fencepost in use. */
    boolean inUse(Chunk c) {
        if (c == top) {
            return false;
        }
        Chunk next = heap.get(c.address + c.chunksize());
        return next == null || next.prevInuse();
    }

    /** Checks the heap's structure (see {@link MallocInvariants}); throws IllegalStateException on the first violation. */
    public void checkInvariants() {
        new MallocInvariants(this).check();
    }

    /** fork(2) copies the whole address space, glibc's state included: an identical, independent arena. */
    public Malloc copy() {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            writeTo(new DataOutputStream(bytes));
            return readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes the whole state, deterministically (see {@link MallocSnapshots}). */
    public void writeTo(DataOutputStream out) throws IOException {
        MallocSnapshots.write(this, out);
    }

    /** Reads a state written by {@link #writeTo}. */
    public static Malloc readFrom(DataInputStream in) throws IOException {
        return MallocSnapshots.read(in);
    }

    // ------------------------------------------------------------------ the call being served

    /** One call's bookkeeping: the system calls made (recorded), where the chunk came from, what free did. */
    private final class Call implements MallocSyscalls {
        private final MallocSyscalls sys;
        final List<MallocSyscall> syscalls = new ArrayList<>();
        MallocPath path = MallocPath.FAILED;
        boolean consolidated;
        long trimmed;
        Chunk merged;

        Call(MallocSyscalls sys) {
            this.sys = sys;
        }

        @Override
        public long sbrk(long increment) {
            long r = sys.sbrk(increment);
            syscalls.add(new MallocSyscall("sbrk", 0, increment, r));
            return r;
        }

        /** {@code __glibc_morecore}: sbrk, with NULL for failure. */
        long morecore(long increment) {
            long r = sbrk(increment);
            return r == -1 ? MORECORE_FAILURE : r;
        }

        @Override
        public long mmap(long length) {
            long r = sys.mmap(length);
            syscalls.add(new MallocSyscall("mmap", 0, length, r));
            return r;
        }

        @Override
        public int munmap(long address, long length) {
            int r = sys.munmap(address, length);
            syscalls.add(new MallocSyscall("munmap", address, length, r));
            return r;
        }

        MallocResult failed() {
            return new MallocResult(0, null, 0, 0, MallocPath.FAILED, ENOMEM, syscalls);
        }

        MallocResult returned(Chunk victim) {
            if (victim == null) {
                return failed();
            }
            victim.allocated = true;
            return new MallocResult(victim.address + sizes.chunkHdrSz, victim.isMmapped() ? "mmap" : "brk",
                    victim.address, victim.chunksize(), path, 0, syscalls);
        }
    }
}
