package org.mmsim.kernel.replacement;

import java.util.List;

/**
 * A whole run: the counts and every step.
 *
 * @param policy the policy run
 * @param frames the number of page frames
 * @param seed the seed of RANDOM's generator (used by no other policy)
 * @param faults references that missed, including the first load of each page (cold misses)
 * @param hits references that found their page in memory
 * @param steps one per reference, in order
 */
public record Simulation(Policy policy, int frames, long seed, int faults, int hits, List<Step> steps) {

    public Simulation {
        steps = List.copyOf(steps);
    }

    /** faults / references. */
    public double faultRate() {
        return (double) faults / steps.size();
    }
}
