package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One zone's buddy allocator: {@code struct free_area free_area[NR_PAGE_ORDERS]} of
 * include/linux/mmzone.h with {@code __rmqueue_smallest}, {@code expand},
 * {@code __rmqueue_fallback}, {@code steal_suitable_fallback} and {@code __free_one_page} from
 * mm/page_alloc.c.
 *
 * <p>Sections: (1) storage — each free block head has a record in a {@link PfnTable} (the
 * {@code PageBuddy} flag, {@code buddy_order}, its list's migratetype and the {@code lru} links),
 * linked by pfn into an intrusive doubly-linked list per (order, migratetype); a block's buddy is
 * found by alignment in the same or the next chunk, never by hashing; (2) pristine ranges — runs of whole order-10 blocks never touched since
 * boot, which logically sit at the tail of the order-10 MOVABLE list (boot frees with
 * {@code FPI_TO_TAIL} in ascending pfn order, so they are exactly that list's tail) and are
 * split off one block at a time; (3) allocation; (4) freeing; (5) views, invariants and
 * snapshot.
 */
final class BuddyAllocator {
    static final int MAX_PAGE_ORDER = 10;
    static final int NR_PAGE_ORDERS = 11;
    static final int PAGEBLOCK_ORDER = 9;
    static final long NO_PFN = -1;
    private static final int MT = MigrateType.MIGRATE_TYPES;

    final long zoneStartPfn;
    final long zoneEndPfn;
    private final PageStore pages;

    // (1) storage: a free block head's record is fields FLAGS (with the next link) and PREV of
    // the struct page record PageStore describes
    private static final int TAG = PageStore.FLAGS;
    /** The previous pfn on the list; meaningful only when the block is not its list's head, so churn at the head never touches it. */
    private static final int PREV = PageStore.PREV;
    private static final int NEXT = -1;
    private static final long TAG_MASK = (1L << PageStore.NEXT_SHIFT) - 1;
    private static final int NEXT_SHIFT = PageStore.NEXT_SHIFT;
    private static final long PG_BUDDY = PageStore.PG_BUDDY;
    private static final int MT_SHIFT = PageStore.MT_SHIFT;
    /** The machine's struct page table, or a private one for an allocator built alone (tests). */
    private final PfnTable freeMap;
    /**
     * The free lists, {@code free_area[order].free_list[mt]} with its {@code nr_free} per type:
     * list {@code li = order * MT + mt} is the four longs from {@code li << 2} — its head, its
     * tail, the second block when its stored {@link #PREV} is stale (see below) or
     * {@link #NO_PFN}, and its block count (pristine blocks included). One array, so a list
     * operation touches one object and one cache line. {@code nr_free} of an order is the sum
     * of its types' counts.
     *
     * <p>Stale PREV: a push at the head makes the old head second without writing its
     * {@code PREV}, which would touch another block's record on every free; the second's PREV
     * reads as the head. The next push at the head (which makes it third) writes it, a removal
     * of the head or of the second itself forgets it.
     */
    private final long[] lists = new long[NR_LISTS << 2];
    private static final int NR_LISTS = NR_PAGE_ORDERS * MT;
    private static final int L_HEAD = 0;
    private static final int L_TAIL = 1;
    private static final int L_STALE = 2;
    private static final int L_COUNT = 3;
    private long freePages;
    /** Pageblocks whose type is not MOVABLE (the boot default): pageblock index to migratetype. */
    private final PfnMap pageblockMt = new PfnMap(16);

    // (2) pristine order-10 ranges, ascending; [pristineIdx] is the next block
    private long[] pristineStart = new long[0];
    private long[] pristineEnd = new long[0];
    private int pristineIdx;
    private long pristineBlocks;

    BuddyAllocator(long zoneStartPfn, long zoneEndPfn, PageStore pages) {
        this.zoneStartPfn = zoneStartPfn;
        this.zoneEndPfn = zoneEndPfn;
        this.pages = pages;
        this.freeMap = pages != null ? pages.memMap() : new PfnTable(2, 2);
        clearLists();
    }

    /** Every list empty. */
    private void clearLists() {
        for (int li = 0; li < NR_LISTS; li++) {
            lists[(li << 2) + L_HEAD] = NO_PFN;
            lists[(li << 2) + L_TAIL] = NO_PFN;
            lists[(li << 2) + L_STALE] = NO_PFN;
            lists[(li << 2) + L_COUNT] = 0;
        }
    }

    private long head(int li) {
        return lists[(li << 2) + L_HEAD];
    }

    // ---------------------------------------------------------------- boot

    /**
     * {@code __free_pages_memory}, mm/memblock.c: frees {@code [start, end)} at boot in maximal
     * aligned blocks ({@code order = min(MAX_PAGE_ORDER, __ffs(start))}), each to the list tail
     * ({@code FPI_TO_TAIL}). Whole order-10 blocks become pristine ranges. Ranges must come in
     * ascending order.
     */
    void bootFreeRange(long start, long end) {
        long pfn = start;
        while (pfn < end) {
            int order = pfn == 0 ? MAX_PAGE_ORDER : Math.min(MAX_PAGE_ORDER, Long.numberOfTrailingZeros(pfn));
            while (pfn + (1L << order) > end) {
                order--;
            }
            if (order == MAX_PAGE_ORDER) {
                long runEnd = pfn + ((end - pfn) & ~((1L << MAX_PAGE_ORDER) - 1));
                addPristine(pfn, runEnd);
                pfn = runEnd;
                continue;
            }
            addToFreeList(pfn, order, MigrateType.MOVABLE, true);
            freePages += 1L << order;
            pfn += 1L << order;
        }
    }

    private void addPristine(long start, long end) {
        int n = pristineStart.length;
        if (n > 0 && pristineEnd[n - 1] == start) {
            pristineEnd[n - 1] = end;
        } else {
            pristineStart = Arrays.copyOf(pristineStart, n + 1);
            pristineEnd = Arrays.copyOf(pristineEnd, n + 1);
            pristineStart[n] = start;
            pristineEnd[n] = end;
        }
        long blocks = (end - start) >>> MAX_PAGE_ORDER;
        pristineBlocks += blocks;
        lists[((MAX_PAGE_ORDER * MT + MigrateType.MOVABLE) << 2) + L_COUNT] += blocks;
        freePages += end - start;
    }

    private long popPristine() {
        long pfn = pristineStart[pristineIdx];
        pristineStart[pristineIdx] = pfn + (1L << MAX_PAGE_ORDER);
        if (pristineStart[pristineIdx] == pristineEnd[pristineIdx]) {
            pristineIdx++;
        }
        pristineBlocks--;
        lists[((MAX_PAGE_ORDER * MT + MigrateType.MOVABLE) << 2) + L_COUNT]--;
        return pfn;
    }

    // ---------------------------------------------------------------- (1) list primitives

    /**
     * The order of the free block starting at {@code pfn}, or -1: {@code PageBuddy(page) ?
     * buddy_order(page) : -1}. A TAG of 0x92 reads as PageBuddy, MOVABLE (1), order 2.
     */
    private int buddyOrder(long pfn) {
        long[] c = freeMap.chunk(pfn);
        if (c == null) {
            return -1;
        }
        long tag = c[PfnTable.index(pfn) + TAG];
        return (tag & PG_BUDDY) != 0 ? (int) (tag & PageStore.ORDER_MASK) : -1;
    }

    /** The migratetype of the list holding the free block at {@code pfn} (which must be one). */
    private int buddyMt(long pfn) {
        return (int) ((freeMap.chunk(pfn)[PfnTable.index(pfn) + TAG] >>> MT_SHIFT) & PageStore.MT_MASK);
    }

    /** Sets link {@link #NEXT} or {@link #PREV} of the free block at {@code pfn}. */
    private void setLink(long pfn, int link, long value) {
        long[] c = freeMap.chunk(pfn);
        int i = PfnTable.index(pfn);
        if (link == NEXT) {
            c[i + TAG] = (c[i + TAG] & TAG_MASK) | ((value + 1) << NEXT_SHIFT);
        } else {
            c[i + PREV] = value;
        }
    }

    /** Link {@link #NEXT} or {@link #PREV} of the free block at {@code pfn}. */
    private long link(long pfn, int link) {
        long[] c = freeMap.chunk(pfn);
        int i = PfnTable.index(pfn);
        long tag = c[i + TAG];
        if (link == NEXT) {
            return (tag >>> NEXT_SHIFT) - 1;
        }
        int li = (int) (tag & PageStore.ORDER_MASK) * MT + (int) ((tag >>> MT_SHIFT) & PageStore.MT_MASK);
        int lb = li << 2;
        return lists[lb + L_HEAD] == pfn ? NO_PFN : lists[lb + L_STALE] == pfn ? lists[lb + L_HEAD] : c[i + PREV];
    }

    /** {@code __add_to_free_list}: head unless {@code toTail}. */
    private void addToFreeList(long pfn, int order, int mt, boolean toTail) {
        addToFreeList(freeMap.chunkForWrite(pfn), pfn, order, mt, toTail);
    }

    /** {@link #addToFreeList(long, int, int, boolean)} with {@code pfn}'s chunk {@code c} already found. */
    private void addToFreeList(long[] c, long pfn, int order, int mt, boolean toTail) {
        int lb = (order * MT + mt) << 2;
        int i = PfnTable.index(pfn);
        long tag = PG_BUDDY | ((long) mt << MT_SHIFT) | order;
        if (toTail) {
            long t = lists[lb + L_TAIL];
            c[i + PREV] = t;
            c[i + TAG] = tag;
            if (t == NO_PFN) {
                lists[lb + L_HEAD] = pfn;
            } else {
                setLink(t, NEXT, pfn);
            }
            lists[lb + L_TAIL] = pfn;
        } else {
            long h = lists[lb + L_HEAD];
            c[i + TAG] = ((h + 1) << NEXT_SHIFT) | tag;
            if (h == NO_PFN) {
                lists[lb + L_TAIL] = pfn;
            } else {
                // h becomes second with a stale PREV (read as the head); the old second moves to
                // third and needs its PREV (h) stored if it was stale
                long s = lists[lb + L_STALE];
                if (s != NO_PFN) {
                    setLink(s, PREV, h);
                }
                lists[lb + L_STALE] = h;
            }
            lists[lb + L_HEAD] = pfn;
        }
        lists[lb + L_COUNT]++;
    }

    /** {@code __del_page_from_free_list} for the free block at {@code pfn}. */
    private void delFromFreeList(long pfn) {
        long[] c = freeMap.chunk(pfn);
        int i = PfnTable.index(pfn);
        long tag = c[i + TAG];
        int lb = ((int) (tag & PageStore.ORDER_MASK) * MT + (int) ((tag >>> MT_SHIFT) & PageStore.MT_MASK)) << 2;
        long n = (tag >>> NEXT_SHIFT) - 1;
        long p;
        if (lists[lb + L_HEAD] == pfn) {
            // the new head's PREV is never read: a stale one (it was second) stops mattering
            p = NO_PFN;
            lists[lb + L_HEAD] = n;
            lists[lb + L_STALE] = NO_PFN;
        } else {
            if (lists[lb + L_STALE] == pfn) {
                p = lists[lb + L_HEAD];
                lists[lb + L_STALE] = NO_PFN;
            } else {
                p = c[i + PREV];
            }
            setLink(p, NEXT, n);
        }
        if (n == NO_PFN) {
            lists[lb + L_TAIL] = p;
        } else if (p != NO_PFN) {
            setLink(n, PREV, p);
        }
        c[i + TAG] = 0;
        lists[lb + L_COUNT]--;
    }

    // ---------------------------------------------------------------- pageblocks

    int pageblockMigratetype(long pfn) {
        if (pageblockMt.size() == 0) {
            return MigrateType.MOVABLE;
        }
        int mt = pageblockMt.get(pfn >>> PAGEBLOCK_ORDER);
        return mt == PfnMap.MISSING ? MigrateType.MOVABLE : mt;
    }

    private void setPageblockMigratetype(long pfn, int mt) {
        if (mt == MigrateType.MOVABLE) {
            pageblockMt.remove(pfn >>> PAGEBLOCK_ORDER);
        } else {
            pageblockMt.put(pfn >>> PAGEBLOCK_ORDER, mt);
        }
    }

    /** {@code change_pageblock_range}. */
    private void changePageblockRange(long pfn, int order, int mt) {
        long end = pfn + (1L << order);
        for (long p = pfn; p < end; p += 1L << PAGEBLOCK_ORDER) {
            setPageblockMigratetype(p, mt);
        }
    }

    // ---------------------------------------------------------------- (3) allocation

    /** {@code __rmqueue}: the wanted type first, then the fallbacks. Answers the pfn or {@link #NO_PFN}. */
    long rmqueue(int order, int mt) {
        int lb = (order * MT + mt) << 2;
        long pfn = lists[lb + L_HEAD];
        if (pfn != NO_PFN) {
            // rmqueueSmallest's first step when the wanted list has a block: no split to do.
            // delFromFreeList of a head, with the list known
            long[] c = freeMap.chunk(pfn);
            int i = PfnTable.index(pfn);
            long n = (c[i + TAG] >>> NEXT_SHIFT) - 1;
            lists[lb + L_HEAD] = n;
            lists[lb + L_STALE] = NO_PFN;
            if (n == NO_PFN) {
                lists[lb + L_TAIL] = NO_PFN;
            }
            c[i + TAG] = 0;
            lists[lb + L_COUNT]--;
            freePages -= 1L << order;
            return pfn;
        }
        pfn = rmqueueSmallest(order, mt);
        if (pfn == NO_PFN && mt < MigrateType.PCPTYPES) {
            pfn = rmqueueFallback(order, mt);
        }
        if (pfn != NO_PFN) {
            freePages -= 1L << order;
        }
        return pfn;
    }

    /**
     * {@code __rmqueue_smallest}: the first block of the smallest order with a non-empty list of
     * {@code mt}; {@code expand} puts the upper halves back, the caller keeps the lowest.
     */
    private long rmqueueSmallest(int order, int mt) {
        for (int o = order; o < NR_PAGE_ORDERS; o++) {
            long pfn = head(o * MT + mt);
            if (pfn != NO_PFN) {
                delFromFreeList(pfn);
            } else if (o == MAX_PAGE_ORDER && mt == MigrateType.MOVABLE && pristineBlocks > 0) {
                pfn = popPristine();
            } else {
                continue;
            }
            expand(pfn, order, o, mt);
            return pfn;
        }
        return NO_PFN;
    }

    /**
     * {@code expand}: halves a block of order {@code high} down to {@code low}; each upper half
     * goes to the head of its order's list. Order 0 from an order-3 block at P keeps P and frees
     * P+4 (order 2), P+2 (order 1), P+1 (order 0).
     */
    private void expand(long pfn, int low, int high, int mt) {
        while (high > low) {
            high--;
            addToFreeList(pfn + (1L << high), high, mt, false);
        }
    }

    private boolean listEmpty(int order, int mt) {
        return nrFree(order, mt) == 0;
    }

    /** {@code can_steal_fallback}. */
    private static boolean canStealFallback(int order, int startMt) {
        return order >= PAGEBLOCK_ORDER
                || order >= PAGEBLOCK_ORDER / 2
                || startMt == MigrateType.RECLAIMABLE
                || startMt == MigrateType.UNMOVABLE;
    }

    /** {@code find_suitable_fallback} with {@code only_stealable} false: the type, or -1. */
    private int findSuitableFallback(int order, int mt) {
        if (nrFree(order) == 0) {
            return -1;
        }
        for (int fallbackMt : MigrateType.FALLBACKS[mt]) {
            if (!listEmpty(order, fallbackMt)) {
                return fallbackMt;
            }
        }
        return -1;
    }

    /**
     * {@code __rmqueue_fallback} (upstream 6.12): the largest block of a fallback type, or for a
     * MOVABLE request that may not claim the block, the smallest one; then
     * {@code steal_suitable_fallback}.
     */
    private long rmqueueFallback(int order, int startMt) {
        int currentOrder;
        int fallbackMt = -1;
        for (currentOrder = MAX_PAGE_ORDER; currentOrder >= order; currentOrder--) {
            fallbackMt = findSuitableFallback(currentOrder, startMt);
            if (fallbackMt == -1) {
                continue;
            }
            boolean canSteal = canStealFallback(currentOrder, startMt);
            if (!canSteal && startMt == MigrateType.MOVABLE && currentOrder > order) {
                for (currentOrder = order; currentOrder < NR_PAGE_ORDERS; currentOrder++) {
                    fallbackMt = findSuitableFallback(currentOrder, startMt);
                    if (fallbackMt != -1) {
                        break;
                    }
                }
                canSteal = canStealFallback(currentOrder, startMt);
            }
            return stealSuitableFallback(currentOrder, order, startMt, fallbackMt, canSteal);
        }
        return NO_PFN;
    }

    /** Takes the head block of (order, mt) off its list, materialising a pristine block if needed. */
    private long takeHead(int order, int mt) {
        long pfn = head(order * MT + mt);
        if (pfn != NO_PFN) {
            delFromFreeList(pfn);
            return pfn;
        }
        return popPristine();
    }

    /** {@code steal_suitable_fallback} (6.12, no watermark boost, no highatomic reserve). */
    private long stealSuitableFallback(int currentOrder, int order, int startMt, int fallbackMt, boolean wholeBlock) {
        long pfn = peekHead(currentOrder, fallbackMt);
        int blockType = pageblockMigratetype(pfn);
        if (currentOrder >= PAGEBLOCK_ORDER) {
            takeHead(currentOrder, fallbackMt);
            changePageblockRange(pfn, currentOrder, startMt);
            expand(pfn, order, currentOrder, startMt);
            return pfn;
        }
        if (wholeBlock && blockType != MigrateType.HIGHATOMIC) {
            long start = pfn & ~((1L << PAGEBLOCK_ORDER) - 1);
            long end = start + (1L << PAGEBLOCK_ORDER);
            if (start >= zoneStartPfn && end <= zoneEndPfn) {
                long[] counts = countBlock(start, end);
                long freeInBlock = counts[0];
                long movable = counts[1];
                long alike;
                if (startMt == MigrateType.MOVABLE) {
                    alike = movable;
                } else if (blockType == MigrateType.MOVABLE) {
                    alike = (1L << PAGEBLOCK_ORDER) - (freeInBlock + movable);
                } else {
                    alike = 0;
                }
                if (freeInBlock + alike >= (1L << (PAGEBLOCK_ORDER - 1))) {
                    moveFreepagesBlock(start, end, startMt);
                    return rmqueueSmallest(order, startMt);
                }
            }
        }
        takeHead(currentOrder, fallbackMt);
        expand(pfn, order, currentOrder, blockType);
        return pfn;
    }

    private long peekHead(int order, int mt) {
        long pfn = head(order * MT + mt);
        return pfn != NO_PFN ? pfn : pristineStart[pristineIdx];
    }

    /** {@code prep_move_freepages_block}'s walk: free pages and movable allocated pages in the block. */
    private long[] countBlock(long start, long end) {
        long free = 0;
        long movable = 0;
        long pfn = start;
        while (pfn < end) {
            int freeOrder = buddyOrder(pfn);
            if (freeOrder >= 0) {
                free += 1L << freeOrder;
                pfn += 1L << freeOrder;
                continue;
            }
            int usedOrder = pages == null ? -1 : pages.headOrder(pfn);
            if (usedOrder >= 0) {
                long n = 1L << usedOrder;
                if (pages.migratetype(pfn) == MigrateType.MOVABLE) {
                    movable += n;
                }
                pfn += n;
                continue;
            }
            pfn++;
        }
        return new long[] {free, movable};
    }

    /** {@code move_freepages_block}: retypes the pageblock and moves its free blocks to the tail of {@code mt}'s lists. */
    private void moveFreepagesBlock(long start, long end, int mt) {
        long pfn = start;
        while (pfn < end) {
            int order = buddyOrder(pfn);
            if (order < 0) {
                pfn++;
                continue;
            }
            delFromFreeList(pfn);
            addToFreeList(pfn, order, mt, true);
            pfn += 1L << order;
        }
        setPageblockMigratetype(start, mt);
    }

    // ---------------------------------------------------------------- (4) freeing

    /**
     * {@code split_large_buddy} + {@code __free_one_page}: frees an aligned block, one pageblock
     * at a time when it is larger than a pageblock, each under its pageblock's migratetype.
     */
    void free(long pfn, int order) {
        free(freeMap.chunk(pfn), pfn, order);
    }

    /** {@link #free(long, int)} with {@code pfn}'s chunk {@code c} already found (null: none there). */
    void free(long[] c, long pfn, int order) {
        freePages += 1L << order;
        if (order > PAGEBLOCK_ORDER) {
            long end = pfn + (1L << order);
            for (long p = pfn; p < end; p += 1L << PAGEBLOCK_ORDER) {
                freeOnePage(freeMap.chunk(p), p, PAGEBLOCK_ORDER, pageblockMigratetype(p));
            }
        } else {
            freeOnePage(c, pfn, order, pageblockMigratetype(pfn));
        }
    }

    /**
     * {@code __free_one_page}: merges with the buddy ({@link #findBuddyPfn}) while it is a free
     * block of the same order, below MAX_PAGE_ORDER; puts the result at the tail when
     * {@code buddy_merge_likely}, else at the head.
     */
    private void freeOnePage(long[] c, long pfn, int order, int mt) {
        long buddyPfn = NO_PFN;
        // A buddy below pageblock order lies in pfn's own chunk c (one pageblock): probe it there
        // instead of walking the table again. No chunk means no record there: no free buddy.
        while (order < MAX_PAGE_ORDER) {
            buddyPfn = findBuddyPfn(pfn, order);
            int bo = order < PfnTable.CHUNK_SHIFT ? orderIn(c, buddyPfn) : buddyOrder(buddyPfn);
            if (bo != order) {
                break;
            }
            if (order >= PAGEBLOCK_ORDER && !mergePageblock(buddyPfn, mt)) {
                break;
            }
            delFromFreeList(buddyPfn);
            pfn &= buddyPfn;
            order++;
        }
        boolean toTail = buddyMergeLikely(pfn, buddyPfn, order, c);
        if (order < PfnTable.CHUNK_SHIFT && c != null) {
            addToFreeList(c, pfn, order, mt, toTail);
        } else {
            addToFreeList(pfn, order, mt, toTail);
        }
    }

    /**
     * A merge across pageblocks: false when one side is ISOLATE and the other not; else retypes
     * the buddy's pageblock to {@code mt} if it differs.
     */
    private boolean mergePageblock(long buddyPfn, int mt) {
        int buddyMt = pageblockMigratetype(buddyPfn);
        if (buddyMt != mt && (buddyMt == MigrateType.ISOLATE || mt == MigrateType.ISOLATE)) {
            return false;
        }
        if (buddyMt != mt) {
            setPageblockMigratetype(buddyPfn, mt);
        }
        return true;
    }

    /** {@link #buddyOrder} of a pfn in chunk {@code c} (null: no records there). */
    private static int orderIn(long[] c, long pfn) {
        if (c == null) {
            return -1;
        }
        long tag = c[PfnTable.index(pfn) + TAG];
        return (tag & PG_BUDDY) != 0 ? (int) (tag & PageStore.ORDER_MASK) : -1;
    }

    /**
     * {@code __find_buddy_pfn}: a block's buddy differs in bit {@code order}: pfn 8, order 1 →
     * buddy 10; pfn 10, order 1 → buddy 8.
     */
    static long findBuddyPfn(long pfn, int order) {
        return pfn ^ (1L << order);
    }

    /** {@code buddy_merge_likely}: whether the block one order up would find its buddy free. */
    private boolean buddyMergeLikely(long pfn, long buddyPfn, int order, long[] c) {
        if (order >= MAX_PAGE_ORDER - 1) {
            return false;
        }
        long higherPfn = buddyPfn & pfn;
        long probe = findBuddyPfn(higherPfn, order + 1);
        // order + 1 below the chunk shift: the probe stays in pfn's chunk c
        return (order + 1 < PfnTable.CHUNK_SHIFT ? orderIn(c, probe) : buddyOrder(probe)) == order + 1;
    }

    // ---------------------------------------------------------------- (5) queries

    long freePages() {
        return freePages;
    }

    long nrFree(int order) {
        long n = 0;
        for (int mt = 0; mt < MT; mt++) {
            n += nrFree(order, mt);
        }
        return n;
    }

    long nrFree(int order, int mt) {
        return lists[((order * MT + mt) << 2) + L_COUNT];
    }

    /** {@code __zone_watermark_ok}'s last test: a non-empty UNMOVABLE/MOVABLE/RECLAIMABLE list at {@code order} or above. */
    boolean hasFreeBlockAtOrAbove(int order) {
        for (int o = order; o < NR_PAGE_ORDERS; o++) {
            for (int mt = 0; mt < MigrateType.PCPTYPES; mt++) {
                if (!listEmpty(o, mt)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The order of the free block starting exactly at {@code pfn}, or -1. */
    int freeHeadOrder(long pfn) {
        int order = buddyOrder(pfn);
        if (order >= 0) {
            return order;
        }
        return inPristine(pfn) && (pfn & ((1L << MAX_PAGE_ORDER) - 1)) == 0 ? MAX_PAGE_ORDER : -1;
    }

    /** The head pfn of the free block containing {@code pfn}, or {@link #NO_PFN}. */
    long freeBlockContaining(long pfn) {
        for (int o = 0; o <= MAX_PAGE_ORDER; o++) {
            long h = pfn & ~((1L << o) - 1);
            if (buddyOrder(h) >= o) {
                return h;
            }
        }
        return inPristine(pfn) ? pfn & ~((1L << MAX_PAGE_ORDER) - 1) : NO_PFN;
    }

    private boolean inPristine(long pfn) {
        int lo = pristineIdx;
        int hi = pristineStart.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (pfn < pristineStart[mid]) {
                hi = mid - 1;
            } else if (pfn >= pristineEnd[mid]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The start pfns on list (order, mt) in list order, then pristine blocks for order-10 MOVABLE; from {@code offset}, at most {@code limit}. */
    List<Long> listPfns(int order, int mt, long offset, int limit) {
        List<Long> out = new ArrayList<>();
        long index = 0;
        for (long pfn = head(order * MT + mt); pfn != NO_PFN && out.size() < limit; pfn = link(pfn, NEXT)) {
            if (index++ >= offset) {
                out.add(pfn);
            }
        }
        if (order == MAX_PAGE_ORDER && mt == MigrateType.MOVABLE && out.size() < limit) {
            long explicit = nrFree(order, mt) - pristineBlocks;
            long skip = Math.max(0, offset - explicit);
            for (int r = pristineIdx; r < pristineStart.length && out.size() < limit; r++) {
                long blocks = (pristineEnd[r] - pristineStart[r]) >>> MAX_PAGE_ORDER;
                if (skip >= blocks) {
                    skip -= blocks;
                    continue;
                }
                for (long p = pristineStart[r] + (skip << MAX_PAGE_ORDER); p < pristineEnd[r] && out.size() < limit;
                        p += 1L << MAX_PAGE_ORDER) {
                    out.add(p);
                }
                skip = 0;
            }
        }
        return out;
    }

    /** Pageblocks of each migratetype as {@code pagetypeinfo_showblockcount_print} counts them. */
    long[] pageblockCounts() {
        long[] counts = new long[MT];
        if (zoneEndPfn <= zoneStartPfn) {
            return counts;
        }
        long first = zoneStartPfn >>> PAGEBLOCK_ORDER;
        long n = (zoneEndPfn - 1 - zoneStartPfn) / (1L << PAGEBLOCK_ORDER) + 1;
        counts[MigrateType.MOVABLE] = n;
        for (long pb : pageblockMt.sortedKeys()) {
            if (pb >= first && pb < first + n) {
                counts[MigrateType.MOVABLE]--;
                counts[pageblockMt.get(pb)]++;
            }
        }
        return counts;
    }

    // ---------------------------------------------------------------- invariants

    /** Throws {@link IllegalStateException} naming the first broken buddy invariant of zone {@code name}. */
    void checkInvariants(String name, java.util.function.LongPredicate allocatedOrReserved) {
        long sum = 0;
        long nrBlocks = -pristineBlocks;
        for (int li = 0; li < NR_LISTS; li++) {
            nrBlocks += lists[(li << 2) + L_COUNT];
        }
        long[] starts = new long[Math.toIntExact(Math.max(1, nrBlocks + 1))];
        int[] orders = new int[starts.length];
        int k = 0;
        for (int order = 0; order < NR_PAGE_ORDERS; order++) {
            long count = 0;
            for (int mt = 0; mt < MT; mt++) {
                long listLen = 0;
                long prev = NO_PFN;
                for (long pfn = head(order * MT + mt); pfn != NO_PFN; pfn = link(pfn, NEXT)) {
                    if (link(pfn, PREV) != prev) {
                        throw new IllegalStateException(name + ": broken list links at pfn " + pfn);
                    }
                    if (buddyOrder(pfn) != order || buddyMt(pfn) != mt) {
                        throw new IllegalStateException(name + ": block " + pfn + " indexed inconsistently");
                    }
                    if ((pfn & ((1L << order) - 1)) != 0) {
                        throw new IllegalStateException(name + ": free block " + pfn + " not aligned to order " + order);
                    }
                    if (pfn < zoneStartPfn || pfn + (1L << order) > zoneEndPfn) {
                        throw new IllegalStateException(name + ": free block " + pfn + " order " + order + " outside the zone");
                    }
                    if (order < MAX_PAGE_ORDER) {
                        long b = findBuddyPfn(pfn, order);
                        if (buddyOrder(b) == order
                                && buddyMt(b) != MigrateType.ISOLATE && mt != MigrateType.ISOLATE) {
                            throw new IllegalStateException(name + ": free buddies " + pfn + " and "
                                    + findBuddyPfn(pfn, order) + " of order " + order + " left unmerged");
                        }
                    }
                    if (k == starts.length) {
                        throw new IllegalStateException(name + ": more list entries than indexed blocks");
                    }
                    starts[k] = pfn;
                    orders[k++] = order;
                    prev = pfn;
                    listLen++;
                }
                int lb = (order * MT + mt) << 2;
                if (lists[lb + L_TAIL] != prev) {
                    throw new IllegalStateException(name + ": tail of list order " + order + " type " + mt + " is wrong");
                }
                long stale = lists[lb + L_STALE];
                if (stale != NO_PFN && (listLen < 2 || link(head(order * MT + mt), NEXT) != stale)) {
                    throw new IllegalStateException(name + ": stale PREV of list order " + order + " type " + mt
                            + " names " + stale + ", not the second block");
                }
                long expected = nrFree(order, mt) - (order == MAX_PAGE_ORDER && mt == MigrateType.MOVABLE ? pristineBlocks : 0);
                if (listLen != expected) {
                    throw new IllegalStateException(name + ": nr_free of order " + order + " type " + mt + " is "
                            + expected + " but the list holds " + listLen);
                }
                count += nrFree(order, mt);
            }
            sum += count << order;
        }
        long tagged = countTaggedBlocks();
        if (k != nrBlocks || k != tagged) {
            throw new IllegalStateException(name + ": " + tagged + " free block records (" + nrBlocks + " counted) but "
                    + k + " on lists");
        }
        if (sum != freePages) {
            throw new IllegalStateException(name + ": NR_FREE_PAGES " + freePages + " != sum of free blocks " + sum);
        }
        // non-overlap and no overlap with used frames: sort by pfn
        long[][] pairs = new long[k][];
        for (int i = 0; i < k; i++) {
            pairs[i] = new long[] {starts[i], orders[i]};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        long lastEnd = zoneStartPfn;
        for (long[] p : pairs) {
            if (p[0] < lastEnd) {
                throw new IllegalStateException(name + ": free block " + p[0] + " overlaps the previous one");
            }
            if (inPristine(p[0])) {
                throw new IllegalStateException(name + ": free block " + p[0] + " overlaps a pristine range");
            }
            lastEnd = p[0] + (1L << p[1]);
            if (allocatedOrReserved.test(p[0])) {
                throw new IllegalStateException(name + ": free block " + p[0] + " is also allocated or reserved");
            }
        }
        for (int r = pristineIdx; r < pristineStart.length; r++) {
            if ((pristineStart[r] & 1023) != 0 || (pristineEnd[r] & 1023) != 0 || pristineStart[r] > pristineEnd[r]
                    || pristineStart[r] < zoneStartPfn || pristineEnd[r] > zoneEndPfn) {
                throw new IllegalStateException(name + ": bad pristine range " + pristineStart[r] + "-" + pristineEnd[r]);
            }
        }
    }

    /** Free block records of this zone found by scanning the table (which other zones share). */
    private long countTaggedBlocks() {
        long n = 0;
        for (long base = freeMap.nextChunk(zoneStartPfn); base >= 0 && base < zoneEndPfn;
                base = freeMap.nextChunk(base + PfnTable.CHUNK_PFNS)) {
            long[] c = freeMap.chunk(base);
            for (int p = 0; p < PfnTable.CHUNK_PFNS; p++) {
                if ((c[TAG + p] & PG_BUDDY) != 0 && base + p >= zoneStartPfn && base + p < zoneEndPfn) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Drops this zone's free block records from the (shared) table. */
    private void clearTaggedBlocks() {
        for (long base = freeMap.nextChunk(zoneStartPfn); base >= 0 && base < zoneEndPfn;
                base = freeMap.nextChunk(base + PfnTable.CHUNK_PFNS)) {
            long[] c = freeMap.chunk(base);
            for (int p = 0; p < PfnTable.CHUNK_PFNS; p++) {
                if ((c[TAG + p] & PG_BUDDY) != 0 && base + p >= zoneStartPfn && base + p < zoneEndPfn) {
                    c[TAG + p] = 0;
                }
            }
        }
    }

    // ---------------------------------------------------------------- snapshot

    /** Writes lists in list order, the pristine cursor and pageblock types; proportional to used state. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(pristineIdx);
        out.writeLong(pristineIdx < pristineStart.length ? pristineStart[pristineIdx] : 0);
        for (int li = 0; li < NR_LISTS; li++) {
            int explicit = (int) (lists[(li << 2) + L_COUNT] - (li == MAX_PAGE_ORDER * MT + MigrateType.MOVABLE ? pristineBlocks : 0));
            out.writeInt(explicit);
            for (long pfn = head(li); pfn != NO_PFN; pfn = link(pfn, NEXT)) {
                out.writeLong(pfn);
            }
        }
        long[] pbs = pageblockMt.sortedKeys();
        out.writeInt(pbs.length);
        for (long pb : pbs) {
            out.writeLong(pb);
            out.writeByte(pageblockMt.get(pb));
        }
    }

    /** Replaces the boot state with a snapshot written by {@link #writeTo}. */
    void readFrom(DataInputStream in) throws IOException {
        clearTaggedBlocks();
        clearLists();
        pageblockMt.clear();
        int idx = in.readInt();
        long cursor = in.readLong();
        pristineIdx = idx;
        pristineBlocks = 0;
        if (idx < pristineStart.length) {
            pristineStart[idx] = cursor;
        }
        for (int r = idx; r < pristineStart.length; r++) {
            pristineBlocks += (pristineEnd[r] - pristineStart[r]) >>> MAX_PAGE_ORDER;
        }
        lists[((MAX_PAGE_ORDER * MT + MigrateType.MOVABLE) << 2) + L_COUNT] = pristineBlocks;
        freePages = pristineBlocks << MAX_PAGE_ORDER;
        for (int li = 0; li < NR_LISTS; li++) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long pfn = in.readLong();
                addToFreeList(pfn, li / MT, li % MT, true);
                freePages += 1L << (li / MT);
            }
        }
        int nPb = in.readInt();
        for (int i = 0; i < nPb; i++) {
            long pb = in.readLong();
            pageblockMt.put(pb, in.readByte());
        }
    }
}
