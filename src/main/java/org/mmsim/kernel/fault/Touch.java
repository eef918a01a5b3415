package org.mmsim.kernel.fault;

import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.mm.MmContext;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.tlb.Tlb;

/**
 * A process accessing a range of its memory, page by page, as the MMU and
 * {@code do_user_addr_fault()} (arch/x86/mm/fault.c) see it: the walked PTE either allows the
 * access (the CPU sets Accessed, and Dirty on a write) or raises a fault; a fault finds the VMA
 * (growing a stack below a {@code VM_GROWSDOWN} one), checks {@code access_error()}, then
 * {@link PageFault#handleMmFault} fixes the PTE and the access is retried. One fault per page
 * and per reason, never per access.
 */
public final class Touch {

    /** The kind of access: a load, a store, an instruction fetch. */
    public enum Access { READ, WRITE, EXEC }

    private Touch() {
    }

    /**
     * Accesses {@code [address, address + length)}; stops at the first page whose fault ends in
     * a signal, recorded in {@code st} with the exact address of the access. {@code length}
     * must be positive and the range must not wrap (the caller validates).
     */
    public static void touch(MmStruct mm, MmContext ctx, long address, long length, Access access, FaultStats st) {
        touch(mm, ctx, address, length, access, st, null, OutOfMemory.NONE);
    }

