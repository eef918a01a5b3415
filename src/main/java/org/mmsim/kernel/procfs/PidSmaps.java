package org.mmsim.kernel.procfs;

import java.util.Locale;
import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.Task;

/**
 * {@code /proc/PID/smaps}: {@code show_smap()}, fs/proc/task_mmu.c (6.x) — each VMA's maps line
 * ({@link PidMaps}), then {@code Size}, {@code KernelPageSize}, {@code MMUPageSize}, the
 * {@code __show_smap} block ({@code Rss} … {@code Locked}), {@code THPeligible},
 * {@code ProtectionKey} (x86_64 only) and {@code VmFlags}. Labels are 16 columns, values
 * 8 wide ({@code SEQ_PUT_DEC}); {@code Private_Hugetlb:} is 17 columns with a 7-wide value.
 *
 * <p>Per page ({@code smaps_pte_entry} → {@code smaps_account} → {@code smaps_page_accumulate}):
 * the shared zero page is skipped ({@code vm_normal_page} is NULL for a special PTE). Every other
 * present page adds to Rss; to Anonymous if anonymous; to Referenced if the PTE is young or the page
 * has PG_referenced. A page
 * whose refcount is 1 is private with a full page of Pss. Otherwise its mapcount decides: 2 or
 * more is shared with {@code Pss += (PAGE_SIZE << PSS_SHIFT) / mapcount}, less is private with a
 * full page (so a shmem or page-cache page mapped once — refcount 2: the cache's and the PTE's —
 * is private). Pss is kept in fixed point ({@code PSS_SHIFT} 12) and printed as
 * {@code pss >> PSS_SHIFT >> 10}, the kernel's rounding. Dirty is the PTE's dirty bit (the
 * simulator keeps no separate folio dirty flag; every write that dirties a folio also dirties its
 * PTE here). {@code Locked} is the Pss of VM_LOCKED VMAs. {@code Swap} counts the VMA's swap
 * entries and {@code SwapPss} divides each by its slot's count. No KSM, lazy-free or huge pages
 * are simulated, so those lines are 0.
 *
 * <p>{@code THPeligible} follows {@code thp_vma_allowable_orders(vma, vm_flags, TVA_SMAPS |
 * TVA_ENFORCE_SYSFS, THP_ORDERS_ALL)} with the default per-size settings (only the PMD order
 * inherits the global setting): never on the 32-bit i386 kernel (no CONFIG_TRANSPARENT_HUGEPAGE
 * without PAE) or on a VM_NOHUGEPAGE VMA; for anonymous memory, when the global setting is
 * {@code always} (or {@code madvise} on a VM_HUGEPAGE VMA) and the VMA holds an aligned 2 MiB range
 * ({@code thp_vma_suitable_order}). Shared anonymous memory is shmem on the internal mount, whose
 * {@code shmem_enabled} default is {@code never}: 0. Program-image VMAs print 0: the only way in
 * for a regular file without {@code ->huge_fault} is CONFIG_READ_ONLY_THP_FOR_FS, which the
 * simulator treats as off.
 *
 * <p>{@code ProtectionKey} is printed only when {@code arch_pkeys_enabled()}: an x86_64 CPU with
 * OSPKE, as on the machine LINUX.md §10.6 was captured from; every VMA has key 0.
 */
public final class PidSmaps {
    /** {@code PSS_SHIFT}: Pss is accumulated in units of 1/4096 byte. */
    static final int PSS_SHIFT = 12;
    static final long PAGE_SIZE = 4096;
    static final long HPAGE_PMD_SIZE = 2L << 20;

    private PidSmaps() {
    }

