package org.mmsim.kernel.mm;

/**
 * The debug checks of a {@link VmaTree}, {@code validate_mm()} and {@code browse_rb()} of
 * mm/mmap.c (≤ 6.0), and the shape view. Recursion depth is the tree height, at most
 * 2·log2(n + 1).
 */
final class VmaTreeInvariants {

    private VmaTreeInvariants() {
    }

    static void check(VmaTree tree) {
        Vma root = tree.rbRoot();
        if (root != null) {
            if (root.rbRed) {
                fail("root " + root + " is red");
            }
            if (root.rbParent != null) {
                fail("root " + root + " has a parent");
            }
        }
        Vma[] expectedNext = {tree.first()};
        int[] nodes = new int[1];
        checkSubtree(tree, root, expectedNext, nodes);
        if (expectedNext[0] != null) {
            fail("list has " + expectedNext[0] + " after the last node of the in-order traversal");
        }
        checkList(tree, nodes[0]);
    }

    /**
     * Checks a subtree and walks it in order, matching each node against the list
     * ({@code expectedNext[0]}). Returns the black height; {@code count[0]} counts nodes.
     */
    private static int checkSubtree(VmaTree tree, Vma node, Vma[] expectedNext, int[] count) {
        if (node == null) {
            return 1;
        }
        if (node.tree != tree) {
            fail(node + " does not belong to this tree");
        }
        if (node.rbLeft != null && node.rbLeft.rbParent != node) {
            fail("left child of " + node + " has the wrong parent");
        }
        if (node.rbRight != null && node.rbRight.rbParent != node) {
            fail("right child of " + node + " has the wrong parent");
        }
        if (node.rbRed && (isRed(node.rbLeft) || isRed(node.rbRight))) {
            fail("red " + node + " has a red child");
        }
        int leftBlack = checkSubtree(tree, node.rbLeft, expectedNext, count);
        if (expectedNext[0] != node) {
            fail("in-order traversal reaches " + node + " where the list has " + expectedNext[0]);
        }
        count[0]++;
        checkVma(tree, node);
        expectedNext[0] = node.vmNext;
        int rightBlack = checkSubtree(tree, node.rbRight, expectedNext, count);
        if (leftBlack != rightBlack) {
            fail("black heights differ under " + node + ": " + leftBlack + " left, " + rightBlack + " right");
        }
        long gap = tree.computeSubtreeGap(node);
        if (node.rbSubtreeGap != gap) {
            fail(String.format("rb_subtree_gap of %s is %#x, recomputed %#x", node, node.rbSubtreeGap, gap));
        }
        return leftBlack + (node.rbRed ? 0 : 1);
    }

    private static void checkVma(VmaTree tree, Vma vma) {
        if (vma.vmStart < 0 || (vma.vmStart & ~VmaTree.PAGE_MASK) != 0 || (vma.vmEnd & ~VmaTree.PAGE_MASK) != 0) {
            fail(vma + " is not page aligned");
        }
        if (vma.vmEnd <= vma.vmStart) {
            fail(vma + " is empty or inverted");
        }
        Vma prev = vma.vmPrev;
        if (prev == null ? tree.first() != vma : prev.vmNext != vma) {
            fail("vm_prev of " + vma + " does not point back to it");
        }
        if (prev != null && prev.vmEnd > vma.vmStart) {
            fail(prev + " overlaps or is out of order with " + vma);
        }
    }

    private static void checkList(VmaTree tree, int nodes) {
        if (nodes != tree.mapCount()) {
            fail("map_count is " + tree.mapCount() + " but the tree has " + nodes + " VMAs");
        }
        Vma last = tree.last();
        if (nodes == 0 ? last != null : last == null || last.vmNext != null) {
            fail("last VMA is wrong: " + last);
        }
        long highest = last == null ? 0 : tree.vmEndGap(last);
        if (tree.highestVmEnd() != highest) {
            fail(String.format("highest_vm_end is %#x, expected %#x", tree.highestVmEnd(), highest));
        }
    }

    private static boolean isRed(Vma node) {
        return node != null && node.rbRed;
    }

    private static void fail(String message) {
        throw new IllegalStateException("VMA tree: " + message);
    }

    static VmaTreeView view(VmaTree tree) {
        int[] height = new int[1];
        VmaTreeView.Node root = node(tree.rbRoot(), 1, height);
        int blackHeight = 0;
        for (Vma v = tree.rbRoot(); v != null; v = v.rbLeft) {
            blackHeight += v.rbRed ? 0 : 1;
        }
        return new VmaTreeView(tree.mapCount(), height[0], blackHeight, tree.highestVmEnd(), root);
    }

    private static VmaTreeView.Node node(Vma vma, int depth, int[] height) {
        if (vma == null) {
            return null;
        }
        height[0] = Math.max(height[0], depth);
        return new VmaTreeView.Node(vma.vmStart, vma.vmEnd, vma.rbRed ? "red" : "black", vma.rbSubtreeGap,
                node(vma.rbLeft, depth + 1, height), node(vma.rbRight, depth + 1, height));
    }
}
