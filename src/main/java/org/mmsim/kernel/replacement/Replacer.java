package org.mmsim.kernel.replacement;

/**
 * One policy's victim choice. The simulator owns the frames and their times; a replacer only picks
 * the slot to evict when memory is full, keeping whatever state of its own it needs (CLOCK's bits
 * and hand, RANDOM's generator).
 */
sealed interface Replacer permits FifoReplacer, LruReplacer, OptReplacer, ClockReplacer, RandomReplacer {

    /** The page in {@code slot} was referenced: a hit, or ({@code loaded}) just loaded there by a fault. */
    default void referenced(int slot, boolean loaded) {
    }

    /** Memory is full and a page must go: the slot to evict from. */
    Victim victim(Frames frames);

    static Replacer of(Policy policy, int slots, long seed) {
        return switch (policy) {
            case FIFO -> new FifoReplacer();
            case LRU -> new LruReplacer();
            case OPT -> new OptReplacer();
            case CLOCK -> new ClockReplacer(slots);
            case RANDOM -> new RandomReplacer(seed);
        };
    }
}
