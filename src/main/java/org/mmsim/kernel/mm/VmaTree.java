package org.mmsim.kernel.mm;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.mmsim.kernel.KernelInputException;

/**
 * A process's VMAs: the {@code mm_rb} red-black tree and the {@code mmap} list of
 * {@code struct mm_struct} (≤ 6.0), with {@code find_vma()}, {@code __vma_link_rb()},
 * {@code __vma_unlink()}, {@code vma_gap_update()}, {@code unmapped_area()},
 * {@code unmapped_area_topdown()} and {@code generic_get_unmapped_area_topdown()} of mm/mmap.c,
 * and the augmented insert/erase of lib/rbtree.c and include/linux/rbtree_augmented.h.
 *
 * <p>The tree is keyed by {@code vm_start} and augmented, as {@code vma_gap_callbacks}
 * ({@code RB_DECLARE_CALLBACKS_MAX}), with {@code rb_subtree_gap}: the largest free gap below any
 * VMA of the subtree, so a free range of a given length is found in O(log n) without walking the
 * list. A gap is measured between guard gaps: {@code vm_start_gap(vma) - vm_end_gap(prev)}.
 *
 * <p>Sections: (1) lookup — {@code find_vma} and friends; (2) linking — insert, erase, bounds and
 * flag changes, each keeping list, tree and gaps in step; (3) the red-black core — insert and
 * erase rebalancing with augmented rotations, case for case as lib/rbtree.c; (4) free-area
 * search — bottom-up and top-down; (5) {@code get_unmapped_area}; (6) invariants and the shape
 * view.
 *
 * <p>Addresses are non-negative {@code long}s (the kernel's {@code unsigned long}); a negative
 * address from a caller reads as a huge unsigned one.
 */
public final class VmaTree implements Iterable<Vma> {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    static final long PAGE_MASK = ~(PAGE_SIZE - 1);
    /** {@code stack_guard_gap} default: 256 pages, 1 MiB (boot parameter {@code stack_guard_gap=}). */
    public static final long DEFAULT_STACK_GUARD_GAP_PAGES = 256;
    /**
     * {@code -ENOMEM} as {@code vm_unmapped_area()} returns it: never page aligned, so
     * {@code offset_in_page()} tells it from an address.
     */
    public static final long ENOMEM = -12;

    private final long stackGuardGap;
    private Vma root;
    private Vma first;
    private Vma last;
    private int mapCount;
    private long highestVmEnd;

    /** A tree whose stack guard gap is the kernel default, 256 pages. */
    public VmaTree() {
        this(DEFAULT_STACK_GUARD_GAP_PAGES);
    }

    /** A tree whose {@code stack_guard_gap} is {@code stackGuardGapPages} pages, as the boot parameter gives it. */
    public VmaTree(long stackGuardGapPages) {
        if (stackGuardGapPages < 0 || stackGuardGapPages > (1L << (62 - PAGE_SHIFT))) {
            throw new KernelInputException("stackGuardGapPages", "must be between 0 and 2^50 pages");
        }
        this.stackGuardGap = stackGuardGapPages << PAGE_SHIFT;
    }

    /** {@code stack_guard_gap} in bytes. */
    public long stackGuardGap() {
        return stackGuardGap;
    }

    /** {@code mm->map_count}: the number of VMAs. */
    public int mapCount() {
        return mapCount;
    }

    /** {@code mm->highest_vm_end}: {@code vm_end_gap()} of the last VMA, 0 when there is none. */
    public long highestVmEnd() {
        return highestVmEnd;
    }

    /** The root of {@code mm_rb}; null when empty. */
    Vma rbRoot() {
        return root;
    }

    /** The lowest VMA, {@code mm->mmap}; null when empty. */
    public Vma first() {
        return first;
    }

    /** The highest VMA; null when empty. */
    public Vma last() {
        return last;
    }

