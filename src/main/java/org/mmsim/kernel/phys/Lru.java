package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The LRU lists of every node: {@code pgdat->__lruvec.lists[NR_LRU_LISTS]} (include/linux/mmzone.h),
 * one set of five per node — {@code LRU_INACTIVE_ANON} 0, {@code LRU_ACTIVE_ANON} 1,
 * {@code LRU_INACTIVE_FILE} 2, {@code LRU_ACTIVE_FILE} 3, {@code LRU_UNEVICTABLE} 4 — with the
 * per-zone sizes {@code NR_ZONE_LRU_BASE + lru} that {@code lruvec_lru_size} sums.
 *
 * <p>Every user page (anonymous, shmem, page cache) is on exactly one list of its node from the
 * moment it is mapped or cached until it is freed or isolated by reclaim. {@code add} puts a
 * page at the head ({@code list_add} in {@code lruvec_add_folio}); reclaim takes from the tail
 * ({@code lru_to_folio}). Besides its list an entry keeps {@code PG_referenced} and
 * {@code PG_workingset}, what the reverse map needs to find the page's PTEs (an anonymous page's
 * virtual address — the simulator has no mremap, so every mapper of an anonymous page maps it at
 * that address — or a cached page's mapping and index), and a stamp for the teaching policies
 * (the order of the last add or access).
 *
 * <p>Storage is a slot per entry in parallel arrays, linked by slot, found by pfn through a
 * {@link PfnTable} of slot numbers (as {@code struct page} holds its {@code lru} links): cost
 * follows the pages in use, not the machine's size. Not thread-safe.
 */
public final class Lru {
    public static final int LRU_INACTIVE_ANON = 0;
    public static final int LRU_ACTIVE_ANON = 1;
    public static final int LRU_INACTIVE_FILE = 2;
    public static final int LRU_ACTIVE_FILE = 3;
    public static final int LRU_UNEVICTABLE = 4;
    public static final int NR_LRU_LISTS = 5;
    /** The names {@code /proc/zoneinfo} and the API use ({@code nr_inactive_anon} …). */
    public static final String[] NAMES = {"inactive_anon", "active_anon", "inactive_file", "active_file",
        "unevictable"};
    /** {@code PG_referenced}. */
    public static final int PG_REFERENCED = 1;
    /** {@code PG_workingset}: set when reclaim deactivates a page. */
    public static final int PG_WORKINGSET = 2;
    /** {@link #mapping} of an anonymous page: the key is its virtual address. */
    public static final int ANON = -1;
    /** {@link #listOf} of a page reclaim has isolated ({@code folio_test_clear_lru}): on no list for now. */
    public static final int ISOLATED = -2;
    private static final int NIL = -1;

    private final int nrNodes;
    private final int nrZones;
    /** pfn → slot + 1 (0: on no list). */
    private final PfnTable slotOf = new PfnTable(1, 1);
    private int count;
    private long[] pfn = new long[64];
    private long[] key = new long[64];
    private long[] stamp = new long[64];
    private int[] prev = new int[64];
    private int[] next = new int[64];
    private int[] mapping = new int[64];
    private byte[] list = new byte[64];
    private byte[] node = new byte[64];
    private byte[] zone = new byte[64];
    private byte[] flags = new byte[64];
    private int used;
    private int freeSlots = NIL;
    private final int[] head;
    private final int[] tail;
    private final long[] size;
    private final long[] zoneSize;
    private long clock;

    /** Empty lists for {@code nrNodes} nodes of at most {@code nrZones} zones each. */
    public Lru(int nrNodes, int nrZones) {
        this.nrNodes = nrNodes;
        this.nrZones = nrZones;
        head = new int[nrNodes * NR_LRU_LISTS];
        tail = new int[nrNodes * NR_LRU_LISTS];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
        size = new long[nrNodes * NR_LRU_LISTS];
        zoneSize = new long[nrNodes * nrZones * NR_LRU_LISTS];
    }

    // ------------------------------------------------------------------ the pfn index

    private static final int MISSING = -1;

    private int slot(long p) {
        long[] c = slotOf.chunk(p);
        return c == null ? MISSING : (int) c[PfnTable.index(p)] - 1;
    }

    private void setSlot(long p, int s) {
        slotOf.chunkForWrite(p)[PfnTable.index(p)] = s + 1;
    }

    // ------------------------------------------------------------------ queries

    public boolean contains(long p) {
        return slot(p) != MISSING;
    }

    /** The list {@code p} is on, or -1. */
    public int listOf(long p) {
        int s = slot(p);
        return s == MISSING ? -1 : list[s];
    }

    public int flagsOf(long p) {
        return flags[slotOrThrow(p)];
    }

    public long keyOf(long p) {
        return key[slotOrThrow(p)];
    }

