package org.mmsim.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.tlb.CpuTlbs;

/**
 * A process's address space: {@code struct mm_struct}, include/linux/mm_types.h.
 *
 * <p>Holds the VMA tree ({@code mm_mt}, here the ≤ 6.0 rbtree + list), the page-table root
 * ({@code pgd}), the layout ({@code mmap_base}, {@code task_size}, code/data/brk/stack
 * bounds), the virtual-memory counters kept by {@code vm_stat_account()} and the RSS counters
 * ({@code rss_stat[]}) with their high-water marks. The system calls that change it live in
 * {@link Mmap} (mmap, munmap, brk) and {@link Mprotect} (mprotect, mbind).
 */
public final class MmStruct {
    /** {@code rss_stat[]} indexes: {@code MM_FILEPAGES}, {@code MM_ANONPAGES}, {@code MM_SWAPENTS}, {@code MM_SHMEMPAGES}. */
    public static final int MM_FILEPAGES = 0;
    public static final int MM_ANONPAGES = 1;
    public static final int MM_SWAPENTS = 2;
    public static final int MM_SHMEMPAGES = 3;
    public static final int NR_MM_COUNTERS = 4;
    /** {@code sysctl_max_map_count}: {@code USHRT_MAX - 5}. */
    public static final int DEFAULT_MAX_MAP_COUNT = 65530;

    final VmaTree vmas;
    PageTable pgd;
    final long taskSize;
    /** {@code mmap_end} for hints above the 47-bit window (LA57's {@code TASK_SIZE_MAX}), else {@link #taskSize}. */
    final long taskSizeMax;
    final long mmapBase;
    final long mmapMinAddr;
    long startCode;
    long endCode;
    long startData;
    long endData;
    long startBrk;
    long brk;
    long startStack;
    long totalVm;
    long lockedVm;
    long pinnedVm;
    long dataVm;
    long execVm;
    long stackVm;
    long hiwaterRss;
    long hiwaterVm;
    final long[] rssStat = new long[NR_MM_COUNTERS];
    /** Pages this mm charged to {@code vm_committed_as} ({@code VM_ACCOUNT} mappings). */
    long committedPages;
    /** {@code vm_policy} of the VMAs, interned: {@link Vma#policyId()} indexes it, 0 is NULL. */
    final List<MemPolicy> policies = new ArrayList<>(List.of(MemPolicy.LOCAL));
    /** RLIMIT_STACK, bytes. */
    long rlimitStack = 8L << 20;
    int maxMapCount = DEFAULT_MAX_MAP_COUNT;
    /** The machine's TLBs, which cache this mm's translations; null for an mm no CPU runs (unit tests). */
    CpuTlbs tlbs;

    public MmStruct(long taskSize, long taskSizeMax, long mmapBase, long mmapMinAddr, long stackGuardGapPages) {
        this.vmas = new VmaTree(stackGuardGapPages);
        this.taskSize = taskSize;
        this.taskSizeMax = taskSizeMax;
        this.mmapBase = mmapBase;
        this.mmapMinAddr = mmapMinAddr;
    }

    public VmaTree vmas() {
        return vmas;
    }

    /** The page-table root ({@code mm->pgd}); null only while the mm is being built or after teardown. */
    public PageTable pgd() {
        return pgd;
    }

    public void setPgd(PageTable pgd) {
        this.pgd = pgd;
    }

    /** The TLBs of the machine this mm runs on (set when the mm is created or restored). */
    public void setTlbs(CpuTlbs tlbs) {
        this.tlbs = tlbs;
    }

    public CpuTlbs tlbs() {
        return tlbs;
    }

    /** The tag this mm's TLB entries carry: its pgd's frame (what CR3 points at), or -1 without a pgd. */
    public long tlbTag() {
        return pgd == null ? -1 : pgd.pgdPfn();
    }

    /**
     * {@code flush_tlb_page()}: after a PTE of {@code address} was cleared or narrowed (swap-out,
     * a COW break, migration), no CPU may keep the old translation; remote CPUs get a shootdown.
     */
    public void flushTlbPage(long address) {
        if (tlbs != null && pgd != null) {
            tlbs.flushTlbPage(pgd.pgdPfn(), address);
        }
    }

    /** {@code flush_tlb_range()} of {@code [start, end)} ({@code tlb_finish_mmu} of an unmap or mprotect). */
    public void flushTlbRange(long start, long end) {
        if (tlbs != null && pgd != null && end > start) {
            tlbs.flushTlbMmRange(pgd.pgdPfn(), start, end);
        }
    }

    /** {@code flush_tlb_mm()}: every translation of this mm, on every CPU. */
    public void flushTlbMm() {
        if (tlbs != null && pgd != null) {
            tlbs.flushTlbMm(pgd.pgdPfn());
        }
    }

    public long taskSize() {
        return taskSize;
    }

    public long taskSizeMax() {
        return taskSizeMax;
    }

    public long mmapBase() {
        return mmapBase;
    }

    public long mmapMinAddr() {
        return mmapMinAddr;
    }

