package org.mmsim.kernel.mm;

import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * Duplicating an address space for fork(2): {@code dup_mmap()} (kernel/fork.c) with
 * {@code anon_vma_fork()} (mm/rmap.c) and {@code copy_page_range()} → {@code copy_present_pte()}
 * (mm/memory.c), as LINUX.md §6 lists them.
 */
public final class Fork {

    private Fork() {
    }

    /**
     * {@code dup_mmap()}: copies every VMA of {@code oldmm} into the empty {@code mm} (whose
     * page table exists) except {@code VM_DONTCOPY} ones; a VMA with an {@code anon_vma} gets a
     * new one chained to it and its page table copied ({@code vma_needs_copy}); the rest (never
     * written private file pages, shmem) are left for the child to fault. Answers false — with
     * {@code mm} left for the caller to tear down — when memory runs out (ENOMEM).
     */
    public static boolean dupMmap(MmStruct mm, MmStruct oldmm, MmContext ctx) {
        long[] counters = oldmm.savedCounters();
        mm.restoreCounters(counters);
        for (int m = 0; m < MmStruct.NR_MM_COUNTERS; m++) {
            mm.rssStat[m] = 0;
        }
        mm.lockedVm = 0;
        mm.committedPages = 0;
        mm.hiwaterRss = 0;
        mm.hiwaterVm = 0;
        mm.policies.clear();
        mm.policies.addAll(oldmm.policies);
        for (Vma mpnt : oldmm.vmas) {
            long pages = mpnt.nrPages();
            if ((mpnt.vmFlags & VmFlags.VM_DONTCOPY) != 0) {
                mm.vmStatAccount(mpnt.vmFlags, -pages);
                continue;
            }
            if ((mpnt.vmFlags & VmFlags.VM_ACCOUNT) != 0) {
                // charged one VMA at a time, so strict overcommit sees the child's charge so far
                if (!Mmap.vmEnoughMemory(ctx, mm, pages)) {
                    return false;
                }
                mm.committedPages += pages;
            }
            Vma tmp = new Vma(mpnt.vmStart, mpnt.vmEnd, mpnt.vmFlags & ~VmFlags.VM_LOCKED, mpnt.vmPgoff);
            VmaMerge.copyAttributes(mpnt, tmp);
            boolean wipe = (mpnt.vmFlags & VmFlags.VM_WIPEONFORK) != 0;
            if (wipe || mpnt.anonVma() == Vma.NO_ANON_VMA) {
                tmp.setAnonVma(Vma.NO_ANON_VMA);
                tmp.setAnonVmaForked(false);
            } else {
                tmp.setAnonVma(++ctx.events().lastAnonVma);
                tmp.setAnonVmaForked(true);
            }
            mm.vmas.insert(tmp);
            if (!wipe && vmaNeedsCopy(mpnt) && !copyPageRange(mm, oldmm, mpnt, ctx.phys())) {
                oldmm.flushTlbMm();
                return false;
            }
        }
        // the parent's writable COW PTEs are read-only now: its cached translations must go
        oldmm.flushTlbMm();
        mm.hiwaterRss = mm.rss();
        mm.hiwaterVm = mm.totalVm;
        return true;
    }

    /** {@code vma_needs_copy()}: page tables are copied only for a VMA with an {@code anon_vma} (or PFNMAP/MIXEDMAP). */
    static boolean vmaNeedsCopy(Vma src) {
        return src.anonVma() != Vma.NO_ANON_VMA || (src.vmFlags & (VmFlags.VM_PFNMAP | VmFlags.VM_MIXEDMAP)) != 0;
    }