    public int mappingOf(long p) {
        return mapping[slotOrThrow(p)];
    }

    public int zoneOf(long p) {
        return zone[slotOrThrow(p)];
    }

    public long stampOf(long p) {
        return stamp[slotOrThrow(p)];
    }

    /** {@code lruvec_page_state(NR_LRU_BASE + lru)} of node {@code nid}. */
    public long size(int nid, int lru) {
        return size[nid * NR_LRU_LISTS + lru];
    }

    /** {@code zone_page_state(NR_ZONE_LRU_BASE + lru)}. */
    public long zoneSize(int nid, int zoneIdx, int lru) {
        return zoneSize[(nid * nrZones + zoneIdx) * NR_LRU_LISTS + lru];
    }

    /** {@code lruvec_lru_size(lruvec, lru, zoneIdx)}: the list's pages in zones 0..{@code zoneIdx}. */
    public long sizeUpTo(int nid, int lru, int zoneIdx) {
        long n = 0;
        for (int z = 0; z <= zoneIdx && z < nrZones; z++) {
            n += zoneSize(nid, z, lru);
        }
        return n;
    }

    /** Pages on every list of every node. */
    public int totalPages() {
        return count;
    }

    /** The pfn at the tail of the list (the next to scan), or -1. */
    public long tailPfn(int nid, int lru) {
        int s = tail[nid * NR_LRU_LISTS + lru];
        return s == NIL ? -1 : pfn[s];
    }

    /** The pfn after {@code p} towards the tail of its list, or -1. */
    public long towardsTail(long p) {
        int s = next[slotOrThrow(p)];
        return s == NIL ? -1 : pfn[s];
    }

    /** The pfn before {@code p} towards the head of its list, or -1. */
    public long towardsHead(long p) {
        int s = prev[slotOrThrow(p)];
        return s == NIL ? -1 : pfn[s];
    }

    /** The list's pfns from head to tail (views, snapshots). */
    public long[] pfns(int nid, int lru) {
        long[] out = new long[(int) size(nid, lru)];
        int n = 0;
        for (int s = head[nid * NR_LRU_LISTS + lru]; s != NIL; s = next[s]) {
            out[n++] = pfn[s];
        }
        return out;
    }

    // ------------------------------------------------------------------ changes

    /**
     * {@code folio_add_lru()}: {@code p} (of node {@code nid}, zone {@code zoneIdx}) goes to the
     * head of {@code lru}, with no flags and the next stamp.
     */
    public void add(long p, int nid, int zoneIdx, int lru, int mappingId, long keyValue) {
        if (contains(p)) {
            throw new IllegalStateException("pfn " + p + " is already on an LRU list");
        }
        int s = newSlot();
        pfn[s] = p;
        node[s] = (byte) nid;
        zone[s] = (byte) zoneIdx;
        mapping[s] = mappingId;
        key[s] = keyValue;
        flags[s] = 0;
        stamp[s] = ++clock;
        setSlot(p, s);
        count++;
        link(s, lru);
    }

    /** Takes {@code p} off its list ({@code lruvec_del_folio}); answers whether it was on one (or isolated). */
    public boolean remove(long p) {
        int s = slot(p);
        if (s == MISSING) {
            return false;
        }
        slotOf.chunk(p)[PfnTable.index(p)] = 0;
        count--;
        if (list[s] != ISOLATED) {
            unlink(s);
        }
        next[s] = freeSlots;
        freeSlots = s;
        return true;
    }

    /**
     * {@code isolate_lru_folios} for one page: off its list, keeping its flags and reverse-map
     * keys, until {@link #putback} or {@link #remove} (freed).
     */
    public void isolate(long p) {
        int s = slotOrThrow(p);
        unlink(s);
        list[s] = (byte) ISOLATED;
    }

    /** {@code move_folios_to_lru} for one isolated page: to the head of {@code lru}. */
    public void putback(long p, int lru) {
        int s = slotOrThrow(p);
        if (list[s] != ISOLATED) {
            throw new IllegalStateException("pfn " + p + " is not isolated");
        }
        link(s, lru);
    }

    /** Moves {@code p} to the head of {@code lru} (rotation, activation, deactivation). */
    public void moveToHead(long p, int lru) {
        int s = slotOrThrow(p);
        unlink(s);
        link(s, lru);
    }

    /** {@code p} was used now: the next stamp (the teaching LRU and CLOCK policies' order). */
    public void restamp(long p) {
        stamp[slotOrThrow(p)] = ++clock;
    }

    public void setFlags(long p, int f) {
        flags[slotOrThrow(p)] = (byte) f;
    }

    private int slotOrThrow(long p) {
        int s = slot(p);
        if (s == MISSING) {
            throw new IllegalStateException("pfn " + p + " is on no LRU list");
        }
        return s;
    }

