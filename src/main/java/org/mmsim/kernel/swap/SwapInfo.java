package org.mmsim.kernel.swap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.mmsim.kernel.machine.Arch;

/**
 * One swap device, {@code struct swap_info_struct} (include/linux/swap.h, mm/swapfile.c).
 *
 * <p>The device is {@code maxSlots} page-sized slots. Slot 0 holds the swap header
 * ({@code union swap_header}), so {@code setup_swap_map_and_extents} marks it
 * {@link #SWAP_MAP_BAD} and it is never handed out: a 64 MiB device has 16384 slots and
 * {@code pages} (SwapTotal) 16383. Each usable slot has a count in {@code swap_map}: 0 free,
 * otherwise the number of swap entries (PTEs) referring to it ({@code swap_duplicate} on fork
 * adds one, {@code swap_free} drops one).
 *
 * <p>Allocation follows the cluster allocator ({@code SWAPFILE_CLUSTER} = 256 slots,
 * {@code cluster_alloc_swap_entry}): slots are taken in ascending order from the current
 * cluster; when it is full the next cluster comes from the head of the free-cluster list (all
 * clusters in index order at swapon; a cluster whose last slot is freed goes to the tail), and
 * only when no cluster is wholly free are the non-full clusters scanned in index order.
 * Everything is deterministic.
 *
 * <p>Simplifications: one device (type 0), one allocating CPU (no per-CPU clusters), counts are
 * plain ints (no {@code SWAP_HAS_CACHE} bit, no {@code COUNT_CONTINUED} continuation pages), no
 * discard, no priorities, no swap cache.
 */
public final class SwapInfo {
    /** {@code SWAPFILE_CLUSTER}: slots per cluster (HPAGE_PMD_NR on x86 with THP, 256 without). */
    public static final int SWAPFILE_CLUSTER = 256;
    /** {@code SWAP_MAP_BAD}: the count of a slot that must never be used (the header). */
    public static final int SWAP_MAP_BAD = 0x3f;
    /** What {@link #allocSlot()} answers when the device is full: offset 0 is never a valid entry. */
    public static final long NO_SLOT = 0;
    /** The swap type of this device ({@code si->type}): the first and only swapon. */
    public static final int TYPE = 0;

    private final int maxSlots;
    /**
     * {@code si->swap_map}, one count per slot, kept per cluster: a cluster's array is made when a
     * slot in it is first used, so a device costs what is swapped to it (plus a few bytes per
     * cluster), not 4 bytes for every slot of its size.
     */
    private final int[][] swapMap;
    /** Used slots per cluster (the header counts in cluster 0), {@code cluster_info[].count}. */
    private final int[] clusterCount;
    /** The free-cluster list as a ring of cluster indices (FIFO). */
    private final int[] freeClusters;
    private int freeHead;
    private int freeLen;
    /** Whether a cluster is on the free list (a cluster is on it at most once). */
    private final boolean[] onFreeList;
    private int currentCluster = -1;
    private long inusePages;
    /** {@code PSWPIN} / {@code PSWPOUT}: pages read from / written to this device. */
    private long pswpin;
    private long pswpout;

