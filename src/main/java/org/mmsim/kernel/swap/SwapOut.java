package org.mmsim.kernel.swap;

import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * Writing one anonymous page out: {@code shrink_folio_list}'s anonymous branch for a page the
 * caller chose — {@code folio_alloc_swap} takes a slot, {@code try_to_unmap_one} replaces the
 * PTE by the swap entry ({@code MM_ANONPAGES − 1}, {@code MM_SWAPENTS + 1}, mapcount − 1),
 * {@code swap_writepage} counts {@code PSWPOUT}, and the frame is freed.
 *
 * <p>The page-out step alone, for a page the caller picks (tests and benchmarks): only a page
 * mapped by exactly this one PTE with no other reference (mapcount 1, refcount 1) qualifies. Reclaim
 * itself ({@link org.mmsim.kernel.reclaim.Vmscan}) chooses its victims from the LRU lists and
 * unmaps shared pages through the reverse map. The write is synchronous and there is no swap
 * cache, so the frame is freed at once.
 */
public final class SwapOut {

    private SwapOut() {
    }

    /** Swaps out the page mapped at {@code address} of {@code mm}; answers whether it did. */
    public static boolean swapOutPage(MmStruct mm, PhysicalMemory phys, long address) {
        PageTable pt = mm.pgd();
        if (pt == null) {
            return false;
        }
        long pte = pt.get(address);
        if ((pte & Pte._PAGE_PRESENT) == 0 || Pte.special(pte)) {
            return false;
        }
        long pfn = Pte.pfn(pte);
        if (phys.pageOwner(pfn) != PageStore.OWNER_ANON || phys.pageMapcount(pfn) != 1
                || phys.pageRefcount(pfn) != 1) {
            return false;
        }
        SwapInfo si = phys.swap();
        long offset = si.allocSlot();
        if (offset == SwapInfo.NO_SLOT) {
            return false;
        }
        pt.set(address, Pte.swpEntry(SwapInfo.TYPE, offset, pt.arch()));
        mm.flushTlbPage(address);  // ptep_clear_flush in try_to_unmap_one
        mm.addCounter(MmStruct.MM_ANONPAGES, -1);
        mm.addCounter(MmStruct.MM_SWAPENTS, 1);
        phys.pageUnmapAndPut(pfn);
        si.countSwapOut();
        return true;
    }
}