    private int newSlot() {
        if (freeSlots != NIL) {
            int s = freeSlots;
            freeSlots = next[s];
            return s;
        }
        if (used == pfn.length) {
            int n = used * 2;
            pfn = Arrays.copyOf(pfn, n);
            key = Arrays.copyOf(key, n);
            stamp = Arrays.copyOf(stamp, n);
            prev = Arrays.copyOf(prev, n);
            next = Arrays.copyOf(next, n);
            mapping = Arrays.copyOf(mapping, n);
            list = Arrays.copyOf(list, n);
            node = Arrays.copyOf(node, n);
            zone = Arrays.copyOf(zone, n);
            flags = Arrays.copyOf(flags, n);
        }
        return used++;
    }

    private void link(int s, int lru) {
        int h = node[s] * NR_LRU_LISTS + lru;
        list[s] = (byte) lru;
        prev[s] = NIL;
        next[s] = head[h];
        if (head[h] != NIL) {
            prev[head[h]] = s;
        } else {
            tail[h] = s;
        }
        head[h] = s;
        size[h]++;
        zoneSize[(node[s] * nrZones + zone[s]) * NR_LRU_LISTS + lru]++;
    }

    private void unlink(int s) {
        int h = node[s] * NR_LRU_LISTS + list[s];
        if (prev[s] != NIL) {
            next[prev[s]] = next[s];
        } else {
            head[h] = next[s];
        }
        if (next[s] != NIL) {
            prev[next[s]] = prev[s];
        } else {
            tail[h] = prev[s];
        }
        size[h]--;
        zoneSize[(node[s] * nrZones + zone[s]) * NR_LRU_LISTS + list[s]]--;
    }

    // ------------------------------------------------------------------ invariants and snapshots

    /** Links agree both ways, sizes equal the lists' lengths, every listed pfn is found by its slot. */
    public void checkInvariants() {
        long total = 0;
        long[] zoneCount = new long[zoneSize.length];
        for (int nid = 0; nid < nrNodes; nid++) {
            for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
                int h = nid * NR_LRU_LISTS + lru;
                long n = 0;
                int last = NIL;
                for (int s = head[h]; s != NIL; s = next[s]) {
                    if (prev[s] != last || list[s] != lru || node[s] != nid || slot(pfn[s]) != s) {
                        throw new IllegalStateException("LRU " + NAMES[lru] + " of node " + nid
                                + " is corrupt at pfn " + pfn[s]);
                    }
                    zoneCount[(nid * nrZones + zone[s]) * NR_LRU_LISTS + lru]++;
                    last = s;
                    n++;
                }
                if (tail[h] != last || n != size[h]) {
                    throw new IllegalStateException("LRU " + NAMES[lru] + " of node " + nid + " holds " + n
                            + " pages, its size says " + size[h]);
                }
                total += n;
            }
        }
        if (total != count || !Arrays.equals(zoneCount, zoneSize)) {
            throw new IllegalStateException("LRU: " + total + " pages listed, " + count
                    + " indexed, or per-zone sizes disagree");
        }
    }

    /** Every list head to tail with each entry's fields, then the stamp clock. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(clock);
        for (int h = 0; h < head.length; h++) {
            out.writeInt((int) size[h]);
            for (int s = head[h]; s != NIL; s = next[s]) {
                out.writeLong(pfn[s]);
                out.writeByte(zone[s]);
                out.writeByte(flags[s]);
                out.writeInt(mapping[s]);
                out.writeLong(key[s]);
                out.writeLong(stamp[s]);
            }
        }
    }

    /** The lists {@link #writeTo} wrote, in the same order. */
    public void readFrom(DataInputStream in) throws IOException {
        if (count != 0) {
            throw new IllegalStateException("restoring into non-empty LRU lists");
        }
        long savedClock = in.readLong();
        for (int h = 0; h < head.length; h++) {
            int n = in.readInt();
            int nid = h / NR_LRU_LISTS;
            int lru = h % NR_LRU_LISTS;
            int[] slots = new int[n];
            for (int i = 0; i < n; i++) {
                long p = in.readLong();
                int z = in.readByte();
                int f = in.readByte();
                int m = in.readInt();
                long k = in.readLong();
                long st = in.readLong();
                int s = newSlot();
                pfn[s] = p;
                node[s] = (byte) nid;
                zone[s] = (byte) z;
                flags[s] = (byte) f;
                mapping[s] = m;
                key[s] = k;
                stamp[s] = st;
                setSlot(p, s);
                count++;
                slots[i] = s;
            }
            // written head to tail: link from the tail so the head comes out first
            for (int i = n - 1; i >= 0; i--) {
                link(slots[i], lru);
            }
        }
        clock = savedClock;
    }
}