    public long startCode() {
        return startCode;
    }

    public long endCode() {
        return endCode;
    }

    public long startData() {
        return startData;
    }

    public long endData() {
        return endData;
    }

    public long startBrk() {
        return startBrk;
    }

    public long brk() {
        return brk;
    }

    public long startStack() {
        return startStack;
    }

    /** Sets the image bounds {@code load_elf_binary()} computes. */
    public void setLayout(long startCode, long endCode, long startData, long endData, long startBrk, long startStack) {
        this.startCode = startCode;
        this.endCode = endCode;
        this.startData = startData;
        this.endData = endData;
        this.startBrk = startBrk;
        this.brk = startBrk;
        this.startStack = startStack;
    }

    public long totalVm() {
        return totalVm;
    }

    public long lockedVm() {
        return lockedVm;
    }

    public long pinnedVm() {
        return pinnedVm;
    }

    public long dataVm() {
        return dataVm;
    }

    public long execVm() {
        return execVm;
    }

    public long stackVm() {
        return stackVm;
    }

    public long rlimitStack() {
        return rlimitStack;
    }

    public int maxMapCount() {
        return maxMapCount;
    }

    public long committedPages() {
        return committedPages;
    }

    /** {@code get_mm_counter(mm, member)}. */
    public long counter(int member) {
        return rssStat[member];
    }

    /** {@code add_mm_counter()}: a falling RSS first records its peak ({@code update_hiwater_rss}). */
    public void addCounter(int member, long value) {
        if (value < 0) {
            updateHiwaterRss();
        }
        rssStat[member] += value;
    }

    /** {@code get_mm_rss()}: file + anon + shmem pages mapped. */
    public long rss() {
        return rssStat[MM_FILEPAGES] + rssStat[MM_ANONPAGES] + rssStat[MM_SHMEMPAGES];
    }

    /** {@code update_hiwater_rss()}. */
    public void updateHiwaterRss() {
        hiwaterRss = Math.max(hiwaterRss, rss());
    }

    /** {@code update_hiwater_vm()}. */
    public void updateHiwaterVm() {
        hiwaterVm = Math.max(hiwaterVm, totalVm);
    }

    /** VmHWM: {@code max(hiwater_rss, get_mm_rss())}. */
    public long hiwaterRss() {
        return Math.max(hiwaterRss, rss());
    }

    /** VmPeak: {@code max(hiwater_vm, total_vm)}. */
    public long hiwaterVm() {
        return Math.max(hiwaterVm, totalVm);
    }

    /**
     * {@code vm_stat_account()}, mm/vma.h: {@code total_vm += nrPages}, then the first match of
     * exec ({@code (f & (EXEC|WRITE|STACK)) == EXEC}), stack ({@code VM_STACK}) or data
     * ({@code (f & (WRITE|SHARED|STACK)) == WRITE}).
     */
    void vmStatAccount(long vmFlags, long nrPages) {
        if (nrPages < 0) {
            updateHiwaterVm();
        }
        totalVm += nrPages;
        if ((vmFlags & (VmFlags.VM_EXEC | VmFlags.VM_WRITE | VmFlags.VM_STACK)) == VmFlags.VM_EXEC) {
            execVm += nrPages;
        } else if ((vmFlags & VmFlags.VM_STACK) != 0) {
            stackVm += nrPages;
        } else if ((vmFlags & (VmFlags.VM_WRITE | VmFlags.VM_SHARED | VmFlags.VM_STACK)) == VmFlags.VM_WRITE) {
            dataVm += nrPages;
        }
        if ((vmFlags & VmFlags.VM_LOCKED) != 0) {
            lockedVm += nrPages;
        }
    }

    /**
     * {@code expand_downwards()}, mm/mmap.c: grows a {@code VM_GROWSDOWN} VMA down to the page of
     * {@code address}. Refused below {@code mmap_min_addr}, within {@code stack_guard_gap} of an
     * accessible non-stack VMA below, beyond RLIMIT_STACK, or without memory to charge.
     */
    public boolean expandStack(Vma vma, long address, MmContext ctx) {
        address &= Mmap.PAGE_MASK;
        if (address < mmapMinAddr || address >= vma.vmStart) {
            return address >= vma.vmStart;
        }
        Vma prev = vma.vmPrev;
        if (prev != null && (prev.vmFlags & VmFlags.VM_GROWSDOWN) == 0
                && (prev.vmFlags & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) != 0
                && address - prev.vmEnd < vmas.stackGuardGap()) {
            return false;
        }
        if (prev != null && address < prev.vmEnd) {
            return false;
        }
        long size = vma.vmEnd - address;
        long grow = (vma.vmStart - address) >>> VmaTree.PAGE_SHIFT;
        if (size > rlimitStack || !Mmap.vmEnoughMemory(ctx, this, grow)) {
            return false;
        }
        if ((vma.vmFlags & VmFlags.VM_ACCOUNT) != 0) {
            committedPages += grow;
        }
        vmStatAccount(vma.vmFlags, grow);
        vmas.vmaAdjust(vma, address, vma.vmEnd, vma.vmPgoff - grow);
        return true;
    }

