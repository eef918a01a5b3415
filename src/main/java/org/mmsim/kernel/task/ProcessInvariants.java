package org.mmsim.kernel.task;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/** The cross-checks of {@link Processes#checkInvariants()}: VMAs, PTEs, frames and counters agree. */
final class ProcessInvariants {

    private ProcessInvariants() {
    }

    static void check(Processes p) {
        PhysicalMemory phys = p.phys;
        Map<Long, PageTable> pgdByTag = new HashMap<>();
        for (Task t : p.tasks.alive()) {
            if (t.mm != null && t.mm.pgd() != null) {
                pgdByTag.put(t.mm.tlbTag(), t.mm.pgd());
                if (t.mm.tlbs() != p.tlbs) {
                    fail(t, "its mm is not attached to the machine's TLBs");
                }
            }
        }
        p.tlbs.checkInvariants(pgdByTag::get);
        Map<Long, Integer> mappings = new HashMap<>();
        Map<Long, Integer> swapRefs = new HashMap<>();
        Set<Long> tablePfns = new HashSet<>();
        for (Task t : p.tasks.all()) {
            if (!t.alive()) {
                if (t.mm != null) {
                    fail(t, "exited but still has an mm");
                }
                continue;
            }
            checkTask(t, phys, mappings, swapRefs, tablePfns);
            checkOomAndCommit(t);
        }
        // every swap slot's count is the number of PTEs holding its entry; nothing else holds one
        long[] used = phys.swap().usedSlots();
        if (used.length != swapRefs.size()) {
            throw new IllegalStateException(used.length + " swap slots in use but " + swapRefs.size()
                    + " are referenced by PTEs (leak)");
        }
        for (long off : used) {
            int refs = swapRefs.getOrDefault(off, 0);
            if (refs != phys.swap().count(off)) {
                throw new IllegalStateException("swap slot " + off + ": count " + phys.swap().count(off) + " but "
                        + refs + " PTEs hold its entry");
            }
        }
        Map<Long, Integer> cacheRefs = new HashMap<>();
        for (AddressSpace as : p.files.all()) {
            if (as.mappers() <= 0) {
                throw new IllegalStateException(as.path() + " is open with no mapping");
            }
            for (long[] e : as.sortedPages()) {
                cacheRefs.merge(e[1], 1, Integer::sum);
            }
        }
        for (long head : phys.allocatedHeads()) {
            int owner = phys.pageOwner(head);
            if (PageStore.isKernelOwner(owner)) {
                continue;
            }
            if (owner == PageStore.OWNER_PGTABLE) {
                if (!tablePfns.contains(head)) {
                    throw new IllegalStateException("page-table frame " + head + " belongs to no page table (leak)");
                }
                continue;
            }
            int mapped = mappings.getOrDefault(head, 0);
            int cached = cacheRefs.getOrDefault(head, 0);
            if (mapped + cached == 0) {
                throw new IllegalStateException("user frame " + head + " is neither mapped nor cached (leak)");
            }
            if (phys.pageMapcount(head) != mapped) {
                throw new IllegalStateException("frame " + head + ": mapcount " + phys.pageMapcount(head) + " but "
                        + mapped + " PTEs map it");
            }
            if (phys.pageRefcount(head) != mapped + cached) {
                throw new IllegalStateException("frame " + head + ": refcount " + phys.pageRefcount(head)
                        + " but " + mapped + " PTEs and " + cached + " cache references");
            }
        }
        for (long pfn : mappings.keySet()) {
            if (PageStore.isKernelOwner(phys.pageOwner(pfn)) || phys.pageOwner(pfn) == PageStore.OWNER_PGTABLE) {
                throw new IllegalStateException("a PTE maps frame " + pfn + ", which is not a user page");
            }
        }
    }

