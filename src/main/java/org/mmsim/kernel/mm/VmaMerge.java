package org.mmsim.kernel.mm;

/**
 * The merge tests and the split of mm/vma.c ({@code is_mergeable_vma},
 * {@code is_mergeable_anon_vma}, {@code can_vma_merge_before/after}, {@code split_vma}), as
 * LINUX.md §3.5–3.6 lists them.
 */
final class VmaMerge {

    private VmaMerge() {
    }

    /**
     * {@code is_mergeable_anon_vma()}: equal, or one is NULL and the other VMA's
     * {@code anon_vma_chain} is singular — true of every anon_vma except a fork child's, whose
     * chain also links the parent's ({@code anon_vma_fork}).
     */
    static boolean isMergeableAnonVma(long anonVma1, boolean forked1, long anonVma2, boolean forked2) {
        if (anonVma1 == anonVma2) {
            return true;
        }
        if (anonVma1 == Vma.NO_ANON_VMA) {
            return !forked2;
        }
        return anonVma2 == Vma.NO_ANON_VMA && !forked1;
    }

    /** {@code is_mergeable_vma()}: same flags (ignoring VM_SOFTDIRTY), file, policy and name; nothing special. */
    static boolean isMergeableVma(Vma vma, long vmFlags, AddressSpace file, int policyId, String name) {
        return ((vma.vmFlags ^ vmFlags) & ~VmFlags.VM_SOFTDIRTY) == 0
                && (vmFlags & VmFlags.VM_SPECIAL) == 0
                && vma.vmFile() == file
                && vma.policyId() == policyId
                && vma.name().equals(name);
    }

    /** {@code can_vma_merge_after()}: {@code prev} can grow up over a range starting at its end with {@code pgoff}. */
    static boolean canMergeAfter(Vma prev, long vmFlags, AddressSpace file, int policyId, String name, long anonVma,
                                 boolean forked, long pgoff) {
        return isMergeableVma(prev, vmFlags, file, policyId, name)
                && isMergeableAnonVma(anonVma, forked, prev.anonVma(), prev.anonVmaForked())
                && prev.vmPgoff + prev.nrPages() == pgoff;
    }

    /** {@code can_vma_merge_before()}: {@code next} can grow down over a range of {@code nrPages} ending at its start. */
    static boolean canMergeBefore(Vma next, long vmFlags, AddressSpace file, int policyId, String name, long anonVma,
                                  boolean forked, long pgoff, long nrPages) {
        return isMergeableVma(next, vmFlags, file, policyId, name)
                && isMergeableAnonVma(anonVma, forked, next.anonVma(), next.anonVmaForked())
                && next.vmPgoff == pgoff + nrPages;
    }

    /**
     * {@code __split_vma(vmi, vma, addr, new_below = 0)}: {@code vma} keeps {@code [vm_start, addr)}
     * and a new VMA with the same attributes takes {@code [addr, vm_end)}; answers the new one.
     */
    static Vma splitVma(MmStruct mm, Vma vma, long addr) {
        long end = vma.vmEnd;
        Vma upper = new Vma(addr, end, vma.vmFlags, vma.linearPageIndex(addr));
        copyAttributes(vma, upper);
        mm.vmas.vmaAdjust(vma, vma.vmStart, addr, vma.vmPgoff);
        mm.vmas.insert(upper);
        return upper;
    }

    /** What {@code vm_area_dup()} copies besides bounds and flags. */
    static void copyAttributes(Vma from, Vma to) {
        to.setAnonVma(from.anonVma());
        to.setAnonVmaForked(from.anonVmaForked());
        to.setPolicyId(from.policyId());
        to.setName(from.name());
        to.setVmFile(from.vmFile());
        FileTable.get(from.vmFile());
    }
}