    /**
     * The access as a user program makes it, through the TLB of the CPU it runs on
     * ({@code tlb}; null for the kernel's own accesses through {@code get_user_pages}, which
     * bypass it). Per page: an entry of this mm for the page that allows the access is a hit
     * (no walk; a first write through a clean entry sets Dirty in the PTE, as the CPU's
     * assist does); anything else is a miss — the walk below, with its faults — and the
     * translation it ends with is filled in. Hits and misses count in {@code st}.
     *
     * <p>With the OOM killer: a fault that finds no memory calls {@code oom}; if the faulting
     * task survives (another process was killed and its memory freed) the fault is retried,
     * else the touch ends in SIGKILL. {@code mm} must not be used after {@code oom} has killed
     * its owner.
     */
    public static void touch(MmStruct mm, MmContext ctx, long address, long length, Access access, FaultStats st,
                             Tlb tlb, OutOfMemory oom) {
        PageTable pt = mm.pgd();
        Arch arch = pt.arch();
        boolean write = access == Access.WRITE;
        boolean exec = access == Access.EXEC;
        long need = Pte._PAGE_PRESENT | Pte._PAGE_USER | (write ? Pte._PAGE_RW : 0);
        long forbid = exec ? Pte._PAGE_NX : 0;
        long set = Pte._PAGE_ACCESSED | (write ? Pte._PAGE_DIRTY : 0);
        long leafMask = ~(PageTable.pmdSize(arch) - 1);
        long end = address + length;
        long leafBase = -1;
        long[] leaf = null;
        Vma vma = null;
        long tag = mm.tlbTag();
        // the teaching lru reclaim policy sees every access, TLB hits included
        boolean trackAccess = ctx.phys().tracksAccess();
        for (long page = address & ~(Arch.PAGE_SIZE - 1); Long.compareUnsigned(page, end) < 0; page += Arch.PAGE_SIZE) {
            int index = PageTable.pteIndex(page, arch);
            int slot = -1;
            long seen = 0;
            if (tlb != null) {
                long vpn = page >>> Arch.PAGE_SHIFT;
                int hit = tlb.lookup(tag, vpn);
                slot = hit >= 0 ? hit : tlb.missVictim();
                seen = tlb.invalidations();
                if (hit >= 0) {
                    long e = tlb.entryPte(hit);
                    if ((e & need) == need && (e & forbid) == 0) {
                        if (write && (e & Pte._PAGE_DIRTY) == 0) {
                            setDirty(pt, page, index, tlb, hit);
                        }
                        if (trackAccess) {
                            ctx.phys().pageAccessed(Pte.pfn(e));
                        }
                        st.tlbHits++;
                        st.pages++;
                        continue;
                    }
                }
                st.tlbMisses++;
            }
            for (int attempt = 0;; attempt++) {
                if ((page & leafMask) != leafBase) {
                    leaf = pt.pteTable(page, false);
                    leafBase = page & leafMask;
                }
                long pte = leaf == null ? 0 : leaf[index];
                if ((pte & need) == need && (pte & forbid) == 0) {
                    if ((pte & set) != set) {
                        leaf[index] = pte | set;
                    }
                    if (trackAccess) {
                        ctx.phys().pageAccessed(Pte.pfn(pte));
                    }
                    if (tlb != null) {
                        if (tlb.invalidations() == seen) {
                            tlb.fillAt(slot, tag, page >>> Arch.PAGE_SHIFT, pte | set);
                        } else {
                            tlb.fill(tag, page >>> Arch.PAGE_SHIFT, pte | set);
                        }
                    }
                    st.pages++;
                    break;
                }
                if (attempt == 3) {
                    throw new IllegalStateException("fault at " + Long.toHexString(page) + " not resolved: pte "
                            + Long.toHexString(pte));
                }
                long accessAddress = Math.max(page, address);
                if (vma == null || page < vma.vmStart() || page >= vma.vmEnd()) {
                    vma = mm.vmas().findVma(page);
                }
                if (vma == null || vma.vmStart() > page) {
                    if (vma == null || (vma.vmFlags() & VmFlags.VM_GROWSDOWN) == 0 || !mm.expandStack(vma, page, ctx)) {
                        st.signal = new FaultStats.Signal("SIGSEGV", "SEGV_MAPERR", accessAddress);
                        return;
                    }
                    st.stackGrowth++;
                }
                if (accessError(write, exec, (pte & Pte._PAGE_PRESENT) != 0, vma.vmFlags())) {
                    st.signal = new FaultStats.Signal("SIGSEGV", "SEGV_ACCERR", accessAddress);
                    return;
                }
                int ret = PageFault.handleMmFault(mm, ctx, vma, page, write, pte, st);
                ctx.events().pgfault++;
                if ((ret & PageFault.VM_FAULT_OOM) != 0) {
                    if (oom.outOfMemory(st)) {
                        // the allocator retries after the kill inside the same fault: one PGFAULT, not an attempt
                        ctx.events().pgfault--;
                        attempt--;
                        leafBase = -1;
                        continue;
                    }
                    st.signal = new FaultStats.Signal("SIGKILL", "OOM", accessAddress);
                    return;
                }
                if ((ret & PageFault.VM_FAULT_SIGBUS) != 0) {
                    st.signal = new FaultStats.Signal("SIGBUS", "BUS_ADRERR", accessAddress);
                    return;
                }
                if ((ret & PageFault.VM_FAULT_MAJOR) != 0) {
                    st.major++;
                    ctx.events().pgmajfault++;
                } else {
                    st.minor++;
                }
                leafBase = -1;
            }
        }
    }

    /** A write through a clean TLB entry: the CPU walks to set Dirty in the PTE and in the entry. */
    private static void setDirty(PageTable pt, long page, int index, Tlb tlb, int entry) {
        long[] leaf = pt.pteTable(page, false);
        long pte = Pte.mkdirty(Pte.mkyoung(leaf[index]), pt.arch());
        leaf[index] = pte;
        tlb.setEntryPte(entry, pte);
    }

    /**
     * {@code access_error()}, arch/x86/mm/fault.c: a write needs VM_WRITE; a read or fetch of a
     * present page faults only for protection, which is an error; a non-present page needs the
     * VMA to be accessible at all. (An instruction fetch from a non-executable readable VMA is
     * therefore handled first — the page is mapped with NX — and fails on the retry.)
     */
    static boolean accessError(boolean write, boolean exec, boolean present, long vmFlags) {
        if (write) {
            return (vmFlags & VmFlags.VM_WRITE) == 0;
        }
        if (present) {
            return true;
        }
        return (vmFlags & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) == 0;
    }
}