    private static void checkTask(Task t, PhysicalMemory phys, Map<Long, Integer> mappings,
                                  Map<Long, Integer> swapRefs, Set<Long> tablePfns) {
        MmStruct mm = t.mm;
        mm.vmas().checkInvariants();
        PageTable pt = mm.pgd();
        pt.checkInvariants();
        for (PageTable.TablePage tp : pt.tablePages()) {
            if (!tablePfns.add(tp.pfn())) {
                fail(t, "table frame " + tp.pfn() + " used twice");
            }
            if (phys.pageOwner(tp.pfn()) != PageStore.OWNER_PGTABLE) {
                fail(t, "table frame " + tp.pfn() + " is not a page-table page");
            }
        }
        long totalVm = 0;
        long[] rss = new long[MmStruct.NR_MM_COUNTERS];
        long zeroPfn = phys.zeroPfn();
        long lastEnd = 0;
        for (Vma v : mm.vmas()) {
            totalVm += v.nrPages();
            if (v.vmStart() < mm.mmapMinAddr() || v.vmEnd() > mm.taskSizeMax()) {
                fail(t, v + " lies outside the user address space");
            }
            long gapStart = lastEnd;
            long gapEnd = v.vmStart();
            pt.forEachPte(gapStart, gapEnd, (va, pte) -> fail(t, "PTE at 0x" + Long.toHexString(va) + " outside every VMA"));
            lastEnd = v.vmEnd();
            pt.forEachPte(v.vmStart(), v.vmEnd(), (va, pte) -> {
                if (Pte.isSwap(pte)) {
                    if (!v.isAnonymous() && (v.vmFlags() & VmFlags.VM_SHARED) != 0) {
                        fail(t, "swap entry in a shared file VMA at 0x" + Long.toHexString(va));
                    }
                    if (Pte.swpType(pte, pt.arch()) != org.mmsim.kernel.swap.SwapInfo.TYPE) {
                        fail(t, "swap entry of an unknown device at 0x" + Long.toHexString(va));
                    }
                    rss[MmStruct.MM_SWAPENTS]++;
                    swapRefs.merge(Pte.swpOffset(pte, pt.arch()), 1, Integer::sum);
                    return;
                }
                if (!Pte.present(pte)) {
                    return;
                }
                long pfn = Pte.pfn(pte);
                if (Pte.special(pte)) {
                    if (pfn != zeroPfn) {
                        fail(t, "special PTE at 0x" + Long.toHexString(va) + " is not the zero page");
                    }
                    if (Pte.write(pte)) {
                        fail(t, "the zero page is mapped writable at 0x" + Long.toHexString(va));
                    }
                    return;
                }
                if (Pte.write(pte) && (v.vmFlags() & VmFlags.VM_WRITE) == 0) {
                    fail(t, "writable PTE in a read-only VMA at 0x" + Long.toHexString(va));
                }
                int owner = phys.pageOwner(pfn);
                rss[org.mmsim.kernel.mm.Memory.rssMember(owner)]++;
                mappings.merge(pfn, 1, Integer::sum);
            });
        }
        pt.forEachPte(lastEnd, mm.taskSizeMax(), (va, pte) -> fail(t, "PTE at 0x" + Long.toHexString(va) + " above every VMA"));
        if (totalVm != mm.totalVm()) {
            fail(t, "total_vm " + mm.totalVm() + " but the VMAs hold " + totalVm + " pages");
        }
        for (int m : new int[] {MmStruct.MM_FILEPAGES, MmStruct.MM_ANONPAGES, MmStruct.MM_SWAPENTS,
            MmStruct.MM_SHMEMPAGES}) {
            if (rss[m] != mm.counter(m)) {
                fail(t, "rss_stat[" + m + "] is " + mm.counter(m) + " but " + rss[m] + " PTEs map such pages");
            }
        }
        if (mm.hiwaterRss() < mm.rss()) {
            fail(t, "hiwater_rss below rss");
        }
    }

    private static void fail(Task t, String what) {
        throw new IllegalStateException("process " + t.pid() + " (" + t.comm() + "): " + what);
    }

    /**
     * {@code oom_score_adj} within -1000..1000, and the mm's overcommit charge equal to the pages
     * of its {@code VM_ACCOUNT} VMAs (what {@code vm_acct_memory}/{@code vm_unacct_memory} keep).
     */
    private static void checkOomAndCommit(Task t) {
        if (t.oomScoreAdj < OomKiller.OOM_SCORE_ADJ_MIN || t.oomScoreAdj > OomKiller.OOM_SCORE_ADJ_MAX) {
            fail(t, "oom_score_adj " + t.oomScoreAdj + " out of range");
        }
        long accounted = 0;
        for (Vma v : t.mm.vmas()) {
            if ((v.vmFlags() & VmFlags.VM_ACCOUNT) != 0) {
                accounted += v.nrPages();
            }
        }
        if (accounted != t.mm.committedPages()) {
            fail(t, "committed " + t.mm.committedPages() + " pages but its VM_ACCOUNT VMAs hold " + accounted);
        }
    }
}