    /** The smaps file of {@code pid}, or empty when there is no {@code /proc/PID} ({@link PidMaps#render}). */
    public static Optional<String> render(Machine machine, int pid) {
        Task t = PidMaps.procTask(machine, pid);
        if (t == null) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        MmStruct mm = t.mm();
        if (mm != null) {
            boolean is64 = machine.config().arch().is64Bit();
            for (Vma vma : mm.vmas()) {
                MemSizeStats mss = new MemSizeStats();
                mss.gather(machine.phys(), mm, vma);
                PidMaps.showMapVma(sb, mm, vma, is64);
                showSmap(sb, machine, vma, mss);
            }
        }
        return Optional.of(sb.toString());
    }

    private static void showSmap(StringBuilder sb, Machine machine, Vma vma, MemSizeStats mss) {
        kb(sb, "Size:           ", vma.vmEnd() - vma.vmStart());
        kb(sb, "KernelPageSize: ", PAGE_SIZE);
        kb(sb, "MMUPageSize:    ", PAGE_SIZE);
        mss.show(sb, false);
        boolean is64 = machine.config().arch().is64Bit();
        sb.append(String.format(Locale.ROOT, "THPeligible:    %8d\n", thpEligible(machine, vma) ? 1 : 0));
        if (is64) {
            sb.append(String.format(Locale.ROOT, "ProtectionKey:  %8d\n", 0));
        }
        sb.append("VmFlags: ").append(VmFlags.mnemonics(vma.vmFlags())).append('\n');
    }

    /** {@code !!thp_vma_allowable_orders(vma, vma->vm_flags, TVA_SMAPS | TVA_ENFORCE_SYSFS, THP_ORDERS_ALL)}. */
    static boolean thpEligible(Machine machine, Vma vma) {
        if (!machine.config().arch().is64Bit() || (vma.vmFlags() & VmFlags.VM_NOHUGEPAGE) != 0) {
            return false;
        }
        if (!vma.isAnonymous()) {
            return false;
        }
        String enabled = machine.config().tunables().transparentHugepage();
        boolean hugepage = (vma.vmFlags() & VmFlags.VM_HUGEPAGE) != 0;
        if (!enabled.equals("always") && !(hugepage && enabled.equals("madvise"))) {
            return false;
        }
        long haddr = (vma.vmEnd() - HPAGE_PMD_SIZE) & ~(HPAGE_PMD_SIZE - 1);
        return vma.vmEnd() >= HPAGE_PMD_SIZE && haddr >= vma.vmStart() && haddr + HPAGE_PMD_SIZE <= vma.vmEnd();
    }

    /** {@code SEQ_PUT_DEC(label, bytes)} + {@code " kB\n"}: the value in kB, 8 wide. */
    static void kb(StringBuilder sb, String label, long bytes) {
        sb.append(label).append(String.format(Locale.ROOT, "%8d", bytes >> 10)).append(" kB\n");
    }

    /** {@code struct mem_size_stats}: bytes, and Pss sums in {@code PSS_SHIFT} fixed point. */
    static final class MemSizeStats {
        long resident;
        long sharedClean;
        long sharedDirty;
        long privateClean;
        long privateDirty;
        long referenced;
        long anonymous;
        long pss;
        long pssAnon;
        long pssFile;
        long pssShmem;
        long pssDirty;
        long pssLocked;
        long swap;
        long swapPss;

        /** {@code smap_gather_stats()}: walks the VMA's present PTEs ({@code smaps_pte_entry}). */
        void gather(PhysicalMemory pm, MmStruct mm, Vma vma) {
            boolean locked = (vma.vmFlags() & VmFlags.VM_LOCKED) != 0;
            mm.pgd().forEachPte(vma.vmStart(), vma.vmEnd(), (va, pte) -> {
                if (Pte.isSwap(pte)) {
                    // smaps_pte_entry: a swap entry counts in Swap, its share by swp_swapcount in SwapPss
                    int count = pm.swap().count(Pte.swpOffset(pte, mm.pgd().arch()));
                    swap += PAGE_SIZE;
                    swapPss += count >= 2 ? ((long) PAGE_SIZE << PSS_SHIFT) / count : (long) PAGE_SIZE << PSS_SHIFT;
                    return;
                }
                if (!Pte.present(pte) || Pte.special(pte)) {
                    return;
                }
                long pfn = Pte.pfn(pte);
                // smaps_account: young, or folio_test_referenced (PG_referenced set by reclaim's aging)
                boolean referenced = Pte.young(pte) || pm.lru().contains(pfn)
                        && (pm.lru().flagsOf(pfn) & org.mmsim.kernel.phys.Lru.PG_REFERENCED) != 0;
                account(pm.pageOwner(pfn), pm.pageRefcount(pfn), pm.pageMapcount(pfn), referenced,
                        Pte.dirty(pte), locked);
            });
        }

