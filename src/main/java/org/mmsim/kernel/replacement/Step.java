package org.mmsim.kernel.replacement;

import java.util.List;

/**
 * One reference and the frames after it: a column of the textbook table. Lists are by slot (see
 * the package description) and as long as {@code frames}; columns of other policies are null.
 *
 * @param time the index of this reference in the reference string, from 0
 * @param ref the page referenced
 * @param hit whether the page was in memory
 * @param slot the slot that holds {@code ref} after this step
 * @param evicted the page evicted to make room, or null (a hit, or a fault that took a free slot)
 * @param victimReason why {@code evicted} was chosen, in words; null when nothing was evicted
 * @param frames the page in each filled slot after this step
 * @param hand CLOCK: the slot the hand points at after this step
 * @param referenceBits CLOCK: each slot's reference bit (0 or 1) after this step
 * @param loadedAt FIFO: the time each slot's page was loaded
 * @param lastUsed LRU: the time each slot's page was last referenced
 * @param nextUse OPT: the time each slot's page is referenced next; null when never again
 */
public record Step(int time, int ref, boolean hit, int slot, Integer evicted, String victimReason,
        List<Integer> frames, Integer hand, List<Integer> referenceBits, List<Integer> loadedAt,
        List<Integer> lastUsed, List<Integer> nextUse) {
}
