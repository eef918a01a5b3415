package org.mmsim.kernel.phys;

import java.util.Arrays;

/**
 * An open-addressing hash map from pfn ({@code long >= 0}) to {@code int}, the simulator's
 * stand-in for indexing {@code mem_map[]} by pfn without materialising it.
 *
 * <p>Linear probing with Fibonacci hashing over a power-of-two table, deletion by backward
 * shift (no tombstones), no boxing and no allocation except when the table doubles. Iteration
 * order is hash order, so callers that produce output use {@link #sortedKeys()}.
 */
public final class PfnMap {

    /** What {@link #get} answers for a missing key. */
    public static final int MISSING = -1;
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;
    private int shift;

    public PfnMap() {
        this(16);
    }

    public PfnMap(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
        shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    private int slotOf(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    public int size() {
        return size;
    }

    /** The value stored for {@code pfn}, or {@link #MISSING}. */
    public int get(long pfn) {
        long[] k = keys;
        int i = slotOf(pfn);
        while (true) {
            long cur = k[i];
            if (cur == pfn) {
                return values[i];
            }
            if (cur == EMPTY) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
    }

    public boolean containsKey(long pfn) {
        return get(pfn) != MISSING;
    }

    /** Stores {@code value} (which must not be {@link #MISSING}) for {@code pfn}. */
    public void put(long pfn, int value) {
        int i = slotOf(pfn);
        while (true) {
            long cur = keys[i];
            if (cur == pfn) {
                values[i] = value;
                return;
            }
            if (cur == EMPTY) {
                keys[i] = pfn;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes {@code pfn}; answers its old value or {@link #MISSING}. */
    public int remove(long pfn) {
        long[] k = keys;
        int i = slotOf(pfn);
        while (true) {
            long cur = k[i];
            if (cur == EMPTY) {
                return MISSING;
            }
            if (cur == pfn) {
                break;
            }
            i = (i + 1) & mask;
        }
        int old = values[i];
        // backward-shift deletion: pull later entries of the probe run into the gap
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long kj = k[j];
            if (kj == EMPTY) {
                break;
            }
            int home = slotOf(kj);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                k[gap] = kj;
                values[gap] = values[j];
                gap = j;
            }
        }
        k[gap] = EMPTY;
        size--;
        return old;
    }

    public void clear() {
        Arrays.fill(keys, EMPTY);
        size = 0;
    }

    /** Every key in ascending order: for output and snapshots, never hash order. */
    public long[] sortedKeys() {
        long[] out = new long[size];
        int n = 0;
        for (long key : keys) {
            if (key != EMPTY) {
                out[n++] = key;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length << 1);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
