package org.mmsim.kernel.mm;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A file's page cache: {@code struct address_space}, include/linux/fs.h, with the inode facts
 * {@code /proc/PID/maps} prints. Two kinds exist: a program image ({@code /usr/bin/NAME}, read
 * from "disk", so a page-cache miss is a major fault) and a shmem object backing a
 * {@code MAP_SHARED|MAP_ANONYMOUS} mapping ({@code /dev/zero (deleted)}, pages created zeroed).
 *
 * <p>{@code pages} is {@code i_pages}: page index → pfn. Each cached page holds one reference of
 * its own; every PTE mapping it adds a reference and a mapcount.
 */
public final class AddressSpace {
    private final int id;
    private final String path;
    private final boolean shmem;
    private final long inode;
    private final long sizePages;
    private final Map<Long, Long> pages = new HashMap<>();
    /** VMAs mapping the file: when the last goes, the cache is dropped (see the README's simplifications). */
    int mappers;

    public AddressSpace(int id, String path, boolean shmem, long inode, long sizePages) {
        this.id = id;
        this.path = path;
        this.shmem = shmem;
        this.inode = inode;
        this.sizePages = sizePages;
    }

    public int id() {
        return id;
    }

    /** The name maps prints: the path, or {@code /dev/zero (deleted)} for shmem. */
    public String path() {
        return path;
    }

    public boolean isShmem() {
        return shmem;
    }

    public long inode() {
        return inode;
    }

    /** The file size in pages ({@code i_size >> PAGE_SHIFT}, rounded up). */
    public long sizePages() {
        return sizePages;
    }

    public int mappers() {
        return mappers;
    }

    /** {@code filemap_get_folio()}: the cached page at {@code index}, or -1. */
    public long findPage(long index) {
        Long pfn = pages.get(index);
        return pfn == null ? -1 : pfn;
    }

    /** {@code filemap_add_folio()}. */
    public void addPage(long index, long pfn) {
        pages.put(index, pfn);
    }

    /** {@code __filemap_remove_folio()}: reclaim dropped the page at {@code index} (the caller puts its reference). */
    public void removePage(long index) {
        if (pages.remove(index) == null) {
            throw new IllegalStateException("no page cached at index " + index + " of " + path);
        }
    }

    public long nrPages() {
        return pages.size();
    }

    /** Cached pages as {@code [index, pfn]} pairs in index order (snapshots, views). */
    public long[][] sortedPages() {
        long[][] out = new long[pages.size()][];
        int n = 0;
        for (Map.Entry<Long, Long> e : pages.entrySet()) {
            out[n++] = new long[] {e.getKey(), e.getValue()};
        }
        Arrays.sort(out, (a, b) -> Long.compare(a[0], b[0]));
        return out;
    }

    /** Empties the cache, answering the pfns it held in index order ({@code truncate_inode_pages}). */
    public long[] truncate() {
        long[][] sorted = sortedPages();
        pages.clear();
        long[] pfns = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            pfns[i] = sorted[i][1];
        }
        return pfns;
    }
}
