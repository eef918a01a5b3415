package org.mmsim.kernel.fault;

import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.mm.Memory;
import org.mmsim.kernel.mm.MmContext;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.Lru;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * {@code handle_mm_fault()} → {@code handle_pte_fault()}, mm/memory.c (LINUX.md §5): a fault
 * the MMU raised on a page of a VMA that allows the access. Sections: dispatch, anonymous
 * pages, file and shmem pages, write-protect (copy-on-write).
 */
public final class PageFault {
    /** The fault was handled: the access can be retried. */
    public static final int VM_FAULT_OK = 0;
    /** No memory for a page or a page table: the OOM path. */
    public static final int VM_FAULT_OOM = 0x1;
    /** {@code VM_FAULT_SIGBUS}. */
    public static final int VM_FAULT_SIGBUS = 0x2;
    /** {@code VM_FAULT_MAJOR}: the page was read from disk. */
    public static final int VM_FAULT_MAJOR = 0x4;
    /** {@code GFP_HIGHUSER_MOVABLE | __GFP_ZERO}: what a user page is allocated with. */
    static final int GFP_USER_PAGE = Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO;

    private PageFault() {
    }

    // ------------------------------------------------------------------ dispatch

    /** {@code handle_pte_fault()}: {@code pte} is what the walk found at {@code address} (page aligned). */
    static int handleMmFault(MmStruct mm, MmContext ctx, Vma vma, long address, boolean write, long pte,
                             FaultStats st) {
        if (pte == 0) {
            return vma.isAnonymous() ? doAnonymousPage(mm, ctx, vma, address, write, st)
                    : doFault(mm, ctx, vma, address, write, st);
        }
        PageTable pt = mm.pgd();
        if (Pte.isSwap(pte)) {
            return doSwapPage(mm, ctx, vma, address, write, pte, st);
        }
        if (Pte.protnone(pte)) {
            pt.set(address, Pte.mk(Pte.pfn(pte), Pte.vmGetPageProt(vma.vmFlags(), pt.arch())) | (pte & Pte._PAGE_SPECIAL));
            return VM_FAULT_OK;
        }
        if (write && !Pte.write(pte)) {
            return doWpPage(mm, ctx, vma, address, pte, st);
        }
        pt.set(address, write ? Pte.mkdirty(Pte.mkyoung(pte), pt.arch()) : Pte.mkyoung(pte));
        return VM_FAULT_OK;
    }

    /** The VMA's protection bits ({@code vma->vm_page_prot}), writable and dirty when a write maps it ({@code maybe_mkwrite}). */
    private static long mkPte(MmStruct mm, Vma vma, long pfn, boolean write) {
        long e = Pte.mk(pfn, Pte.vmGetPageProt(vma.vmFlags(), mm.pgd().arch()));
        if (write) {
            e = Pte.mkdirty(e, mm.pgd().arch());
            if ((vma.vmFlags() & VmFlags.VM_WRITE) != 0) {
                e = Pte.mkwrite(e);
            }
        }
        return e;
    }

    /** {@code vma_alloc_folio()} under {@code get_vma_policy()}: the VMA's policy or the task's, interleaved by page index. */
    private static long allocUserPage(MmStruct mm, MmContext ctx, Vma vma, long address, int owner, boolean mapped) {
        MemPolicy policy = mm.vmaPolicy(vma);
        return ctx.phys().allocPagesMpol(0, GFP_USER_PAGE, policy, vma.linearPageIndex(address), ctx.cpu(),
                ctx.task(), owner, mapped);
    }

    /** Maps {@code pfn} at {@code address}: the rmap and RSS side of {@code set_pte_at}; OOM if a table cannot be allocated. */
    private static int install(MmStruct mm, PhysicalMemory phys, long address, long pfn, long pte, int rssMember,
                               boolean takeRef) {
        if (!mm.pgd().set(address, pte)) {
            if (!takeRef) {
                phys.pageUnmapAndPut(pfn);
            }
            return VM_FAULT_OOM;
        }
        if (takeRef) {
            phys.pageGetAndMap(pfn);
        }
        mm.addCounter(rssMember, 1);
        return VM_FAULT_OK;
    }

    // ------------------------------------------------------------------ anonymous

