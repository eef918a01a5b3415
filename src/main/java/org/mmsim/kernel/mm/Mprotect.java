package org.mmsim.kernel.mm;

import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * mprotect(2) and mbind(2): {@code do_mprotect_pkey()} / {@code mprotect_fixup()} /
 * {@code change_protection()} of mm/mprotect.c and {@code do_mbind()} / {@code mbind_range()}
 * of mm/mempolicy.c, both through {@code vma_modify()} of mm/vma.c: split at the range's ends,
 * change, then merge with the neighbours when the rules allow (LINUX.md §3.5–3.6).
 */
public final class Mprotect {
    private static final long VM_ACCESS_FLAGS = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC;
    /** {@code _PAGE_CHG_MASK} without the pfn: what {@code pte_modify()} keeps of the old entry. */
    private static final long PAGE_CHG_MASK = Pte._PAGE_PCD | Pte._PAGE_PWT | Pte._PAGE_SPECIAL | Pte._PAGE_ACCESSED
            | Pte._PAGE_DIRTY | Pte._PAGE_SOFT_DIRTY | Pte._PAGE_UFFD_WP;

    private Mprotect() {
    }

    /**
     * {@code do_mprotect_pkey()}: EINVAL for an unaligned start or bad prot bits; ENOMEM when the
     * range is not fully mapped (VMAs before the hole are already changed, as on Linux); EACCES
     * when a VMA may not get the access ({@code VM_MAY*}). Present PTEs take the new protection.
     */
    public static Mmap.Result mprotect(MmStruct mm, MmContext ctx, long start, long len, int prot) {
        if ((start & ~Mmap.PAGE_MASK) != 0 || start < 0 || len < 0) {
            return Mmap.Result.errno("EINVAL");
        }
        if ((prot & ~(Prot.PROT_READ | Prot.PROT_WRITE | Prot.PROT_EXEC)) != 0) {
            return Mmap.Result.errno("EINVAL");
        }
        if (len == 0) {
            return Mmap.Result.ok(0);
        }
        long end = start + ((len + Mmap.PAGE_SIZE - 1) & Mmap.PAGE_MASK);
        if (end <= start || end > mm.taskSizeMax) {
            return Mmap.Result.errno("ENOMEM");
        }
        Vma vma = mm.vmas.findVma(start);
        if (vma == null || vma.vmStart > start) {
            return Mmap.Result.errno("ENOMEM");
        }
        long newProtBits = Prot.calcVmProtBits(prot);
        long nstart = start;
        while (true) {
            long newFlags = newProtBits | (vma.vmFlags & ~VM_ACCESS_FLAGS);
            if ((newFlags & ~(newFlags >>> 4) & VM_ACCESS_FLAGS) != 0) {
                return Mmap.Result.errno("EACCES");
            }
            long tmp = Math.min(vma.vmEnd, end);
            Vma next = mprotectFixup(mm, ctx, vma, nstart, tmp, newFlags);
            if (next == null) {
                return Mmap.Result.errno("ENOMEM");
            }
            // tmp = vma_iter_end(&vmi): the end of the VMA now covering the range, which lies
            // beyond tmp when the range merged into the next VMA
            nstart = Math.max(tmp, next.vmEnd);
            if (nstart >= end) {
                return Mmap.Result.ok(0);
            }
            vma = next.vmNext;
            if (vma == null || vma.vmStart != nstart) {
                return Mmap.Result.errno("ENOMEM");
            }
        }
    }

