package org.mmsim.kernel.mm;

import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * Unmapping pages and tables: {@code zap_pte_range()} and {@code free_pgtables()}, mm/memory.c.
 */
public final class Memory {

    private Memory() {
    }

    /**
     * {@code zap_page_range_single()} → {@code zap_pte_range()}: clears every PTE of
     * {@code [start, end)}. A normal page loses its mapping (mapcount − 1), its RSS count and the
     * reference the PTE held, so the last unmap of an anonymous page frees it; the zero page is
     * special and only its PTE goes.
     */
    public static void zapPageRange(MmStruct mm, PhysicalMemory phys, long start, long end) {
        long[] span = zapPteRange(mm, phys, start, end);
        if (span != null) {
            mm.flushTlbRange(span[0], span[1]);
        }
    }

    /**
     * The zap without its TLB flush, for {@code exit_mmap}, which flushes the whole mm once
     * ({@code tlb_gather_mmu_fullmm}). Answers the span of cleared present PTEs
     * ({@code mmu_gather}'s start and end), or null when none was present.
     */
    static long[] zapPteRange(MmStruct mm, PhysicalMemory phys, long start, long end) {
        if (mm.pgd == null) {
            return null;
        }
        mm.updateHiwaterRss();
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        mm.pgd.updateRange(start, end, (va, pte) -> {
            if (Pte.present(pte)) {
                span[0] = Math.min(span[0], va);
                span[1] = Math.max(span[1], va + org.mmsim.kernel.machine.Arch.PAGE_SIZE);
            }
            if (Pte.present(pte) && !Pte.special(pte)) {
                long pfn = Pte.pfn(pte);
                mm.addCounter(rssMember(phys.pageOwner(pfn)), -1);
                phys.pageUnmapAndPut(pfn);
            } else if (Pte.isSwap(pte)) {
                // free_swap_and_cache: this entry's slot reference goes
                phys.swap().free(Pte.swpOffset(pte, mm.pgd.arch()));
                mm.addCounter(MmStruct.MM_SWAPENTS, -1);
            }
            return 0;
        });
        return span[0] == Long.MAX_VALUE ? null : span;
    }

    /** {@code mm_counter()}: which RSS counter a page of {@code owner} counts in. */
    public static int rssMember(int owner) {
        return switch (owner) {
            case PageStore.OWNER_FILE -> MmStruct.MM_FILEPAGES;
            case PageStore.OWNER_SHMEM -> MmStruct.MM_SHMEMPAGES;
            default -> MmStruct.MM_ANONPAGES;
        };
    }

    /**
     * {@code free_pgtables()} for an unmapped range: table pages that now map nothing between
     * {@code floor} (the previous VMA's end, or 0) and {@code ceiling} (the next VMA's start, or 0
     * for the top) go back to the buddy allocator.
     */
    public static void freePgtables(MmStruct mm, long start, long end, long floor, long ceiling) {
        if (mm.pgd != null) {
            mm.pgd.freePgdRange(start, end, floor, ceiling);
        }
    }
}
