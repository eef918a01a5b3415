package org.mmsim.kernel.phys;

import java.util.Arrays;

/**
 * Per-pfn records for the frames that have been touched, found by a three-level radix walk —
 * the simulator's {@code CONFIG_SPARSEMEM_EXTREME} ({@code mem_section} roots → sections →
 * {@code mem_map} slices, include/linux/mmzone.h, mm/sparse.c) with smaller sections.
 *
 * <p>A record is a few {@code long} fields, fixed per table. Records live in chunks of one
 * pageblock ({@code 2^CHUNK_SHIFT} pfns, 4 KiB per field), created zero-filled on first write and kept once made.
 * A chunk is laid out field by field ({@code chunk[field * CHUNK_PFNS + index(pfn)]}), so the
 * field read on every step — the flags word — of a block, its buddy and its buddy's buddy sits
 * in one cache line, and 64 KiB of flags cover 32 MiB of memory. A hash table scatters them;
 * that was the point of this table. The walk splits a pfn into three slices:
 *
 * <pre>
 *   pfn 0x12345 = 0b1_0010_0011_0100_0101
 *   root index  = pfn >>> 18                = 0
 *   mid index   = (pfn >>> 9) &amp; 511         = 0x91  (145)
 *   index       = pfn &amp; 511                 = 0x145 (325): field f at chunk[f * 512 + 325]
 * </pre>
 *
 * The root grows to the highest root index written, so an untouched machine costs nothing and a
 * touched 1 TiB machine at most a 1024-entry root and 2 KiB per touched GiB. Untouched frames
 * read as a record of zeros. Iteration ({@link #nextChunk}) is in ascending pfn order.
 */
final class PfnTable {
    static final int CHUNK_SHIFT = 9;
    static final int CHUNK_PFNS = 1 << CHUNK_SHIFT;
    private static final int MID_SHIFT = 9;
    private static final int ROOT_SHIFT = CHUNK_SHIFT + MID_SHIFT;
    private static final int MID_MASK = (1 << MID_SHIFT) - 1;
    private static final long[][][] NO_ROOT = new long[0][][];

    private final int fields;
    private final int hotFields;
    private long[][][] root = NO_ROOT;
    /** The last chunk found, and its {@code pfn >>> CHUNK_SHIFT}: one step touches one chunk many times. */
    private long[] lastChunk;
    private long lastKey = -1;

    /**
     * A table whose records have {@code fields} {@code long}s, of which a new chunk holds only the
     * first {@code hotFields}; {@link #chunkWithAllFields} widens it. Readers of a cold field
     * check the chunk's length and read 0 past it.
     */
    PfnTable(int fields, int hotFields) {
        this.fields = fields;
        this.hotFields = hotFields;
    }

    /** The chunk holding {@code pfn}'s record, or {@code null} when none was written there. */
    long[] chunk(long pfn) {
        if (pfn >>> CHUNK_SHIFT == lastKey) {
            return lastChunk;
        }
        return walk(pfn);
    }

    /**
     * {@link #chunk} for a caller whose pfn is usually in another chunk than the last one (a
     * free of a random block): the walk without the cache test. Its own call site, so the JIT
     * profiles (and inlines) it apart from the cache-hit callers.
     */
    long[] lookup(long pfn) {
        return walk(pfn);
    }

    /** The radix walk behind {@link #chunk} on a cache miss, kept out of line so {@code chunk} inlines small. */
    private long[] walk(long pfn) {
        long r = pfn >>> ROOT_SHIFT;
        long[][][] top = root;
        if (r >= top.length) {
            return null;
        }
        long[][] mid = top[(int) r];
        if (mid == null) {
            return null;
        }
        long[] c = mid[(int) (pfn >>> CHUNK_SHIFT) & MID_MASK];
        if (c != null) {
            lastChunk = c;
            lastKey = pfn >>> CHUNK_SHIFT;
        }
        return c;
    }

    /** The chunk holding {@code pfn}'s record, created (zero-filled) if needed. */
    long[] chunkForWrite(long pfn) {
        long[] c = chunk(pfn);
        return c != null ? c : createChunk(pfn);
    }

    /** The chunk holding {@code pfn}'s record with room for every field, created or widened if needed. */
    long[] chunkWithAllFields(long pfn) {
        long[] c = chunkForWrite(pfn);
        if (c.length == CHUNK_PFNS * fields) {
            return c;
        }
        long[] wide = Arrays.copyOf(c, CHUNK_PFNS * fields);
        root[(int) (pfn >>> ROOT_SHIFT)][(int) (pfn >>> CHUNK_SHIFT) & MID_MASK] = wide;
        lastChunk = wide;
        lastKey = pfn >>> CHUNK_SHIFT;
        return wide;
    }

    /** {@code pfn}'s index inside its chunk: its record's field {@code f} is at {@code f * CHUNK_PFNS + index}. */
    static int index(long pfn) {
        return (int) pfn & (CHUNK_PFNS - 1);
    }

    private long[] createChunk(long pfn) {
        int r = Math.toIntExact(pfn >>> ROOT_SHIFT);
        if (r >= root.length) {
            long[][][] grown = new long[r + 1][][];
            System.arraycopy(root, 0, grown, 0, root.length);
            root = grown;
        }
        long[][] mid = root[r];
        if (mid == null) {
            mid = new long[1 << MID_SHIFT][];
            root[r] = mid;
        }
        long[] c = new long[CHUNK_PFNS * hotFields];
        mid[(int) (pfn >>> CHUNK_SHIFT) & MID_MASK] = c;
        lastChunk = c;
        lastKey = pfn >>> CHUNK_SHIFT;
        return c;
    }

    /**
     * The first pfn of the first chunk at or after the chunk containing {@code pfn}, or -1: walks
     * chunks in ascending order ({@code for (p = nextChunk(0); p >= 0; p = nextChunk(p + CHUNK_PFNS))}).
     */
    long nextChunk(long pfn) {
        for (long r = pfn >>> ROOT_SHIFT; r < root.length; r++) {
            long[][] mid = root[(int) r];
            if (mid == null) {
                continue;
            }
            int m = r == pfn >>> ROOT_SHIFT ? (int) (pfn >>> CHUNK_SHIFT) & MID_MASK : 0;
            for (; m <= MID_MASK; m++) {
                if (mid[m] != null) {
                    return (r << ROOT_SHIFT) | ((long) m << CHUNK_SHIFT);
                }
            }
        }
        return -1;
    }

    /** Forgets every record. */
    void clear() {
        root = NO_ROOT;
        lastChunk = null;
        lastKey = -1;
    }
}
