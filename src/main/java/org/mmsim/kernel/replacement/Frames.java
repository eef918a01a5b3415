package org.mmsim.kernel.replacement;

/**
 * The page frames of one run, by slot: which page each holds and when it was loaded, last used and
 * next used. Slots {@code 0..used-1} are filled; the rest are free and are filled in order.
 */
final class Frames {

    /** The next use of a page that is never referenced again. */
    static final int NEVER = Integer.MAX_VALUE;

    final int[] page;
    final int[] loadedAt;
    final int[] lastUsed;
    final int[] nextUse;
    int used;

    Frames(int slots) {
        page = new int[slots];
        loadedAt = new int[slots];
        lastUsed = new int[slots];
        nextUse = new int[slots];
    }

    int slots() {
        return page.length;
    }

    boolean full() {
        return used == page.length;
    }
}