        /** {@code smaps_account()} for one present 4 KiB page. */
        void account(int owner, int refcount, int mapcount, boolean young, boolean dirty, boolean locked) {
            boolean anon = owner == PageStore.OWNER_ANON;
            if (anon) {
                anonymous += PAGE_SIZE;
            }
            resident += PAGE_SIZE;
            if (young) {
                referenced += PAGE_SIZE;
            }
            if (refcount == 1) {
                accumulate(owner, PAGE_SIZE << PSS_SHIFT, dirty, locked, true);
                return;
            }
            long pssDelta = PAGE_SIZE << PSS_SHIFT;
            if (mapcount >= 2) {
                pssDelta /= mapcount;
            }
            accumulate(owner, pssDelta, dirty, locked, mapcount < 2);
        }

        /** {@code smaps_page_accumulate()}. */
        private void accumulate(int owner, long pssDelta, boolean dirty, boolean locked, boolean isPrivate) {
            pss += pssDelta;
            if (owner == PageStore.OWNER_ANON) {
                pssAnon += pssDelta;
            } else if (owner == PageStore.OWNER_SHMEM) {
                pssShmem += pssDelta;
            } else {
                pssFile += pssDelta;
            }
            if (locked) {
                pssLocked += pssDelta;
            }
            if (dirty) {
                pssDirty += pssDelta;
                if (isPrivate) {
                    privateDirty += PAGE_SIZE;
                } else {
                    sharedDirty += PAGE_SIZE;
                }
            } else if (isPrivate) {
                privateClean += PAGE_SIZE;
            } else {
                sharedClean += PAGE_SIZE;
            }
        }

        /** {@code __show_smap()}: the block common to smaps and smaps_rollup. */
        void show(StringBuilder sb, boolean rollup) {
            kb(sb, "Rss:            ", resident);
            kb(sb, "Pss:            ", pss >> PSS_SHIFT);
            kb(sb, "Pss_Dirty:      ", pssDirty >> PSS_SHIFT);
            if (rollup) {
                kb(sb, "Pss_Anon:       ", pssAnon >> PSS_SHIFT);
                kb(sb, "Pss_File:       ", pssFile >> PSS_SHIFT);
                kb(sb, "Pss_Shmem:      ", pssShmem >> PSS_SHIFT);
            }
            kb(sb, "Shared_Clean:   ", sharedClean);
            kb(sb, "Shared_Dirty:   ", sharedDirty);
            kb(sb, "Private_Clean:  ", privateClean);
            kb(sb, "Private_Dirty:  ", privateDirty);
            kb(sb, "Referenced:     ", referenced);
            kb(sb, "Anonymous:      ", anonymous);
            kb(sb, "KSM:            ", 0);
            kb(sb, "LazyFree:       ", 0);
            kb(sb, "AnonHugePages:  ", 0);
            kb(sb, "ShmemPmdMapped: ", 0);
            kb(sb, "FilePmdMapped:  ", 0);
            kb(sb, "Shared_Hugetlb: ", 0);
            sb.append("Private_Hugetlb: ").append(String.format(Locale.ROOT, "%7d", 0)).append(" kB\n");
            kb(sb, "Swap:           ", swap);
            kb(sb, "SwapPss:        ", swapPss >> PSS_SHIFT);
            kb(sb, "Locked:         ", pssLocked >> PSS_SHIFT);
        }
    }
}