    /**
     * {@code do_anonymous_page()}: a read maps the shared zero page read-only (special PTE, no
     * RSS); a write allocates a zeroed page under the VMA's policy, maps it young, dirty and
     * writable, {@code MM_ANONPAGES + 1}, mapcount 1.
     */
    static int doAnonymousPage(MmStruct mm, MmContext ctx, Vma vma, long address, boolean write, FaultStats st) {
        PhysicalMemory phys = ctx.phys();
        if ((vma.vmFlags() & VmFlags.VM_SHARED) != 0) {
            return VM_FAULT_SIGBUS;
        }
        if (!write) {
            long zero = phys.zeroPfn();
            long e = Pte.mkspecial(Pte.mk(zero, Pte.vmGetPageProt(vma.vmFlags(), mm.pgd().arch())));
            if (!mm.pgd().set(address, e)) {
                return VM_FAULT_OOM;
            }
            st.zeroPage++;
            st.event(address, "zero-page", zero);
            return VM_FAULT_OK;
        }
        mm.anonVmaPrepare(vma, ctx.events());
        long pfn = allocUserPage(mm, ctx, vma, address, PageStore.OWNER_ANON, true);
        if (pfn == PhysicalMemory.NO_PFN) {
            return VM_FAULT_OOM;
        }
        int ret = install(mm, phys, address, pfn, Pte.mkyoung(mkPte(mm, vma, pfn, true)), MmStruct.MM_ANONPAGES, false);
        if (ret == VM_FAULT_OK) {
            phys.lruAdd(pfn, Lru.LRU_INACTIVE_ANON, Lru.ANON, address); // folio_add_lru_vma
            st.anonAlloc++;
            st.event(address, "anon", pfn);
        }
        return ret;
    }

    // ------------------------------------------------------------------ swap

    /**
     * {@code do_swap_page()}: the PTE holds a swap entry. A frame is allocated under the VMA's
     * policy, the page is read from the slot ({@code PSWPIN}) and mapped young — writable in a
     * VM_WRITE VMA, as an exclusive page is, and dirty on a write fault — and the entry's slot
     * reference is dropped
     * ({@code swap_free}); {@code MM_SWAPENTS − 1}, {@code MM_ANONPAGES + 1}. A major fault.
     *
     * <p>Simplification: no swap cache. The swapped-in page always belongs to this PTE alone;
     * a slot shared after fork keeps its other references, and each sharer that faults reads
     * its own copy (Linux would find the first copy in the swap cache and map it shared).
     */
    static int doSwapPage(MmStruct mm, MmContext ctx, Vma vma, long address, boolean write, long pte,
                          FaultStats st) {
        PhysicalMemory phys = ctx.phys();
        long offset = Pte.swpOffset(pte, mm.pgd().arch());
        mm.anonVmaPrepare(vma, ctx.events());
        long pfn = allocUserPage(mm, ctx, vma, address, PageStore.OWNER_ANON, true);
        if (pfn == PhysicalMemory.NO_PFN) {
            return VM_FAULT_OOM;
        }
        long e = Pte.mkyoung(Pte.mk(pfn, Pte.vmGetPageProt(vma.vmFlags(), mm.pgd().arch())));
        // the page is this PTE's alone (refcount 1, no swap cache): do_swap_page maps it writable
        // in a VM_WRITE VMA even on a read fault, dirty only on a write (so no later wp fault)
        if ((vma.vmFlags() & VmFlags.VM_WRITE) != 0) {
            e = Pte.mkwrite(write ? Pte.mkdirty(e) : e);
        }
        if (!mm.pgd().set(address, e)) {
            phys.pageUnmapAndPut(pfn);
            return VM_FAULT_OOM;
        }
        phys.lruAdd(pfn, Lru.LRU_INACTIVE_ANON, Lru.ANON, address);
        phys.swap().free(offset);
        phys.swap().countSwapIn();
        mm.addCounter(MmStruct.MM_SWAPENTS, -1);
        mm.addCounter(MmStruct.MM_ANONPAGES, 1);
        st.event(address, "swap-in", pfn);
        return VM_FAULT_MAJOR;
    }

    // ------------------------------------------------------------------ file and shmem