    /**
     * {@code mprotect_fixup()}: charges a private mapping that becomes writable
     * ({@code VM_ACCOUNT}), modifies the VMA (split/merge), re-accounts it and changes the PTEs.
     * Answers the VMA now covering {@code [start, end)}, or null on ENOMEM.
     */
    private static Vma mprotectFixup(MmStruct mm, MmContext ctx, Vma vma, long start, long end, long newFlags) {
        long oldFlags = vma.vmFlags;
        if (newFlags == oldFlags) {
            return vma;
        }
        long nrPages = (end - start) >>> VmaTree.PAGE_SHIFT;
        long charged = 0;
        if ((newFlags & VmFlags.VM_WRITE) != 0 && (oldFlags & (VmFlags.VM_ACCOUNT | VmFlags.VM_WRITE
                | VmFlags.VM_NORESERVE | VmFlags.VM_SHARED)) == 0) {
            if (!Mmap.vmEnoughMemory(ctx, mm, nrPages)) {
                return null;
            }
            charged = nrPages;
            newFlags |= VmFlags.VM_ACCOUNT;
        }
        if (vma.vmFile() == null && (newFlags & VmFlags.VM_WRITE) == 0 && (oldFlags & VmFlags.VM_ACCOUNT) != 0
                && vma.anonVma() == Vma.NO_ANON_VMA && (oldFlags & VmFlags.VM_SHARED) == 0) {
            newFlags &= ~VmFlags.VM_ACCOUNT;
            charged = -nrPages;
        }
        Vma modified = vmaModify(mm, vma, start, end, newFlags, vma.policyId());
        mm.committedPages += charged;
        mm.vmStatAccount(oldFlags, -nrPages);
        mm.vmStatAccount(newFlags, nrPages);
        changeProtection(mm, ctx.phys(), start, end, newFlags);
        return modified;
    }

    /**
     * {@code change_protection()} → {@code change_pte_range()}: every present PTE becomes
     * {@code pte_modify(pte, vma->vm_page_prot)}. A shared anonymous (shmem) mapping wants no
     * write notification, so a writable one gets PAGE_SHARED and its PTEs are writable at once;
     * a private one gets PAGE_COPY, and {@code can_change_pte_writable} upgrades only anonymous
     * pages exclusive to this PTE. The zero page always stays read-only.
     */
    static void changeProtection(MmStruct mm, PhysicalMemory phys, long start, long end, long vmFlags) {
        if (mm.pgd == null) {
            return;
        }
        boolean shared = (vmFlags & VmFlags.VM_SHARED) != 0;
        long newProt = Pte.vmGetPageProt(vmFlags, mm.pgd.arch());
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        mm.pgd.updateRange(start, end, (va, pte) -> {
            if (!Pte.present(pte)) {
                return pte;
            }
            long pfn = Pte.pfn(pte);
            long e = Pte.mk(pfn, (pte & PAGE_CHG_MASK) | newProt);
            if (Pte.special(pte)) {
                e = Pte.wrprotect(e);
            } else if (!shared && (vmFlags & VmFlags.VM_WRITE) != 0
                    && phys.pageOwner(pfn) == PageStore.OWNER_ANON && exclusive(phys, pfn)) {
                e = Pte.mkwrite(e);
            }
            if (e != pte) {
                span[0] = Math.min(span[0], va);
                span[1] = Math.max(span[1], va + Mmap.PAGE_SIZE);
            }
            return e;
        });
        // tlb_finish_mmu(): the changed PTEs' span (change_pte_range → tlb_flush_pte_range)
        if (span[0] != Long.MAX_VALUE) {
            mm.flushTlbRange(span[0], span[1]);
        }
    }


    private static boolean exclusive(PhysicalMemory phys, long pfn) {
        return phys.pageRefcount(pfn) == 1 && phys.pageMapcount(pfn) == 1;
    }

    /**
     * {@code mbind(2)} ({@code do_mbind} → {@code mbind_range}): gives every VMA in the range the
     * policy ({@code null} for MPOL_DEFAULT), splitting and merging as mprotect does. EFAULT
     * when part of the range is unmapped; EINVAL for an unaligned start.
     */
    public static Mmap.Result mbind(MmStruct mm, long start, long len, MemPolicy policy) {
        if ((start & ~Mmap.PAGE_MASK) != 0 || start < 0 || len < 0) {
            return Mmap.Result.errno("EINVAL");
        }
        long end = start + ((len + Mmap.PAGE_SIZE - 1) & Mmap.PAGE_MASK);
        if (end < start) {
            return Mmap.Result.errno("EINVAL");
        }
        if (end == start) {
            return Mmap.Result.ok(0);
        }
        for (long a = start; a < end;) {
            Vma v = mm.vmas.findVma(a);
            if (v == null || v.vmStart > a) {
                return Mmap.Result.errno("EFAULT");
            }
            a = v.vmEnd;
        }
        int policyId = mm.policyId(policy);
        Vma vma = mm.vmas.findVma(start);
        long nstart = start;
        while (vma != null && nstart < end) {
            long tmp = Math.min(vma.vmEnd, end);
            Vma modified = vma.policyId() == policyId ? vma : vmaModify(mm, vma, nstart, tmp, vma.vmFlags, policyId);
            nstart = tmp;
            vma = modified.vmNext;
        }
        return Mmap.Result.ok(0);
    }

