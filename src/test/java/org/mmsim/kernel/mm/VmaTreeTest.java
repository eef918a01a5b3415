package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;

class VmaTreeTest {
    private static final long P = VmaTree.PAGE_SIZE;
    private static final long RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    private static Vma vma(long startPage, long endPage) {
        return new Vma(startPage * P, endPage * P, RW, startPage);
    }

    /** find_vma(): the VMA containing addr, else the next one up; vm_end is exclusive. */
    @Test
    void findVmaShouldReturnTheContainingOrNextVmaWithVmEndExclusive() {
        VmaTree tree = new VmaTree();
        Vma a = vma(1, 3);
        Vma b = vma(5, 6);
        tree.insert(b);
        tree.insert(a);

        assertThat(tree.findVma(0)).isSameAs(a);
        assertThat(tree.findVma(2 * P + 5)).isSameAs(a);
        assertThat(tree.findVma(3 * P)).as("vm_end is not inside").isSameAs(b);
        assertThat(tree.findVma(6 * P)).isNull();
        assertThat(tree.findVmaPrev(4 * P)).isSameAs(a);
        assertThat(tree.findVmaPrev(2 * P)).isNull();
        assertThat(tree.findVmaPrev(9 * P)).isSameAs(b);
        assertThat(tree.findVmaIntersection(3 * P, 5 * P)).isNull();
        assertThat(tree.findVmaIntersection(3 * P, 5 * P + 1)).isSameAs(b);
    }

    /** The list (vm_next) and iteration follow address order whatever the insertion order. */
    @Test
    void iterationShouldFollowAddressOrder() {
        VmaTree tree = new VmaTree();
        for (long page : new long[] {40, 10, 30, 20, 50}) {
            tree.insert(vma(page, page + 1));
        }
        List<Long> starts = new ArrayList<>();
        tree.forEach(v -> starts.add(v.vmStart() / P));

        assertThat(starts).containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(tree.first().vmStart()).isEqualTo(10 * P);
        assertThat(tree.last().vmNext()).isNull();
        assertThat(tree.highestVmEnd()).isEqualTo(51 * P);
        assertThat(tree.mapCount()).isEqualTo(5);
    }

    /** find_vma_links(): an overlapping or unaligned VMA is refused and the tree is unchanged. */
    @Test
    void insertShouldRefuseOverlapsAndUnalignedBounds() {
        VmaTree tree = new VmaTree();
        tree.insert(vma(10, 20));

        assertThatThrownBy(() -> tree.insert(vma(19, 21))).isInstanceOf(KernelInputException.class);
        assertThatThrownBy(() -> tree.insert(new Vma(P + 1, 2 * P, RW, 0))).isInstanceOf(KernelInputException.class);
        assertThatThrownBy(() -> tree.insert(vma(5, 5))).isInstanceOf(KernelInputException.class);
        assertThat(tree.mapCount()).isEqualTo(1);
        tree.checkInvariants();
    }

    /** Stack growth (expand_downwards) is a vm_start change: the gap below shrinks, the search sees it. */
    @Test
    void vmaAdjustShouldUpdateTheGapBelowAndAbove() {
        VmaTree tree = new VmaTree(0);
        Vma low = vma(0, 1);
        Vma stack = vma(100, 110);
        tree.insert(low);
        tree.insert(stack);
        assertThat(tree.unmappedAreaTopdown(95 * P, P, 100 * P, 0, 0)).isEqualTo(5 * P);

        tree.vmaAdjust(stack, 95 * P, 110 * P, 95);
        tree.checkInvariants();
        assertThat(tree.unmappedAreaTopdown(95 * P, P, 100 * P, 0, 0)).isEqualTo(VmaTree.ENOMEM);
        assertThat(tree.unmappedAreaTopdown(94 * P, P, 120 * P, 0, 0)).isEqualTo(P);

        tree.vmaAdjust(stack, 95 * P, 100 * P, 95);
        tree.checkInvariants();
        assertThat(tree.highestVmEnd()).isEqualTo(100 * P);
        assertThatThrownBy(() -> tree.vmaAdjust(stack, 0, 100 * P, 0)).isInstanceOf(KernelInputException.class);
    }

    /** vm_start_gap(): setting VM_GROWSDOWN puts stack_guard_gap below the VMA at once. */
    @Test
    void vmFlagsResetShouldApplyTheGuardGapWhenGrowsdownIsSet() {
        VmaTree tree = new VmaTree(4);
        Vma v = vma(100, 110);
        tree.insert(v);
        assertThat(tree.unmappedAreaTopdown(P, P, 100 * P, 0, 0)).isEqualTo(99 * P);

        tree.vmFlagsReset(v, RW | VmFlags.VM_GROWSDOWN);
        tree.checkInvariants();

        assertThat(tree.vmStartGap(v)).isEqualTo(96 * P);
        assertThat(tree.unmappedAreaTopdown(P, P, 100 * P, 0, 0)).isEqualTo(95 * P);
    }

    /** A tree built by ascending inserts stays balanced: height ≤ 2·log2(n + 1), black root, equal black heights. */
    @Test
    void viewShouldShowABalancedRedBlackShape() {
        VmaTree tree = new VmaTree();
        for (int i = 0; i < 1000; i++) {
            tree.insert(vma(2L * i, 2L * i + 1));
        }
        tree.checkInvariants();
        VmaTreeView view = tree.view();

        assertThat(view.mapCount()).isEqualTo(1000);
        assertThat(view.root().color()).isEqualTo("black");
        assertThat(view.height()).isBetween(10, 19);
        assertThat(view.blackHeight()).isBetween(5, 10);
        assertThat(view.root().rbSubtreeGap()).as("every hole is one page").isEqualTo(P);
        assertThat(new VmaTree().view()).isEqualTo(new VmaTreeView(0, 0, 0, 0, null));
    }

    /** validate_mm_rb(): a wrong rb_subtree_gap or a red-red pair is reported by name. */
    @Test
    void checkInvariantsShouldNameTheFirstViolation() {
        VmaTree tree = new VmaTree();
        Vma a = vma(1, 2);
        Vma b = vma(4, 5);
        Vma c = vma(8, 9);
        tree.insert(a);
        tree.insert(b);
        tree.insert(c);

        b.rbSubtreeGap += P;
        assertThatThrownBy(tree::checkInvariants).isInstanceOf(IllegalStateException.class).hasMessageContaining("rb_subtree_gap");
        b.rbSubtreeGap -= P;
        tree.checkInvariants();

        a.rbRed = true;
        b.rbRed = true;
        assertThatThrownBy(tree::checkInvariants).isInstanceOf(IllegalStateException.class).hasMessageContaining("red");
    }

    /** show_smap_vma_flags(): the heap's flags read "rd wr mr mw me ac " (LINUX.md §10.6). */
    @Test
    void mnemonicsShouldMatchSmapsVmFlags() {
        long heap = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE
                | VmFlags.VM_MAYEXEC | VmFlags.VM_ACCOUNT;
        assertThat(heap).isEqualTo(0x100073);
        assertThat(VmFlags.mnemonics(heap)).isEqualTo("rd wr mr mw me ac ");
        assertThat(VmFlags.mnemonics(VmFlags.VM_STACK | VmFlags.VM_MERGEABLE)).isEqualTo("gd mg ");
    }
}
