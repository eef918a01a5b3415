package org.mmsim.kernel.mm;

/**
 * The shape of a {@link VmaTree} for {@code vmas?view=tree}: the {@code mm_rb} red-black tree as
 * nested nodes (which render as a JSON tree), with its height (nodes on the longest root-to-leaf
 * path, 0 when empty) and black height (black nodes on every such path).
 */
public record VmaTreeView(int mapCount, int height, int blackHeight, long highestVmEnd, Node root) {

    /**
     * One {@code vm_rb} node: the VMA's {@code [vmStart, vmEnd)}, its colour ({@code "red"} or
     * {@code "black"}), {@code rb_subtree_gap} in bytes, and its children (null for none).
     */
    public record Node(long vmStart, long vmEnd, String color, long rbSubtreeGap, Node left, Node right) {
    }
}