    /**
     * {@code vma_modify()} → {@code vma_merge_existing_range()}: {@code [start, end)} of
     * {@code vma} takes {@code newFlags} and {@code policyId}. When the range starts at the VMA's
     * start it may join {@code prev}; when it ends at the VMA's end it may join {@code next}
     * (both: three VMAs become one); otherwise it is split off (1 → 2 or 3). Answers the VMA now
     * covering the range.
     */
    static Vma vmaModify(MmStruct mm, Vma vma, long start, long end, long newFlags, int policyId) {
        Vma prev = vma.vmPrev;
        Vma next = vma.vmNext;
        long pgoff = vma.linearPageIndex(start);
        long nrPages = (end - start) >>> VmaTree.PAGE_SHIFT;
        AddressSpace file = vma.vmFile();
        long av = vma.anonVma();
        boolean forked = vma.anonVmaForked();
        boolean left = start == vma.vmStart && prev != null && prev.vmEnd == start
                && VmaMerge.canMergeAfter(prev, newFlags, file, policyId, vma.name(), av, forked, pgoff);
        boolean right = end == vma.vmEnd && next != null && next.vmStart == end
                && VmaMerge.canMergeBefore(next, newFlags, file, policyId, vma.name(), av, forked, pgoff, nrPages)
                && (!left || VmaMerge.isMergeableAnonVma(prev.anonVma(), prev.anonVmaForked(), next.anonVma(),
                        next.anonVmaForked()));
        if (left && right) {
            long nextEnd = next.vmEnd;
            long merged = firstAnonVma(prev.anonVma(), av, next.anonVma());
            boolean mergedForked = prev.anonVmaForked() || forked || next.anonVmaForked();
            Mmap.removeVma(mm, vma, null);
            Mmap.removeVma(mm, next, null);
            mm.vmas.vmaAdjust(prev, prev.vmStart, nextEnd, prev.vmPgoff);
            prev.setAnonVma(merged);
            prev.setAnonVmaForked(mergedForked);
            return prev;
        }
        if (left) {
            prev.setAnonVma(firstAnonVma(prev.anonVma(), av, Vma.NO_ANON_VMA));
            prev.setAnonVmaForked(prev.anonVmaForked() || forked);
            if (end == vma.vmEnd) {
                Mmap.removeVma(mm, vma, null);
            } else {
                mm.vmas.vmaAdjust(vma, end, vma.vmEnd, vma.linearPageIndex(end));
            }
            mm.vmas.vmaAdjust(prev, prev.vmStart, end, prev.vmPgoff);
            return prev;
        }
        if (right) {
            next.setAnonVma(firstAnonVma(next.anonVma(), av, Vma.NO_ANON_VMA));
            next.setAnonVmaForked(next.anonVmaForked() || forked);
            if (start == vma.vmStart) {
                Mmap.removeVma(mm, vma, null);
            } else {
                mm.vmas.vmaAdjust(vma, vma.vmStart, start, vma.vmPgoff);
            }
            mm.vmas.vmaAdjust(next, start, next.vmEnd, pgoff);
            return next;
        }
        Vma target = vma;
        if (start > target.vmStart) {
            target = VmaMerge.splitVma(mm, target, start);
        }
        if (end < target.vmEnd) {
            VmaMerge.splitVma(mm, target, end);
        }
        mm.vmas.vmFlagsReset(target, newFlags);
        target.setPolicyId(policyId);
        return target;
    }

    private static long firstAnonVma(long a, long b, long c) {
        return a != Vma.NO_ANON_VMA ? a : b != Vma.NO_ANON_VMA ? b : c;
    }
}
