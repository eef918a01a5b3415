package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmsim.kernel.mm.MmapFlags.MAP_FIXED;
import static org.mmsim.kernel.mm.MmapFlags.MAP_FIXED_NOREPLACE;
import static org.mmsim.kernel.mm.MmapFlags.MAP_PRIVATE;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;

/** mmap placement on an x86_64 layout without ASLR, LINUX.md §3.4 and §3.8. */
class GetUnmappedAreaTest {
    private static final long K = 1024;
    private static final long M = 1024 * K;
    /** TASK_SIZE_MAX = DEFAULT_MAP_WINDOW on 4-level x86_64. */
    private static final long TASK_SIZE = 0x7ffffffff000L;
    /** PAGE_ALIGN(TASK_SIZE - 128 MiB): the gap is clamped up to 128 MiB when ASLR is off. */
    private static final long MMAP_BASE = 0x7ffff7fff000L;
    private static final long MMAP_MIN_ADDR = 4096;
    private static final long RW = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE;

    private final VmaTree tree = new VmaTree();

    private UnmappedArea mmap(long hint, long len, int flags) {
        return tree.getUnmappedArea(hint, len, flags, MMAP_BASE, MMAP_MIN_ADDR, TASK_SIZE);
    }

    /** Places and links an anonymous mapping, as do_mmap would after get_unmapped_area. */
    private Vma map(long hint, long len, int flags, long vmFlags) {
        UnmappedArea area = mmap(hint, len, flags);
        assertThat(area.ok()).as("errno %s", area.errno()).isTrue();
        long end = area.address() + ((len + VmaTree.PAGE_SIZE - 1) & -VmaTree.PAGE_SIZE);
        Vma vma = new Vma(area.address(), end, vmFlags, area.address() >> 12);
        tree.insert(vma);
        tree.checkInvariants();
        return vma;
    }

    private Vma mapAt(long start, long len, long vmFlags) {
        Vma vma = new Vma(start, start + len, vmFlags, start >> 12);
        tree.insert(vma);
        return vma;
    }

    /** generic_get_unmapped_area_topdown: with no hint the range ends at mmap_base. */
    @Test
    void firstMappingShouldEndAtMmapBase() {
        assertThat(mmap(0, 16 * K, MAP_PRIVATE)).isEqualTo(UnmappedArea.at(MMAP_BASE - 16 * K));
    }

    /** LINUX.md §3.4: successive anonymous mmaps stack downward, each adjacent to the last (b + 16K == a). */
    @Test
    void successiveMmapsShouldStackDownwardAndTouch() {
        Vma a = map(0, 16 * K, MAP_PRIVATE, RW);
        Vma b = map(0, 16 * K, MAP_PRIVATE, RW);
        Vma c = map(0, 5000, MAP_PRIVATE, RW);

        assertThat(b.vmStart() + 16 * K).isEqualTo(a.vmStart());
        assertThat(c.vmEnd()).isEqualTo(b.vmStart());
        assertThat(c.vmEnd() - c.vmStart()).as("len is page-rounded").isEqualTo(8 * K);
    }

