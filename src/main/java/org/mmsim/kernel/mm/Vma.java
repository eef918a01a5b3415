package org.mmsim.kernel.mm;

/**
 * A virtual memory area: {@code struct vm_area_struct}, include/linux/mm_types.h (≤ 6.0 layout,
 * with the rbtree node {@code vm_rb} and the list links {@code vm_next}/{@code vm_prev}).
 *
 * <p>{@code [vmStart, vmEnd)} is half open: {@code vmEnd} is the first byte <em>after</em> the
 * area, both page aligned. A VMA is a mutable node that one {@link VmaTree} links; while linked,
 * its bounds and flags change only through the tree ({@link VmaTree#vmaAdjust},
 * {@link VmaTree#vmFlagsReset}), which keeps the gap augmentation right. The other fields are
 * the merge keys a later issue needs, kept primitive: {@code anonVma} is an {@code anon_vma} id
 * ({@link #NO_ANON_VMA} for NULL), {@code policyId} a {@code vm_policy} id ({@link
 * #DEFAULT_POLICY} for NULL, the task's policy), {@code name} the name {@code /proc/PID/maps}
 * prints ({@code "[heap]"}, {@code "[anon:NAME]"}, or {@code ""} for none).
 */
public final class Vma {
    public static final long NO_ANON_VMA = 0;
    public static final int DEFAULT_POLICY = 0;

    long vmStart;
    long vmEnd;
    long vmFlags;
    long vmPgoff;
    private long anonVma = NO_ANON_VMA;
    private int policyId = DEFAULT_POLICY;
    private String name = "";
    /**
     * Whether {@code anon_vma_chain} also links the parent's {@code anon_vma} ({@code anon_vma_fork}):
     * the chain is not singular, so this VMA merges only with one of the same {@code anon_vma}.
     */
    private boolean anonVmaForked;
    /** {@code vm_file}'s mapping, or null for anonymous memory. */
    private AddressSpace vmFile;

    // vm_rb: parent, children, colour; the tree that owns the node (vm_mm)
    Vma rbParent;
    Vma rbLeft;
    Vma rbRight;
    boolean rbRed;
    VmaTree tree;
    // the address-ordered list, head mm->mmap
    Vma vmNext;
    Vma vmPrev;
    /**
     * {@code rb_subtree_gap}: the largest free gap {@code vm_start_gap(v) - vm_end_gap(v->vm_prev)}
     * over the VMAs v in this node's subtree (the gap below the first VMA counts from 0).
     */
    long rbSubtreeGap;

    public Vma(long vmStart, long vmEnd, long vmFlags, long vmPgoff) {
        this.vmStart = vmStart;
        this.vmEnd = vmEnd;
        this.vmFlags = vmFlags;
        this.vmPgoff = vmPgoff;
    }

    public long vmStart() {
        return vmStart;
    }

    /** The end, exclusive: the first address after the area. */
    public long vmEnd() {
        return vmEnd;
    }

    public long vmFlags() {
        return vmFlags;
    }

    public long vmPgoff() {
        return vmPgoff;
    }

    /** {@code vma_pages()}, include/linux/mm.h: the length in pages. */
    public long nrPages() {
        return (vmEnd - vmStart) >>> VmaTree.PAGE_SHIFT;
    }

    public long anonVma() {
        return anonVma;
    }

    public void setAnonVma(long anonVma) {
        this.anonVma = anonVma;
    }

    public int policyId() {
        return policyId;
    }

    public void setPolicyId(int policyId) {
        this.policyId = policyId;
    }

    public boolean anonVmaForked() {
        return anonVmaForked;
    }

    public void setAnonVmaForked(boolean forked) {
        this.anonVmaForked = forked;
    }

    /** The mapped file ({@code vma->vm_file->f_mapping}), or null for anonymous memory. */
    public AddressSpace vmFile() {
        return vmFile;
    }

    public void setVmFile(AddressSpace vmFile) {
        this.vmFile = vmFile;
    }

    /** {@code vma_is_anonymous()}: no file and no {@code vm_ops}. */
    public boolean isAnonymous() {
        return vmFile == null;
    }

    /** The page index of {@code address} in the mapping: {@code linear_page_index()}. */
    public long linearPageIndex(long address) {
        return ((address - vmStart) >>> VmaTree.PAGE_SHIFT) + vmPgoff;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    /** The next VMA up in address order, {@code vm_next}; null for the last. */
    public Vma vmNext() {
        return vmNext;
    }

    /** The previous VMA in address order, {@code vm_prev}; null for the first. */
    public Vma vmPrev() {
        return vmPrev;
    }

    /** {@code rb_subtree_gap} as last maintained by the tree, in bytes. */
    public long rbSubtreeGap() {
        return rbSubtreeGap;
    }

    /** Whether a {@link VmaTree} links this VMA. */
    public boolean linked() {
        return tree != null;
    }

    @Override
    public String toString() {
        return String.format("%x-%x %s", vmStart, vmEnd, VmFlags.mnemonics(vmFlags).trim());
    }
}
