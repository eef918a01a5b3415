package org.mmsim.kernel.paging;

/**
 * One page-table page: {@code struct ptdesc}, include/linux/mm_types.h — the frame it lives in,
 * its entries, and the tables its entries point at.
 *
 * <p>{@code entries} holds the values the MMU reads; for an intermediate table each non-none
 * entry is {@code _PAGE_TABLE | child.pfn << 12} and {@code children} holds the child at the same
 * index, so a walk follows references and never hashes. A leaf (pte) table has no children.
 * {@code present} has one bit per child, so range walks jump over holes 64 entries at a time.
 * {@code nrEntries} counts non-none entries; it is stale after a leaf array was handed out by
 * {@link PageTable#pteTable}, and {@link #nrEntries()} then recounts.
 */
final class Ptdesc {
    final long pfn;
    final int level;
    /** The first virtual address this table maps. */
    final long address;
    final long[] entries;
    final Ptdesc[] children;
    /** Bit i set when {@code children[i]} is non-null; null for a leaf. */
    final long[] present;
    int nrEntries;
    boolean countStale;

    Ptdesc(long pfn, int level, long address, int ptrs, boolean leaf) {
        this.pfn = pfn;
        this.level = level;
        this.address = address;
        this.entries = new long[ptrs];
        this.children = leaf ? null : new Ptdesc[ptrs];
        this.present = leaf ? null : new long[ptrs >>> 6];
    }

    /** A leaf table whose (all-zero) entries array the caller supplies. */
    Ptdesc(long pfn, int level, long address, long[] entries) {
        this.pfn = pfn;
        this.level = level;
        this.address = address;
        this.entries = entries;
        this.children = null;
        this.present = null;
    }

    void link(int i, Ptdesc child, long entry) {
        children[i] = child;
        entries[i] = entry;
        present[i >>> 6] |= 1L << i;
        nrEntries++;
    }

    void unlink(int i) {
        children[i] = null;
        entries[i] = 0;
        present[i >>> 6] &= ~(1L << i);
        nrEntries--;
    }

    /** The number of non-none entries, recounted when callers wrote into the array directly. */
    int nrEntries() {
        if (countStale) {
            nrEntries = countNonNone(entries);
            countStale = false;
        }
        return nrEntries;
    }

    static int countNonNone(long[] entries) {
        int n = 0;
        for (long e : entries) {
            if (e != 0) {
                n++;
            }
        }
        return n;
    }
}