    /**
     * {@code do_fault()}: a shmem page is found or created zeroed in the object's cache
     * ({@code shmem_fault}) and mapped shared; a program-image page is read into the page cache
     * on a miss (a major fault) and mapped read-only ({@code do_read_fault}), or — on a write to
     * the private mapping — copied into a new anonymous page ({@code do_cow_fault}).
     */
    static int doFault(MmStruct mm, MmContext ctx, Vma vma, long address, boolean write, FaultStats st) {
        PhysicalMemory phys = ctx.phys();
        AddressSpace file = vma.vmFile();
        long index = vma.linearPageIndex(address);
        int ret = VM_FAULT_OK;
        long cached = file.findPage(index);
        if (cached == PhysicalMemory.NO_PFN) {
            cached = allocUserPage(mm, ctx, vma, address, file.isShmem() ? PageStore.OWNER_SHMEM : PageStore.OWNER_FILE,
                    false);
            if (cached == PhysicalMemory.NO_PFN) {
                return VM_FAULT_OOM;
            }
            file.addPage(index, cached);
            // filemap_add_folio / shmem_add_to_page_cache: shmem is swap-backed, on the anon lists
            phys.lruAdd(cached, file.isShmem() ? Lru.LRU_INACTIVE_ANON : Lru.LRU_INACTIVE_FILE, file.id(), index);
            if (!file.isShmem()) {
                ret = VM_FAULT_MAJOR;
            }
        }
        boolean shared = (vma.vmFlags() & VmFlags.VM_SHARED) != 0;
        if (!write || shared) {
            int rss = file.isShmem() ? MmStruct.MM_SHMEMPAGES : MmStruct.MM_FILEPAGES;
            int r = install(mm, phys, address, cached, Pte.mkyoung(mkPte(mm, vma, cached, write)), rss, true);
            st.event(address, file.isShmem() ? "shmem" : ret == VM_FAULT_MAJOR ? "file-read" : "file-cached", cached);
            return r == VM_FAULT_OK ? ret : r;
        }
        mm.anonVmaPrepare(vma, ctx.events());
        phys.getPage(cached); // the fault holds the cache page while it allocates the copy (reclaim skips it)
        long pfn = allocUserPage(mm, ctx, vma, address, PageStore.OWNER_ANON, true);
        phys.putPage(cached);
        if (pfn == PhysicalMemory.NO_PFN) {
            return VM_FAULT_OOM;
        }
        int r = install(mm, phys, address, pfn, Pte.mkyoung(mkPte(mm, vma, pfn, true)), MmStruct.MM_ANONPAGES, false);
        if (r == VM_FAULT_OK) {
            phys.lruAdd(pfn, Lru.LRU_INACTIVE_ANON, Lru.ANON, address);
        }
        st.cowCopy++;
        st.event(address, "cow-file", pfn);
        return r == VM_FAULT_OK ? ret : r;
    }

    // ------------------------------------------------------------------ write-protect

    /**
     * {@code do_wp_page()} (LINUX.md §5.3): a shared mapping just becomes writable; an anonymous
     * page only this PTE holds is reused in place; anything else — the zero page, a page-cache
     * page, a page shared after fork — is replaced by a private copy ({@code wp_page_copy}).
     */
    static int doWpPage(MmStruct mm, MmContext ctx, Vma vma, long address, long pte, FaultStats st) {
        PhysicalMemory phys = ctx.phys();
        PageTable pt = mm.pgd();
        if ((vma.vmFlags() & (VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE)) != 0) {
            pt.set(address, Pte.mkwrite(Pte.mkdirty(Pte.mkyoung(pte), pt.arch())));
            return VM_FAULT_OK;
        }
        long oldPfn = Pte.pfn(pte);
        boolean zero = Pte.special(pte);
        int oldOwner = zero ? -1 : phys.pageOwner(oldPfn);
        if (!zero && oldOwner == PageStore.OWNER_ANON && phys.pageRefcount(oldPfn) == 1) {
            pt.set(address, Pte.mkwrite(Pte.mkdirty(Pte.mkyoung(pte), pt.arch())));
            st.cowReuse++;
            st.event(address, "cow-reuse", oldPfn);
            return VM_FAULT_OK;
        }
        mm.anonVmaPrepare(vma, ctx.events());
        if (!zero) {
            phys.getPage(oldPfn); // wp_page_copy holds the old folio while it allocates (reclaim skips it)
        }
        long pfn = allocUserPage(mm, ctx, vma, address, PageStore.OWNER_ANON, true);
        if (!zero) {
            phys.putPage(oldPfn);
        }
        if (pfn == PhysicalMemory.NO_PFN) {
            return VM_FAULT_OOM;
        }
        if (!pt.set(address, Pte.mkyoung(mkPte(mm, vma, pfn, true)))) {
            phys.pageUnmapAndPut(pfn);
            return VM_FAULT_OOM;
        }
        phys.lruAdd(pfn, Lru.LRU_INACTIVE_ANON, Lru.ANON, address);
        // wp_page_copy(): ptep_clear_flush() — the old frame's translation leaves every TLB
        mm.flushTlbPage(address);
        if (zero) {
            mm.addCounter(MmStruct.MM_ANONPAGES, 1);
        } else {
            int oldMember = Memory.rssMember(oldOwner);
            if (oldMember != MmStruct.MM_ANONPAGES) {
                mm.addCounter(oldMember, -1);
                mm.addCounter(MmStruct.MM_ANONPAGES, 1);
            }
            phys.pageUnmapAndPut(oldPfn);
        }
        st.cowCopy++;
        st.event(address, zero ? "cow-zero" : "cow-copy", pfn);
        return VM_FAULT_OK;
    }
}