    /**
     * {@code anon_vma_prepare()} → {@code find_mergeable_anon_vma()}, mm/rmap.c: the first
     * anonymous page of a VMA gives it an {@code anon_vma}, the neighbour's when the two could
     * merge ({@code anon_vma_compatible}: adjacent, same policy and file, flags equal apart from
     * the access bits) and the neighbour's chain is singular ({@code reusable_anon_vma}: not a
     * fork child's), else a new one.
     */
    public void anonVmaPrepare(Vma vma, VmCounters counters) {
        if (vma.anonVma() != Vma.NO_ANON_VMA) {
            return;
        }
        long reuse = Vma.NO_ANON_VMA;
        Vma next = vma.vmNext;
        Vma prev = vma.vmPrev;
        if (next != null && !next.anonVmaForked() && anonVmaCompatible(vma, next)) {
            reuse = next.anonVma();
        }
        if (reuse == Vma.NO_ANON_VMA && prev != null && !prev.anonVmaForked() && anonVmaCompatible(prev, vma)) {
            reuse = prev.anonVma();
        }
        vma.setAnonVma(reuse != Vma.NO_ANON_VMA ? reuse : ++counters.lastAnonVma);
    }

    private static boolean anonVmaCompatible(Vma a, Vma b) {
        long access = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC | VmFlags.VM_SOFTDIRTY;
        return a.vmEnd == b.vmStart && a.policyId() == b.policyId() && a.vmFile() == b.vmFile()
                && ((a.vmFlags ^ b.vmFlags) & ~access) == 0
                && b.vmPgoff == a.vmPgoff + a.nrPages();
    }

    /** {@code vma_is_initial_heap()}: the VMA overlaps {@code [start_brk, brk)} — maps names it {@code [heap]}. */
    public boolean isInitialHeap(Vma vma) {
        return vma.vmStart < brk && vma.vmEnd > startBrk;
    }

    /** {@code vma_is_initial_stack()}: the VMA holds {@code start_stack} — maps names it {@code [stack]}. */
    public boolean isInitialStack(Vma vma) {
        return vma.vmStart <= startStack && vma.vmEnd >= startStack;
    }

    /**
     * What a VMA is for, in words: {@code text}, {@code data} (the image's), {@code bss}, {@code heap},
     * {@code stack}, {@code shmem} (shared anonymous), {@code anon}.
     */
    public String kind(Vma vma) {
        if (vma.vmFile() != null) {
            if (vma.vmFile().isShmem()) {
                return "shmem";
            }
            return (vma.vmFlags & VmFlags.VM_EXEC) != 0 ? "text" : "data";
        }
        if (isInitialStack(vma)) {
            return "stack";
        }
        if (isInitialHeap(vma)) {
            return "heap";
        }
        if (vma.vmStart >= startData && vma.vmEnd <= startBrk) {
            return "bss";
        }
        return "anon";
    }

    /** The policy a VMA carries ({@code vma->vm_policy}), or null for none (the task's applies). */
    public MemPolicy vmaPolicy(Vma vma) {
        return vma.policyId() == Vma.DEFAULT_POLICY ? null : policies.get(vma.policyId());
    }

    /** Interns {@code policy} so equal policies share an id ({@code mpol_equal} by id). */
    int policyId(MemPolicy policy) {
        if (policy == null) {
            return Vma.DEFAULT_POLICY;
        }
        for (int i = 1; i < policies.size(); i++) {
            if (policies.get(i).equals(policy)) {
                return i;
            }
        }
        policies.add(policy);
        return policies.size() - 1;
    }

    /** All interned policies in id order (snapshots). */
    public List<MemPolicy> policyTable() {
        return List.copyOf(policies.subList(1, policies.size()));
    }

    /** Restores the saved counters and layout (snapshots): see {@link MmCodec}. */
    void restoreCounters(long[] values) {
        int i = 0;
        startCode = values[i++];
        endCode = values[i++];
        startData = values[i++];
        endData = values[i++];
        startBrk = values[i++];
        brk = values[i++];
        startStack = values[i++];
        totalVm = values[i++];
        lockedVm = values[i++];
        pinnedVm = values[i++];
        dataVm = values[i++];
        execVm = values[i++];
        stackVm = values[i++];
        hiwaterRss = values[i++];
        hiwaterVm = values[i++];
        committedPages = values[i++];
        rlimitStack = values[i++];
        maxMapCount = (int) values[i++];
        for (int m = 0; m < NR_MM_COUNTERS; m++) {
            rssStat[m] = values[i++];
        }
    }

    long[] savedCounters() {
        long[] v = {startCode, endCode, startData, endData, startBrk, brk, startStack, totalVm, lockedVm, pinnedVm,
            dataVm, execVm, stackVm, hiwaterRss, hiwaterVm, committedPages, rlimitStack, maxMapCount,
            rssStat[0], rssStat[1], rssStat[2], rssStat[3]};
        return v;
    }
}