    /**
     * {@code copy_page_range()} → {@code copy_present_pte()}: every present PTE of {@code src} is
     * copied into {@code dst}; the page gains a reference and a mapping and counts in the child's
     * RSS; a writable PTE of a COW mapping ({@code (flags & (VM_SHARED|VM_MAYWRITE)) ==
     * VM_MAYWRITE}) is write-protected in parent and child; a shared mapping's child PTE is
     * clean; the child PTE is always old. The zero page is copied as it is. As the kernel's
     * {@code copy_p?d_range} → {@code copy_pte_range}: leaf table by leaf table (holes skipped a
     * whole missing table at a time), the child's leaf looked up once per {@code PMD_SIZE}, the
     * RSS added once per VMA ({@code add_mm_rss_vec}).
     */
    static boolean copyPageRange(MmStruct dst, MmStruct src, Vma vma, PhysicalMemory phys) {
        boolean cow = (vma.vmFlags & (VmFlags.VM_SHARED | VmFlags.VM_MAYWRITE)) == VmFlags.VM_MAYWRITE;
        boolean shared = (vma.vmFlags & VmFlags.VM_SHARED) != 0;
        long pmdSize = PageTable.pmdSize(src.pgd.arch());
        int indexMask = (int) (pmdSize >>> Arch.PAGE_SHIFT) - 1;
        // an anonymous VMA holds only anonymous pages (and the zero page, skipped below): its
        // pages' kind needs no look-up; a private file VMA mixes page-cache and COW'd pages
        boolean anonOnly = vma.isAnonymous();
        long[] rss = new long[MmStruct.NR_MM_COUNTERS];
        // the pfns one leaf table's copied PTEs map: their struct pages are updated together
        long[] pfns = new long[indexMask + 1];
        boolean ok = true;
        long end = vma.vmEnd;
        for (long addr = vma.vmStart; ok && addr < end; ) {
            long next = Math.min((addr & ~(pmdSize - 1)) + pmdSize, end);
            long[] from = src.pgd.pteTable(addr, false);
            if (from == null) {
                addr = Math.min(holeEnd(src.pgd, addr), end);
                continue;
            }
            long[] to = null;
            int n = 0;
            for (int i = (int) (addr >>> Arch.PAGE_SHIFT) & indexMask, last = (int) ((next - 1) >>> Arch.PAGE_SHIFT)
                    & indexMask; i <= last; i++) {
                long pte = from[i];
                if (pte == 0) {
                    continue;
                }
                if (to == null) {
                    to = dst.pgd.pteTable(addr, true);
                    if (to == null) {
                        ok = false;
                        break;
                    }
                }
                if (!Pte.present(pte)) {
                    // copy_nonpresent_pte: the child shares the swap slot (swap_duplicate)
                    phys.swap().duplicate(Pte.swpOffset(pte, src.pgd.arch()));
                    to[i] = pte;
                    rss[MmStruct.MM_SWAPENTS]++;
                    continue;
                }
                long child = pte;
                if (cow && Pte.write(pte)) {
                    from[i] = Pte.wrprotect(pte);
                    child = Pte.wrprotect(child);
                }
                if (shared) {
                    child = Pte.mkclean(child);
                }
                to[i] = Pte.mkold(child);
                if (!Pte.special(pte)) {
                    pfns[n++] = Pte.pfn(pte);
                }
            }
            phys.pagesGetAndMap(pfns, n);
            if (anonOnly) {
                rss[MmStruct.MM_ANONPAGES] += n;
            } else {
                for (int k = 0; k < n; k++) {
                    rss[Memory.rssMember(phys.pageOwner(pfns[k]))]++;
                }
            }
            addr = next;
        }
        for (int m = 0; m < MmStruct.NR_MM_COUNTERS; m++) {
            if (rss[m] != 0) {
                dst.addCounter(m, rss[m]);
            }
        }
        return ok;
    }

    /**
     * Where the hole containing {@code addr} in {@code pgd} ends: the end of the range the first
     * missing entry of {@code addr}'s walk would map ({@code p?d_none_or_clear_bad} →
     * {@code continue} in {@code copy_p?d_range}).
     */
    private static long holeEnd(PageTable pgd, long addr) {
        Arch arch = pgd.arch();
        int missing = pgd.walk(addr).levels().size() - 1;
        int below = arch.levels().size() - 1 - missing;
        long size = Arch.PAGE_SIZE << ((arch.is64Bit() ? 9 : 10) * below);
        return (addr & ~(size - 1)) + size;
    }
}