    /** unmapped_area_topdown takes the highest gap that fits, skipping higher gaps that are too small. */
    @Test
    void topDownShouldTakeTheHighestGapThatFits() {
        mapAt(MMAP_BASE - 16 * K, 16 * K, RW);
        // an 8 KiB hole, then a 64 KiB hole
        mapAt(MMAP_BASE - 40 * K, 16 * K, RW);
        mapAt(MMAP_BASE - 120 * K, 16 * K, RW);
        tree.checkInvariants();

        assertThat(mmap(0, 8 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 24 * K);
        assertThat(mmap(0, 12 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 52 * K);
        assertThat(mmap(0, 64 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 104 * K);
        assertThat(mmap(0, 68 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 188 * K);
    }

    /** munmap leaves a hole that the next mmap of a size that fits reuses; a bigger one goes below. */
    @Test
    void holeLeftByUnmapShouldBeReusedWhenItFits() {
        Vma a = map(0, 16 * K, MAP_PRIVATE, RW);
        Vma b = map(0, 16 * K, MAP_PRIVATE, RW);
        Vma c = map(0, 16 * K, MAP_PRIVATE, RW);
        tree.erase(b);
        tree.checkInvariants();

        assertThat(mmap(0, 32 * K, MAP_PRIVATE).address()).isEqualTo(c.vmStart() - 32 * K);
        assertThat(mmap(0, 16 * K, MAP_PRIVATE).address()).isEqualTo(b.vmStart());
        assertThat(mmap(0, 4 * K, MAP_PRIVATE).address()).isEqualTo(a.vmStart() - 4 * K);
    }

    /** A free hint is taken as is; round_hint_to_min() rounds it down to its page first. */
    @Test
    void freeHintShouldBeHonouredAfterRoundingDown() {
        assertThat(mmap(0x10000000L, 8 * K, MAP_PRIVATE)).isEqualTo(UnmappedArea.at(0x10000000L));
        assertThat(mmap(0x10000123L, 8 * K, MAP_PRIVATE)).isEqualTo(UnmappedArea.at(0x10000000L));
    }

    /** round_hint_to_min(): a hint below mmap_min_addr is raised to it, not dropped. */
    @Test
    void hintBelowMmapMinAddrShouldBeRaisedToIt() {
        UnmappedArea area = tree.getUnmappedArea(0x2000, 4 * K, MAP_PRIVATE, MMAP_BASE, 0x10000, TASK_SIZE);
        assertThat(area).isEqualTo(UnmappedArea.at(0x10000));
    }

    /** A hint overlapping a VMA, or one that would not fit below TASK_SIZE, is ignored: top-down placement instead. */
    @Test
    void hintShouldBeIgnoredWhenTheRangeIsTakenOrOutOfRange() {
        mapAt(0x10000000L, 64 * K, RW);

        assertThat(mmap(0x1000f000L, 8 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 8 * K);
        assertThat(mmap(0x0fffe000L, 16 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 16 * K);
        assertThat(mmap(TASK_SIZE - 4 * K, 8 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 8 * K);
        assertThat(mmap(0x0fff0000L, 64 * K, MAP_PRIVATE).address()).as("touching is fine").isEqualTo(0x0fff0000L);
    }

    /** §3.8: a hint inside the 1 MiB guard gap below a VM_GROWSDOWN VMA is ignored; right below the gap it is taken. */
    @Test
    void hintShouldKeepClearOfTheStackGuardGap() {
        long stackStart = 0x7ffffffde000L;
        mapAt(stackStart, 132 * K, RW | VmFlags.VM_GROWSDOWN);
        long gapStart = stackStart - M;

        assertThat(mmap(gapStart - 4 * K, 8 * K, MAP_PRIVATE).address()).isEqualTo(MMAP_BASE - 8 * K);
        assertThat(mmap(gapStart - 8 * K, 8 * K, MAP_PRIVATE).address()).isEqualTo(gapStart - 8 * K);
    }

    /** §3.8: top-down placement leaves stack_guard_gap free below a grows-down VMA. */
    @Test
    void topDownShouldLeaveTheGuardGapBelowAStack() {
        Vma stack = mapAt(MMAP_BASE - 128 * K, 128 * K, RW | VmFlags.VM_GROWSDOWN);

        assertThat(mmap(0, 16 * K, MAP_PRIVATE).address()).isEqualTo(stack.vmStart() - M - 16 * K);
    }

    /** A smaller guard gap (boot parameter stack_guard_gap=16) shrinks the hole left below the stack. */
    @Test
    void guardGapShouldFollowTheConfiguredPages() {
        VmaTree small = new VmaTree(16);
        small.insert(new Vma(MMAP_BASE - 128 * K, MMAP_BASE, RW | VmFlags.VM_GROWSDOWN, 0));

        UnmappedArea area = small.getUnmappedArea(0, 4 * K, MAP_PRIVATE, MMAP_BASE, MMAP_MIN_ADDR, TASK_SIZE);
        assertThat(area.address()).isEqualTo(MMAP_BASE - 128 * K - 64 * K - 4 * K);
    }

    /** MAP_FIXED returns addr whatever is there (do_mmap then unmaps it); an unaligned addr is EINVAL. */
    @Test
    void mapFixedShouldReturnTheAddressEvenOverAMapping() {
        mapAt(0x10000000L, 64 * K, RW);

        assertThat(mmap(0x10004000L, 8 * K, MAP_PRIVATE | MAP_FIXED)).isEqualTo(UnmappedArea.at(0x10004000L));
        assertThat(mmap(0x10004010L, 8 * K, MAP_PRIVATE | MAP_FIXED)).isEqualTo(UnmappedArea.error("EINVAL"));
        assertThat(mmap(TASK_SIZE - 4 * K, 8 * K, MAP_PRIVATE | MAP_FIXED)).isEqualTo(UnmappedArea.error("ENOMEM"));
    }

    /** MAP_FIXED_NOREPLACE (4.17): EEXIST if any VMA intersects the range, the address if it is free. */
    @Test
    void mapFixedNoreplaceShouldFailWithEexistWhenTheRangeOverlaps() {
        mapAt(0x10000000L, 64 * K, RW);

        assertThat(mmap(0x0fffe000L, 16 * K, MAP_PRIVATE | MAP_FIXED_NOREPLACE)).isEqualTo(UnmappedArea.error("EEXIST"));
        assertThat(mmap(0x1000f000L, 4 * K, MAP_PRIVATE | MAP_FIXED_NOREPLACE)).isEqualTo(UnmappedArea.error("EEXIST"));
        assertThat(mmap(0x10010000L, 4 * K, MAP_PRIVATE | MAP_FIXED_NOREPLACE)).isEqualTo(UnmappedArea.at(0x10010000L));
        assertThat(mmap(0x0fffc000L, 16 * K, MAP_PRIVATE | MAP_FIXED_NOREPLACE)).isEqualTo(UnmappedArea.at(0x0fffc000L));
    }

    /** do_mmap: len 0 is EINVAL; len > TASK_SIZE is ENOMEM, as is a length that wraps when page-rounded. */
    @Test
    void lengthShouldBeCheckedAsDoMmapDoes() {
        assertThat(mmap(0, 0, MAP_PRIVATE)).isEqualTo(UnmappedArea.error("EINVAL"));
        assertThat(mmap(0, TASK_SIZE + 1, MAP_PRIVATE)).isEqualTo(UnmappedArea.error("ENOMEM"));
        assertThat(mmap(0, -1, MAP_PRIVATE)).isEqualTo(UnmappedArea.error("ENOMEM"));
    }

    /** generic_get_unmapped_area_topdown: when nothing fits below mmap_base, retry bottom-up from TASK_UNMAPPED_BASE. */
    @Test
    void shouldFallBackToBottomUpFromTaskUnmappedBaseWhenNothingFitsBelowMmapBase() {
        long taskSize = 0x100000L;       // 256 pages
        long mmapBase = 0x80000L;        // 128 pages
        long taskUnmappedBase = 0x56000; // PAGE_ALIGN(taskSize / 3)
        VmaTree small = new VmaTree(0);
        small.insert(new Vma(0x1000, mmapBase, RW, 0));
        small.insert(new Vma(0x90000, 0xa0000, RW, 0));

        assertThat(small.getUnmappedArea(0, 16 * K, MAP_PRIVATE, mmapBase, 4096, taskSize))
                .isEqualTo(UnmappedArea.at(mmapBase));
        assertThat(small.getUnmappedArea(0, 256 * K, MAP_PRIVATE, mmapBase, 4096, taskSize))
                .isEqualTo(UnmappedArea.at(0xa0000));
        assertThat(small.unmappedArea(4 * K, taskUnmappedBase, taskSize, 0, 0)).isEqualTo(mmapBase);
    }

    /** ENOMEM when neither the top-down nor the bottom-up search finds room. */
    @Test
    void shouldFailWithEnomemWhenNothingFits() {
        long taskSize = 0x100000L;
        VmaTree small = new VmaTree(0);
        small.insert(new Vma(0x1000, 0x80000, RW, 0));
        small.insert(new Vma(0x84000, taskSize, RW, 0));

        assertThat(small.getUnmappedArea(0, 16 * K, MAP_PRIVATE, 0x80000, 4096, taskSize))
                .isEqualTo(UnmappedArea.at(0x80000));
        assertThat(small.getUnmappedArea(0, 20 * K, MAP_PRIVATE, 0x80000, 4096, taskSize))
                .isEqualTo(UnmappedArea.error("ENOMEM"));
    }

    /**
     * vm_unmapped_area alignment (e.g. SHMLBA, hugetlb): top-down places the range at the top of the
     * gap and rounds down so that (addr - align_offset) & align_mask == 0; bottom-up rounds up.
     */
    @Test
    void alignmentShouldRoundWithinTheGap() {
        assertThat(tree.unmappedAreaTopdown(8 * K, 4096, 0x40003000L, 0xf000, 0x3000)).isEqualTo(0x3fff3000L);
        assertThat(tree.unmappedArea(8 * K, 0x5000, 0x40003000L, 0xf000, 0x3000)).isEqualTo(0x13000);
    }

    /** A broken layout is a caller bug, not a simulated errno. */
    @Test
    void badLayoutShouldBeRejectedAsKernelInput() {
        assertThatThrownBy(() -> tree.getUnmappedArea(0, 4 * K, MAP_PRIVATE, MMAP_BASE + 1, MMAP_MIN_ADDR, TASK_SIZE))
                .isInstanceOf(KernelInputException.class)
                .satisfies(e -> assertThat(((KernelInputException) e).field()).isEqualTo("mmapBase"));
        assertThatThrownBy(() -> tree.unmappedAreaTopdown(100, 0, TASK_SIZE, 0, 0))
                .isInstanceOf(KernelInputException.class);
    }
}