    /** VMAs in address order, along {@code vm_next}. Do not link or unlink while iterating. */
    @Override
    public Iterator<Vma> iterator() {
        return new Iterator<>() {
            private Vma next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Vma next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Vma v = next;
                next = v.vmNext;
                return v;
            }
        };
    }

    // ------------------------------------------------------------------ (1) lookup

    /**
     * {@code vm_start_gap()}, include/linux/mm.h: where the free space above the previous VMA must
     * end. A grows-down VMA keeps {@code stack_guard_gap} free below it, so nothing is placed
     * there: a stack at 0x7ffffffde000 with the 1 MiB gap gives 0x7fffffede000 (0 if that would
     * wrap below address 0).
     */
    public long vmStartGap(Vma vma) {
        long start = vma.vmStart;
        if ((vma.vmFlags & VmFlags.VM_GROWSDOWN) != 0) {
            start = start >= stackGuardGap ? start - stackGuardGap : 0;
        }
        return start;
    }

    /**
     * {@code vm_end_gap()}, include/linux/mm.h: where the free space above a VMA begins. Only a
     * {@code VM_GROWSUP} VMA has a gap above it, and x86 has none, so this is {@code vm_end}.
     */
    public long vmEndGap(Vma vma) {
        return vma.vmEnd;
    }

    /**
     * {@code find_vma()}, mm/mmap.c: the first VMA with {@code vm_end > addr} — the one containing
     * {@code addr}, or else the next one above it; null if there is none.
     */
    public Vma findVma(long addr) {
        if (addr < 0) {
            return null;
        }
        Vma vma = null;
        Vma node = root;
        while (node != null) {
            if (node.vmEnd > addr) {
                vma = node;
                if (node.vmStart <= addr) {
                    break;
                }
                node = node.rbLeft;
            } else {
                node = node.rbRight;
            }
        }
        return vma;
    }

    /**
     * The {@code *pprev} of {@code find_vma_prev()}, mm/mmap.c: the VMA just below
     * {@code findVma(addr)} — the highest one with {@code vm_end <= addr}; null if none.
     */
    public Vma findVmaPrev(long addr) {
        Vma vma = findVma(addr);
        return vma != null ? vma.vmPrev : last;
    }

    /**
     * {@code find_vma_intersection()}, include/linux/mm.h: the first VMA overlapping
     * {@code [startAddr, endAddr)}; null if the range is free.
     */
    public Vma findVmaIntersection(long startAddr, long endAddr) {
        Vma vma = findVma(startAddr);
        return vma != null && endAddr > vma.vmStart ? vma : null;
    }

    // ------------------------------------------------------------------ (2) linking

    /**
     * {@code vma_link()} / {@code __vma_link_list()} / {@code __vma_link_rb()}, mm/mmap.c: links a
     * VMA into the list and the tree. The range must be free ({@code find_vma_links()} fails on
     * an overlap; here that is a caller bug).
     */
    public void insert(Vma vma) {
        if (vma.tree != null) {
            throw new KernelInputException("vma", "already linked: " + vma);
        }
        checkBounds(vma.vmStart, vma.vmEnd);
        Vma parent = null;
        Vma prev = null;
        boolean leftChild = false;
        for (Vma node = root; node != null; ) {
            parent = node;
            if (node.vmEnd > vma.vmStart) {
                if (node.vmStart < vma.vmEnd) {
                    throw new KernelInputException("vma", vma + " overlaps " + node);
                }
                leftChild = true;
                node = node.rbLeft;
            } else {
                prev = node;
                leftChild = false;
                node = node.rbRight;
            }
        }
        Vma next = prev != null ? prev.vmNext : first;
        vma.vmPrev = prev;
        vma.vmNext = next;
        if (prev != null) {
            prev.vmNext = vma;
        } else {
            first = vma;
        }
        if (next != null) {
            next.vmPrev = vma;
            vmaGapUpdate(next);
        } else {
            last = vma;
            highestVmEnd = vmEndGap(vma);
        }
        vma.tree = this;
        vma.rbParent = parent;
        vma.rbLeft = null;
        vma.rbRight = null;
        vma.rbRed = true;
        vma.rbSubtreeGap = 0;
        if (parent == null) {
            root = vma;
        } else if (leftChild) {
            parent.rbLeft = vma;
        } else {
            parent.rbRight = vma;
        }
        vmaGapUpdate(vma);
        rbInsertColor(vma);
        mapCount++;
    }

    /**
     * {@code __vma_unlink()} / {@code detach_vmas_to_be_unmapped()}, mm/mmap.c: unlinks a VMA from
     * list and tree; the gap it leaves joins the one below the next VMA.
     */
    public void erase(Vma vma) {
        checkLinked(vma);
        Vma prev = vma.vmPrev;
        Vma next = vma.vmNext;
        // Tree first, list second, as __vma_unlink_common(): while the rotations run, next's own
        // gap must still be the old one (its vm_prev is still vma), so that every stored value
        // stays consistent and vma_gap_update(next) below can stop where nothing changes.
        rbEraseAugmented(vma);
        if (prev != null) {
            prev.vmNext = next;
        } else {
            first = next;
        }
        if (next != null) {
            next.vmPrev = prev;
        } else {
            last = prev;
        }
        if (next != null) {
            vmaGapUpdate(next);
        } else {
            highestVmEnd = prev != null ? vmEndGap(prev) : 0;
        }
        vma.tree = null;
        vma.rbParent = null;
        vma.rbLeft = null;
        vma.rbRight = null;
        vma.vmNext = null;
        vma.vmPrev = null;
        vma.rbSubtreeGap = 0;
        mapCount--;
    }

    /**
     * The bounds part of {@code __vma_adjust()}, mm/mmap.c: moves a linked VMA's start and/or end
     * (expand, shrink, stack growth, brk) without crossing its neighbours, and updates the gap
     * below it ({@code vma_gap_update(vma)}) and the one above it ({@code vma_gap_update(next)},
     * or {@code highest_vm_end}). The key order cannot change, so no relinking is needed.
     */
    public void vmaAdjust(Vma vma, long startAddr, long endAddr, long pgoff) {
        checkLinked(vma);
        checkBounds(startAddr, endAddr);
        if (vma.vmPrev != null && startAddr < vma.vmPrev.vmEnd) {
            throw new KernelInputException("vmStart", "would overlap " + vma.vmPrev);
        }
        if (vma.vmNext != null && endAddr > vma.vmNext.vmStart) {
            throw new KernelInputException("vmEnd", "would overlap " + vma.vmNext);
        }
        boolean startChanged = startAddr != vma.vmStart;
        boolean endChanged = endAddr != vma.vmEnd;
        vma.vmStart = startAddr;
        vma.vmEnd = endAddr;
        vma.vmPgoff = pgoff;
        if (startChanged) {
            vmaGapUpdate(vma);
        }
        if (endChanged) {
            if (vma.vmNext != null) {
                vmaGapUpdate(vma.vmNext);
            } else {
                highestVmEnd = vmEndGap(vma);
            }
        }
    }

    /**
     * {@code vm_flags_reset()}, include/linux/mm.h: replaces a VMA's flags. Setting or clearing
     * {@code VM_GROWSDOWN} moves {@code vm_start_gap()}, so the gap below it is recomputed.
     */
    public void vmFlagsReset(Vma vma, long vmFlags) {
        checkLinked(vma);
        long changed = vma.vmFlags ^ vmFlags;
        vma.vmFlags = vmFlags;
        if ((changed & VmFlags.VM_GROWSDOWN) != 0) {
            vmaGapUpdate(vma);
        }
    }

    private void checkLinked(Vma vma) {
        if (vma.tree != this) {
            throw new KernelInputException("vma", "not linked in this tree: " + vma);
        }
    }

    private static void checkBounds(long startAddr, long endAddr) {
        if (startAddr < 0 || (startAddr & ~PAGE_MASK) != 0 || (endAddr & ~PAGE_MASK) != 0 || endAddr <= startAddr) {
            throw new KernelInputException("vma", String.format(
                    "bounds %x-%x must be page aligned with vm_start < vm_end", startAddr, endAddr));
        }
    }

    // ------------------------------------------------------------------ (3) red-black core

    /**
     * {@code vma_compute_subtree_gap()}, mm/mmap.c ({@code vma_compute_gap()} plus the children):
     * the gap below this VMA — {@code vm_start_gap(vma) - vm_end_gap(prev)}, 0 if the guard gap
     * swallows it, from address 0 for the first VMA — or a child's {@code rb_subtree_gap} if larger.
     */
    long computeSubtreeGap(Vma vma) {
        long max = vmStartGap(vma);
        if (vma.vmPrev != null) {
            long prevEnd = vmEndGap(vma.vmPrev);
            max = max > prevEnd ? max - prevEnd : 0;
        }
        if (vma.rbLeft != null && vma.rbLeft.rbSubtreeGap > max) {
            max = vma.rbLeft.rbSubtreeGap;
        }
        if (vma.rbRight != null && vma.rbRight.rbSubtreeGap > max) {
            max = vma.rbRight.rbSubtreeGap;
        }
        return max;
    }

    /** {@code vma_gap_update()}: recompute from a VMA up to the root, stopping when nothing changes. */
    private void vmaGapUpdate(Vma vma) {
        propagate(vma, null);
    }

    /** {@code vma_gap_callbacks_propagate()}: recompute upwards from {@code node} until {@code stop}. */
    private void propagate(Vma node, Vma stop) {
        while (node != stop) {
            long gap = computeSubtreeGap(node);
            if (node.rbSubtreeGap == gap) {
                break;
            }
            node.rbSubtreeGap = gap;
            node = node.rbParent;
        }
    }

    /**
     * {@code vma_gap_callbacks_rotate()}: after {@code newTop} took {@code oldTop}'s place it
     * covers the same VMAs, so it inherits the value; {@code oldTop} lost a subtree and is recomputed.
     */
    private void augmentRotate(Vma oldTop, Vma newTop) {
        newTop.rbSubtreeGap = oldTop.rbSubtreeGap;
        oldTop.rbSubtreeGap = computeSubtreeGap(oldTop);
    }

    /** {@code __rb_change_child()}: make {@code parent} (or the root) point at {@code newChild}. */
    private void changeChild(Vma oldChild, Vma newChild, Vma parent) {
        if (parent == null) {
            root = newChild;
        } else if (parent.rbLeft == oldChild) {
            parent.rbLeft = newChild;
        } else {
            parent.rbRight = newChild;
        }
    }

    /** Left rotation at {@code x}: its right child {@code y} takes its place, {@code x} becomes y's left child. */
    private void rotateLeft(Vma x) {
        Vma y = x.rbRight;
        x.rbRight = y.rbLeft;
        if (y.rbLeft != null) {
            y.rbLeft.rbParent = x;
        }
        y.rbParent = x.rbParent;
        changeChild(x, y, x.rbParent);
        y.rbLeft = x;
        x.rbParent = y;
        augmentRotate(x, y);
    }

    /** Right rotation at {@code x}: the mirror of {@link #rotateLeft}. */
    private void rotateRight(Vma x) {
        Vma y = x.rbLeft;
        x.rbLeft = y.rbRight;
        if (y.rbRight != null) {
            y.rbRight.rbParent = x;
        }
        y.rbParent = x.rbParent;
        changeChild(x, y, x.rbParent);
        y.rbRight = x;
        x.rbParent = y;
        augmentRotate(x, y);
    }

    private static boolean isRed(Vma node) {
        return node != null && node.rbRed;
    }

    /**
     * {@code __rb_insert()}, lib/rbtree.c: a new red leaf under a red parent is fixed by colour
     * flips while the uncle is red (case 1), else by one or two rotations (cases 2 and 3).
     */
    private void rbInsertColor(Vma node) {
        while (true) {
            Vma parent = node.rbParent;
            if (parent == null) {
                node.rbRed = false;
                return;
            }
            if (!parent.rbRed) {
                return;
            }
            Vma gparent = parent.rbParent;
            if (parent == gparent.rbLeft) {
                Vma uncle = gparent.rbRight;
                if (isRed(uncle)) {
                    // Case 1: colour flips, then continue two levels up.
                    uncle.rbRed = false;
                    parent.rbRed = false;
                    gparent.rbRed = true;
                    node = gparent;
                    continue;
                }
                if (node == parent.rbRight) {
                    // Case 2: node is the inner child; rotate it to the outside.
                    rotateLeft(parent);
                    parent = node;
                }
                // Case 3: rotate at the grandparent.
                rotateRight(gparent);
            } else {
                Vma uncle = gparent.rbLeft;
                if (isRed(uncle)) {
                    uncle.rbRed = false;
                    parent.rbRed = false;
                    gparent.rbRed = true;
                    node = gparent;
                    continue;
                }
                if (node == parent.rbLeft) {
                    rotateRight(parent);
                    parent = node;
                }
                rotateLeft(gparent);
            }
            parent.rbRed = false;
            gparent.rbRed = true;
            return;
        }
    }

    /**
     * {@code __rb_erase_augmented()}, include/linux/rbtree_augmented.h: unlinks {@code node};
     * with two children its in-order successor (the next VMA) takes its place, colour and
     * augmented value. Returns nothing but rebalances when a black node left the tree.
     */
    private void rbEraseAugmented(Vma node) {
        Vma child = node.rbRight;
        Vma tmp = node.rbLeft;
        Vma rebalance;
        if (tmp == null) {
            // Case 1: at most one child, the right one.
            Vma parent = node.rbParent;
            changeChild(node, child, parent);
            if (child != null) {
                child.rbParent = parent;
                child.rbRed = node.rbRed;
                rebalance = null;
            } else {
                rebalance = node.rbRed ? null : parent;
            }
            tmp = parent;
        } else if (child == null) {
            // Still case 1, the child is the left one.
            Vma parent = node.rbParent;
            tmp.rbParent = parent;
            tmp.rbRed = node.rbRed;
            changeChild(node, tmp, parent);
            rebalance = null;
            tmp = parent;
        } else {
            Vma successor = child;
            Vma parent;
            Vma child2;
            tmp = child.rbLeft;
            if (tmp == null) {
                // Case 2: the successor is node's right child.
                parent = successor;
                child2 = successor.rbRight;
                successor.rbSubtreeGap = node.rbSubtreeGap;
            } else {
                // Case 3: the successor is the leftmost node of node's right subtree.
                do {
                    parent = successor;
                    successor = tmp;
                    tmp = tmp.rbLeft;
                } while (tmp != null);
                child2 = successor.rbRight;
                parent.rbLeft = child2;
                successor.rbRight = child;
                child.rbParent = successor;
                successor.rbSubtreeGap = node.rbSubtreeGap;
                propagate(parent, successor);
            }
            tmp = node.rbLeft;
            successor.rbLeft = tmp;
            tmp.rbParent = successor;
            Vma nodeParent = node.rbParent;
            changeChild(node, successor, nodeParent);
            if (child2 != null) {
                child2.rbParent = parent;
                child2.rbRed = false;
                rebalance = null;
            } else {
                rebalance = successor.rbRed ? null : parent;
            }
            successor.rbParent = nodeParent;
            successor.rbRed = node.rbRed;
            tmp = successor;
        }
        propagate(tmp, null);
        if (rebalance != null) {
            rbEraseColor(rebalance);
        }
    }

    /**
     * {@code ____rb_erase_color()}, lib/rbtree.c: paths through {@code parent} on the side of
     * {@code node} (null at first: the removed leaf) are one black short. Case 1: red sibling,
     * rotate it up; case 2: black sibling with black children, paint it red and move the deficit
     * up (or end at a red parent); case 3: sibling's far child black, rotate at the sibling;
     * case 4: rotate at the parent and recolour, done.
     */
    private void rbEraseColor(Vma parent) {
        Vma node = null;
        while (true) {
            Vma sibling = parent.rbRight;
            if (node != sibling) {
                // node is the left child
                if (sibling.rbRed) {
                    rotateLeft(parent);
                    sibling.rbRed = false;
                    parent.rbRed = true;
                    sibling = parent.rbRight;
                }
                if (!isRed(sibling.rbRight)) {
                    if (!isRed(sibling.rbLeft)) {
                        sibling.rbRed = true;
                        if (parent.rbRed) {
                            parent.rbRed = false;
                            return;
                        }
                        node = parent;
                        parent = node.rbParent;
                        if (parent != null) {
                            continue;
                        }
                        return;
                    }
                    rotateRight(sibling);
                    sibling.rbRed = true;
                    sibling = parent.rbRight;
                    sibling.rbRed = false;
                }
                rotateLeft(parent);
                sibling.rbRed = parent.rbRed;
                parent.rbRed = false;
                sibling.rbRight.rbRed = false;
                return;
            } else {
                sibling = parent.rbLeft;
                if (sibling.rbRed) {
                    rotateRight(parent);
                    sibling.rbRed = false;
                    parent.rbRed = true;
                    sibling = parent.rbLeft;
                }
                if (!isRed(sibling.rbLeft)) {
                    if (!isRed(sibling.rbRight)) {
                        sibling.rbRed = true;
                        if (parent.rbRed) {
                            parent.rbRed = false;
                            return;
                        }
                        node = parent;
                        parent = node.rbParent;
                        if (parent != null) {
                            continue;
                        }
                        return;
                    }
                    rotateLeft(sibling);
                    sibling.rbRed = true;
                    sibling = parent.rbLeft;
                    sibling.rbRed = false;
                }
                rotateRight(parent);
                sibling.rbRed = parent.rbRed;
                parent.rbRed = false;
                sibling.rbLeft.rbRed = false;
                return;
            }
        }
    }

    // ------------------------------------------------------------------ (4) free-area search

    /**
     * {@code unmapped_area_topdown()}, mm/mmap.c (≤ 6.0): the highest {@code length}-byte range,
     * aligned so that {@code (addr - alignOffset) & alignMask == 0}, that lies in
     * {@code [low, high)} and in a free gap between guard gaps. Returns its address or
     * {@link #ENOMEM}.
     *
     * <p>The search asks for {@code length + alignMask} bytes, the worst case alignment loss, and
     * places the range at the top of the gap it finds. It first tries the gap above the last VMA
     * (up to {@code high}), then walks the tree right-first, entering a subtree only if its
     * {@code rb_subtree_gap} is big enough, and gives up as soon as a gap ends below
     * {@code low + length}. One departure from 6.0: that early stop tests {@code vm_start}, not
     * {@code vm_start_gap()}, because a stack guard gap can reach below lower VMAs' gaps and
     * stopping there would miss a gap that fits; 6.x's maple-tree search has no such miss.
     * Example: VMAs at [0x1000, 0x2000) and [0x9000, 0xa000), high
     * 0x8000, length 0x3000 → 0x5000 (the top of the gap clipped to high).
     */
    public long unmappedAreaTopdown(long length, long low, long high, long alignMask, long alignOffset) {
        checkSearch(length, low, high, alignMask);
        long searchLength = length + alignMask;
        if (high < searchLength) {
            return ENOMEM;
        }
        long highLimit = high - searchLength;
        if (low > highLimit) {
            return ENOMEM;
        }
        long lowLimit = low + searchLength;
        long gapStart = highestVmEnd;
        long gapEnd = high;
        if (gapStart > highLimit) {
            gapEnd = findGapTopdown(searchLength, lowLimit, highLimit);
            if (gapEnd == ENOMEM) {
                return ENOMEM;
            }
            gapEnd = Math.min(gapEnd, high);
        }
        long addr = gapEnd - length;
        return addr - ((addr - alignOffset) & alignMask);
    }

    /** The tree walk of {@code unmapped_area_topdown()}: the end of the highest gap that fits, or ENOMEM. */
    private long findGapTopdown(long length, long lowLimit, long highLimit) {
        Vma vma = root;
        if (vma == null || vma.rbSubtreeGap < length) {
            return ENOMEM;
        }
        descend:
        while (true) {
            long gapStart = vma.vmPrev != null ? vmEndGap(vma.vmPrev) : 0;
            if (gapStart <= highLimit && vma.rbRight != null && vma.rbRight.rbSubtreeGap >= length) {
                vma = vma.rbRight;
                continue;
            }
            while (true) {
                // check_current: the gap just below vma. Lower gaps all end below vm_start.
                if (vma.vmStart < lowLimit) {
                    return ENOMEM;
                }
                long gapEnd = vmStartGap(vma);
                if (gapStart <= highLimit && gapEnd >= lowLimit && gapEnd > gapStart && gapEnd - gapStart >= length) {
                    return gapEnd;
                }
                if (vma.rbLeft != null && vma.rbLeft.rbSubtreeGap >= length) {
                    vma = vma.rbLeft;
                    continue descend;
                }
                // climb until we come up from a right child: that parent is the next lower VMA
                Vma child;
                do {
                    child = vma;
                    vma = vma.rbParent;
                    if (vma == null) {
                        return ENOMEM;
                    }
                } while (child != vma.rbRight);
                gapStart = vma.vmPrev != null ? vmEndGap(vma.vmPrev) : 0;
            }
        }
    }

    /**
     * {@code unmapped_area()}, mm/mmap.c (≤ 6.0): the lowest fitting range in {@code [low, high)},
     * aligned as in {@link #unmappedAreaTopdown}, at the bottom of the lowest gap that can hold
     * {@code length + alignMask} bytes (the gap above the last VMA last). Returns its address or
     * {@link #ENOMEM}. As in the top-down search, the left subtree is skipped by {@code vm_start},
     * not {@code vm_start_gap()}, so a stack's guard gap cannot hide a lower gap.
     */
    public long unmappedArea(long length, long low, long high, long alignMask, long alignOffset) {
        checkSearch(length, low, high, alignMask);
        long searchLength = length + alignMask;
        if (high < searchLength) {
            return ENOMEM;
        }
        long highLimit = high - searchLength;
        if (low > highLimit) {
            return ENOMEM;
        }
        long lowLimit = low + searchLength;
        long gapStart = findGapBottomup(searchLength, lowLimit, highLimit);
        if (gapStart == ENOMEM) {
            gapStart = highestVmEnd;
            if (gapStart > highLimit) {
                return ENOMEM;
            }
        }
        gapStart = Math.max(gapStart, low);
        return gapStart + ((alignOffset - gapStart) & alignMask);
    }

    /** The tree walk of {@code unmapped_area()}: the start of the lowest gap below a VMA that fits, or ENOMEM. */
    private long findGapBottomup(long length, long lowLimit, long highLimit) {
        Vma vma = root;
        if (vma == null || vma.rbSubtreeGap < length) {
            return ENOMEM;
        }
        descend:
        while (true) {
            long gapEnd = vmStartGap(vma);
            if (vma.vmStart > lowLimit && vma.rbLeft != null && vma.rbLeft.rbSubtreeGap >= length) {
                vma = vma.rbLeft;
                continue;
            }
            long gapStart = vma.vmPrev != null ? vmEndGap(vma.vmPrev) : 0;
            while (true) {
                // check_current: the gap just below vma
                if (gapStart > highLimit) {
                    return ENOMEM;
                }
                if (gapEnd >= lowLimit && gapEnd > gapStart && gapEnd - gapStart >= length) {
                    return gapStart;
                }
                if (vma.rbRight != null && vma.rbRight.rbSubtreeGap >= length) {
                    vma = vma.rbRight;
                    continue descend;
                }
                // climb until we come up from a left child: that parent is the next higher VMA
                Vma child;
                do {
                    child = vma;
                    vma = vma.rbParent;
                    if (vma == null) {
                        return ENOMEM;
                    }
                } while (child != vma.rbLeft);
                gapStart = vmEndGap(vma.vmPrev);
                gapEnd = vmStartGap(vma);
            }
        }
    }

    private static void checkSearch(long length, long low, long high, long alignMask) {
        if (length <= 0 || (length & ~PAGE_MASK) != 0) {
            throw new KernelInputException("length", "must be a positive multiple of the page size");
        }
        if (low < 0 || high < 0) {
            throw new KernelInputException("low", "limits must be non-negative");
        }
        if (alignMask < 0 || (alignMask & ~PAGE_MASK) != 0 || alignMask > (1L << 56)) {
            throw new KernelInputException("alignMask", "must be a page-aligned mask");
        }
    }

    // ------------------------------------------------------------------ (5) get_unmapped_area

    /**
     * Where mmap(2) puts a new mapping of {@code len} bytes: the placement steps of
     * {@code do_mmap()} with {@code __get_unmapped_area()} and
     * {@code generic_get_unmapped_area_topdown()}, mm/mmap.c (LINUX.md §3.4). Errno outcomes
     * are values.
     *
     * <ol>
     * <li>{@code len == 0} → EINVAL; {@code len} is page-rounded ({@code PAGE_ALIGN}); a length
     * that wraps or exceeds {@code taskSize}, or {@code taskSize - mmapMinAddr}, → ENOMEM.
     * <li>MAP_FIXED_NOREPLACE implies MAP_FIXED. Without MAP_FIXED the hint is rounded down to a
     * page and raised to {@code mmapMinAddr} if lower ({@code round_hint_to_min()}).
     * <li>MAP_FIXED: {@code addr} itself; it must be page aligned (else EINVAL) and end within
     * {@code taskSize} (else ENOMEM). What is there is replaced by the caller — except with
     * MAP_FIXED_NOREPLACE, which fails with EEXIST if any VMA intersects the range.
     * <li>A non-zero hint is taken if {@code [hint, hint + len)} lies within
     * {@code [mmapMinAddr, taskSize)} and clear of the guard gaps:
     * {@code hint + len <= vm_start_gap(next)} and {@code hint >= vm_end_gap(prev)}.
     * <li>Otherwise top-down: the highest gap that fits in
     * {@code [max(PAGE_SIZE, mmapMinAddr), mmapBase)}; if none, bottom-up in
     * {@code [TASK_UNMAPPED_BASE, taskSize)} with {@code TASK_UNMAPPED_BASE =
     * PAGE_ALIGN(taskSize / 3)}; if neither, ENOMEM.
     * </ol>
     *
     * <p>Example: x86_64 without ASLR, {@code mmapBase} 0x7ffff7fff000 and an empty tree: a
     * 16 KiB mmap lands at 0x7ffff7ffb000 and the next one right below it, at 0x7ffff7ff7000.
     * {@code taskSize} plays the role of {@code mmap_end} ({@code arch_get_mmap_end()}, which is
     * {@code DEFAULT_MAP_WINDOW} for x86_64 hints below 47 bits).
     */
    public UnmappedArea getUnmappedArea(long addr, long len, int flags, long mmapBase, long mmapMinAddr,
                                        long taskSize) {
        checkLayout(mmapBase, mmapMinAddr, taskSize);
        if (len == 0) {
            return UnmappedArea.error("EINVAL");
        }
        if (len < 0 || len > taskSize) {
            return UnmappedArea.error("ENOMEM");
        }
        len = (len + PAGE_SIZE - 1) & PAGE_MASK;
        if ((flags & MmapFlags.MAP_FIXED_NOREPLACE) != 0) {
            flags |= MmapFlags.MAP_FIXED;
        }
        boolean fixed = (flags & MmapFlags.MAP_FIXED) != 0;
        if (!fixed) {
            addr = roundHintToMin(addr, mmapMinAddr);
        }
        if (len > taskSize - mmapMinAddr) {
            return UnmappedArea.error("ENOMEM");
        }
        long area = fixed ? addr : genericGetUnmappedAreaTopdown(addr, len, mmapBase, mmapMinAddr, taskSize);
        if (area == ENOMEM) {
            return UnmappedArea.error("ENOMEM");
        }
        if (area < 0 || area > taskSize - len) {
            return UnmappedArea.error("ENOMEM");
        }
        if ((area & ~PAGE_MASK) != 0) {
            return UnmappedArea.error("EINVAL");
        }
        if ((flags & MmapFlags.MAP_FIXED_NOREPLACE) != 0 && findVmaIntersection(area, area + len) != null) {
            return UnmappedArea.error("EEXIST");
        }
        return UnmappedArea.at(area);
    }

    /** The hint and free-area part of {@code generic_get_unmapped_area_topdown()}. */
    private long genericGetUnmappedAreaTopdown(long addr, long len, long mmapBase, long mmapMinAddr,
                                               long taskSize) {
        if (addr > 0 && addr >= mmapMinAddr && addr <= taskSize - len) {
            Vma next = findVma(addr);
            Vma prev = next != null ? next.vmPrev : last;
            if ((next == null || addr + len <= vmStartGap(next)) && (prev == null || addr >= vmEndGap(prev))) {
                return addr;
            }
        }
        long area = unmappedAreaTopdown(len, Math.max(PAGE_SIZE, mmapMinAddr), mmapBase, 0, 0);
        if (area == ENOMEM) {
            long taskUnmappedBase = ((taskSize / 3) + PAGE_SIZE - 1) & PAGE_MASK;
            area = unmappedArea(len, taskUnmappedBase, taskSize, 0, 0);
        }
        return area;
    }

    /**
     * {@code round_hint_to_min()}, mm/mmap.c: a non-NULL hint is rounded down to its page and, if
     * below {@code mmap_min_addr}, raised to it: hint 0x1234 with mmap_min_addr 0x10000 → 0x10000.
     */
    private static long roundHintToMin(long hint, long mmapMinAddr) {
        hint &= PAGE_MASK;
        if (hint != 0 && Long.compareUnsigned(hint, mmapMinAddr) < 0) {
            return (mmapMinAddr + PAGE_SIZE - 1) & PAGE_MASK;
        }
        return hint;
    }

    private static void checkLayout(long mmapBase, long mmapMinAddr, long taskSize) {
        if (taskSize <= 0 || (taskSize & ~PAGE_MASK) != 0) {
            throw new KernelInputException("taskSize", "must be a positive multiple of the page size");
        }
        if (mmapMinAddr < 0 || mmapMinAddr >= taskSize) {
            throw new KernelInputException("mmapMinAddr", "must be in [0, taskSize)");
        }
        if ((mmapBase & ~PAGE_MASK) != 0 || mmapBase <= mmapMinAddr || mmapBase > taskSize) {
            throw new KernelInputException("mmapBase", "must be page aligned in (mmapMinAddr, taskSize]");
        }
    }

    // ------------------------------------------------------------------ (6) invariants and view

    /**
     * {@code validate_mm()} / {@code validate_mm_rb()}, mm/mmap.c ({@code CONFIG_DEBUG_VM_RB}):
     * throws {@link IllegalStateException} naming the first violation of — the red-black rules
     * (black root, no red node with a red child, equal black heights), parent links, key order,
     * page-aligned non-empty non-overlapping VMAs, the list being the in-order traversal with
     * consistent {@code vm_prev}, every {@code rb_subtree_gap} equal to its recomputation,
     * {@code highest_vm_end} and {@code map_count}.
     */
    public void checkInvariants() {
        VmaTreeInvariants.check(this);
    }

    /** The tree's shape for {@code vmas?view=tree}. */
    public VmaTreeView view() {
        return VmaTreeInvariants.view(this);
    }
}