    /** {@code swapon} of a device of {@code swapBytes} (a multiple of 4 KiB; 0 or one page means no usable slot). */
    public SwapInfo(long swapBytes) {
        if (swapBytes < 0 || swapBytes % Arch.PAGE_SIZE != 0 || swapBytes / Arch.PAGE_SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("swap size " + swapBytes);
        }
        maxSlots = (int) (swapBytes / Arch.PAGE_SIZE);
        int nClusters = (maxSlots + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;
        swapMap = new int[nClusters][];
        clusterCount = new int[nClusters];
        freeClusters = new int[nClusters];
        onFreeList = new boolean[nClusters];
        if (maxSlots > 0) {
            set(0, SWAP_MAP_BAD);
            clusterCount[0] = 1;
        }
        for (int c = 0; c < nClusters; c++) {
            if (clusterCount[c] == 0) {
                pushFree(c);
            }
        }
    }

    /** {@code si->max}: slots on the device, the header included. */
    public int maxSlots() {
        return maxSlots;
    }

    /** {@code si->pages}: usable slots (SwapTotal in pages). */
    public long totalPages() {
        return maxSlots > 0 ? maxSlots - 1 : 0;
    }

    /** {@code si->inuse_pages}: slots with a non-zero count. */
    public long inusePages() {
        return inusePages;
    }

    /** SwapFree in pages ({@code get_nr_swap_pages}). */
    public long freePages() {
        return totalPages() - inusePages;
    }

    /** {@code swap_count(si->swap_map[offset])}; {@link #SWAP_MAP_BAD} for the header. */
    public int count(long offset) {
        return get(checkOffset(offset));
    }

    /**
     * {@code folio_alloc_swap} → {@code cluster_alloc_swap_entry}: takes a free slot, gives it
     * count 1 and answers its offset, or {@link #NO_SLOT} when the device is full.
     */
    public long allocSlot() {
        if (inusePages == totalPages()) {
            return NO_SLOT;
        }
        if (currentCluster >= 0) {
            int off = freeSlotIn(currentCluster);
            if (off >= 0) {
                return take(off);
            }
        }
        if (currentCluster >= 0 && clusterCount[currentCluster] == 0) {
            pushFree(currentCluster);  // cannot happen while it has room, kept for clarity
        }
        while (freeLen > 0) {
            int c = popFree();
            if (clusterCount[c] == 0) {
                currentCluster = c;
                return take(c * SWAPFILE_CLUSTER);
            }
        }
        for (int c = 0; c < clusterCount.length; c++) {
            int off = freeSlotIn(c);
            if (off >= 0) {
                currentCluster = c;
                return take(off);
            }
        }
        throw new IllegalStateException("inuse " + inusePages + " below " + totalPages() + " but no free slot");
    }

    /** {@code count_vm_event(PSWPIN)}: a page was read back ({@code swap_read_folio}). */
    public void countSwapIn() {
        pswpin++;
    }

    /** {@code count_vm_event(PSWPOUT)}: a page was written out ({@code swap_writepage}). */
    public void countSwapOut() {
        pswpout++;
    }

    public long pswpin() {
        return pswpin;
    }

    public long pswpout() {
        return pswpout;
    }

    /** {@code swap_duplicate}: one more swap entry refers to {@code offset} (fork copying a swap PTE). */
    public void duplicate(long offset) {
        int o = checkUsed(offset);
        set(o, get(o) + 1);
    }

    /**
     * {@code swap_free} / {@code free_swap_and_cache}: one swap entry for {@code offset} is gone;
     * the last one frees the slot (a wholly free cluster goes to the free list's tail). Answers
     * the count left.
     */
    public int free(long offset) {
        int o = checkUsed(offset);
        int left = get(o) - 1;
        set(o, left);
        if (left == 0) {
            inusePages--;
            int c = o / SWAPFILE_CLUSTER;
            if (--clusterCount[c] == 0 && c != currentCluster) {
                pushFree(c);
            }
        }
        return left;
    }

    private long take(int off) {
        set(off, 1);
        clusterCount[off / SWAPFILE_CLUSTER]++;
        inusePages++;
        return off;
    }

    private int freeSlotIn(int c) {
        int end = Math.min(maxSlots, (c + 1) * SWAPFILE_CLUSTER);
        for (int off = c * SWAPFILE_CLUSTER; off < end; off++) {
            if (get(off) == 0) {
                return off;
            }
        }
        return -1;
    }

    private void pushFree(int c) {
        if (onFreeList[c]) {
            return;
        }
        freeClusters[(freeHead + freeLen) % freeClusters.length] = c;
        freeLen++;
        onFreeList[c] = true;
    }

    private int popFree() {
        int c = freeClusters[freeHead];
        freeHead = (freeHead + 1) % freeClusters.length;
        freeLen--;
        onFreeList[c] = false;
        return c;
    }

    private int checkOffset(long offset) {
        if (offset < 0 || offset >= maxSlots) {
            throw new IllegalArgumentException("swap offset " + offset + " outside the device of " + maxSlots + " slots");
        }
        return (int) offset;
    }

    private int checkUsed(long offset) {
        int o = checkOffset(offset);
        if (o == 0 || get(o) == 0) {
            throw new IllegalStateException("swap offset " + offset + " is not in use (count " + get(o) + ")");
        }
        return o;
    }

    /** How many clusters have a swap_map array: the ones a slot was ever used in. */
    int clustersWithMap() {
        int n = 0;
        for (int[] c : swapMap) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    /** The count of slot {@code off} (in range): 0 in a cluster never used. */
    private int get(int off) {
        int[] c = swapMap[off / SWAPFILE_CLUSTER];
        return c == null ? 0 : c[off % SWAPFILE_CLUSTER];
    }

    private void set(int off, int count) {
        int ci = off / SWAPFILE_CLUSTER;
        int[] c = swapMap[ci];
        if (c == null) {
            c = swapMap[ci] = new int[Math.min(SWAPFILE_CLUSTER, maxSlots - ci * SWAPFILE_CLUSTER)];
        }
        c[off % SWAPFILE_CLUSTER] = count;
    }

    /** The offsets in use, ascending (views, invariant checks): a walk of the clusters that hold any. */
    public long[] usedSlots() {
        long[] out = new long[(int) inusePages];
        int n = 0;
        for (int ci = 0; ci < swapMap.length; ci++) {
            int[] c = swapMap[ci];
            if (c == null || clusterCount[ci] == 0) {
                continue;
            }
            for (int i = 0; i < c.length; i++) {
                int off = ci * SWAPFILE_CLUSTER + i;
                if (off != 0 && c[i] != 0) {
                    out[n++] = off;
                }
            }
        }
        return out;
    }

    /** free + used = total, the header stays bad, the cluster counts match the map. */
    public void checkInvariants() {
        if (maxSlots > 0 && get(0) != SWAP_MAP_BAD) {
            throw new IllegalStateException("swap header slot has count " + get(0));
        }
        long used = 0;
        int[] perCluster = new int[clusterCount.length];
        for (int ci = 0; ci < swapMap.length; ci++) {
            int[] c = swapMap[ci];
            for (int i = 0; c != null && i < c.length; i++) {
                int off = ci * SWAPFILE_CLUSTER + i;
                if (c[i] < 0) {
                    throw new IllegalStateException("swap slot " + off + " has count " + c[i]);
                }
                if (c[i] != 0) {
                    perCluster[ci]++;
                    if (off != 0) {
                        used++;
                    }
                }
            }
        }
        if (used != inusePages || freePages() + used != totalPages()) {
            throw new IllegalStateException("swap: " + used + " slots used but inuse_pages " + inusePages);
        }
        for (int c = 0; c < clusterCount.length; c++) {
            if (perCluster[c] != clusterCount[c]) {
                throw new IllegalStateException("swap cluster " + c + " counts " + clusterCount[c] + " but holds "
                        + perCluster[c]);
            }
            if (onFreeList[c] && clusterCount[c] != 0 && c != currentCluster) {
                throw new IllegalStateException("swap cluster " + c + " is on the free list but used");
            }
        }
    }

    /** The device state: the map, the free-cluster ring, the current cluster. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(maxSlots);
        out.writeLong(pswpin);
        out.writeLong(pswpout);
        out.writeInt(currentCluster);
        out.writeInt(freeLen);
        for (int i = 0; i < freeLen; i++) {
            out.writeInt(freeClusters[(freeHead + i) % freeClusters.length]);
        }
        long[] used = usedSlots();
        out.writeInt(used.length);
        for (long off : used) {
            out.writeInt((int) off);
            out.writeInt(get((int) off));
        }
    }

    /** Reads what {@link #writeTo} wrote for a device of {@code swapBytes}. */
    public static SwapInfo readFrom(DataInputStream in, long swapBytes) throws IOException {
        SwapInfo si = new SwapInfo(swapBytes);
        if (in.readInt() != si.maxSlots) {
            throw new IOException("swap device size differs from the machine config");
        }
        si.pswpin = in.readLong();
        si.pswpout = in.readLong();
        si.currentCluster = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > si.freeClusters.length || si.currentCluster < -1 || si.currentCluster >= si.clusterCount.length) {
            throw new IOException("bad swap cluster state");
        }
        java.util.Arrays.fill(si.onFreeList, false);
        si.freeHead = 0;
        si.freeLen = 0;
        for (int i = 0; i < n; i++) {
            int c = in.readInt();
            if (c < 0 || c >= si.clusterCount.length) {
                throw new IOException("bad swap cluster " + c);
            }
            si.pushFree(c);
        }
        int used = in.readInt();
        for (int i = 0; i < used; i++) {
            int off = in.readInt();
            int count = in.readInt();
            if (off <= 0 || off >= si.maxSlots || count <= 0 || si.get(off) != 0) {
                throw new IOException("bad swap slot " + off);
            }
            si.set(off, count);
            si.clusterCount[off / SWAPFILE_CLUSTER]++;
            si.inusePages++;
        }
        return si;
    }
}
