package org.mmsim.kernel.replacement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mmsim.kernel.KernelInputException;

/**
 * Runs a reference string against a number of page frames under one policy and records every step.
 * Stateless and deterministic: the same arguments give the same {@link Simulation}. The rules and
 * the slot order of the table are in the package description.
 */
public final class ReplacementSimulator {

    /** RANDOM's seed when the caller gives none. */
    public static final long DEFAULT_SEED = 0;
    /** The most page frames a run may have. */
    public static final int MAX_FRAMES = 1024;
    /** The longest reference string. */
    public static final int MAX_REFERENCES = 100_000;
    /** The largest table, frames × references: bounds the size of the answer. */
    public static final int MAX_TABLE_CELLS = 1_000_000;

    private ReplacementSimulator() {
    }

    /** {@link #simulate(Policy, int, int[], long)} with the {@link #DEFAULT_SEED}. */
    public static Simulation simulate(Policy policy, int frames, int[] references) {
        return simulate(policy, frames, references, DEFAULT_SEED);
    }

    /**
     * The run of {@code references} on {@code frames} page frames, all free at the start.
     *
     * @throws KernelInputException naming {@code policy}, {@code frames}, {@code references} or
     *     {@code references[i]} when one is missing or out of range
     */
    public static Simulation simulate(Policy policy, int frames, int[] references, long seed) {
        validate(policy, frames, references);
        int[] next = nextUses(references);
        Frames f = new Frames(frames);
        Replacer replacer = Replacer.of(policy, frames, seed);
        Map<Integer, Integer> slotOf = new HashMap<>();
        List<Step> steps = new ArrayList<>(references.length);
        List<Integer> shownFrames = List.of();
        int faults = 0;
        for (int t = 0; t < references.length; t++) {
            int page = references[t];
            Integer slot = slotOf.get(page);
            boolean hit = slot != null;
            Victim victim = null;
            Integer evicted = null;
            if (hit) {
                replacer.referenced(slot, false);
            } else {
                faults++;
                if (f.full()) {
                    victim = replacer.victim(f);
                    slot = victim.slot();
                    evicted = f.page[slot];
                    slotOf.remove(evicted);
                } else {
                    slot = f.used++;
                }
                f.page[slot] = page;
                f.loadedAt[slot] = t;
                slotOf.put(page, slot);
                replacer.referenced(slot, true);
                shownFrames = column(f.page, f.used);
            }
            f.lastUsed[slot] = t;
            f.nextUse[slot] = next[t];
            steps.add(step(policy, f, replacer, t, page, hit, slot, evicted, victim, shownFrames));
        }
        return new Simulation(policy, frames, seed, faults, references.length - faults, steps);
    }

    private static Step step(Policy policy, Frames f, Replacer replacer, int t, int page, boolean hit, int slot,
            Integer evicted, Victim victim, List<Integer> frames) {
        String reason = victim == null ? null : victim.reason();
        Integer hand = null;
        List<Integer> bits = null;
        if (replacer instanceof ClockReplacer clock) {
            hand = clock.hand();
            Integer[] b = new Integer[f.used];
            for (int s = 0; s < f.used; s++) {
                b[s] = clock.bit(s);
            }
            bits = List.of(b);
        }
        return new Step(t, page, hit, slot, evicted, reason, frames, hand, bits,
                policy == Policy.FIFO ? column(f.loadedAt, f.used) : null,
                policy == Policy.LRU ? column(f.lastUsed, f.used) : null,
                policy == Policy.OPT ? nextUseColumn(f) : null);
    }

    private static List<Integer> column(int[] values, int used) {
        Integer[] boxed = new Integer[used];
        for (int s = 0; s < used; s++) {
            boxed[s] = values[s];
        }
        return List.of(boxed);
    }

    private static List<Integer> nextUseColumn(Frames f) {
        Integer[] boxed = new Integer[f.used];
        for (int s = 0; s < f.used; s++) {
            boxed[s] = f.nextUse[s] == Frames.NEVER ? null : f.nextUse[s];
        }
        return Collections.unmodifiableList(Arrays.asList(boxed));
    }

    /** For each time, when the same page is referenced next, or {@link Frames#NEVER}. */
    private static int[] nextUses(int[] references) {
        int[] next = new int[references.length];
        Map<Integer, Integer> seen = new HashMap<>();
        for (int t = references.length - 1; t >= 0; t--) {
            Integer later = seen.put(references[t], t);
            next[t] = later == null ? Frames.NEVER : later;
        }
        return next;
    }

    private static void validate(Policy policy, int frames, int[] references) {
        if (policy == null) {
            throw new KernelInputException("policy", "policy is required");
        }
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new KernelInputException("frames", "frames must be 1.." + MAX_FRAMES + ", not " + frames);
        }
        if (references == null || references.length == 0) {
            throw new KernelInputException("references", "references must hold at least one page number");
        }
        if (references.length > MAX_REFERENCES) {
            throw new KernelInputException("references", "references may hold at most " + MAX_REFERENCES
                    + " page numbers, not " + references.length);
        }
        if ((long) frames * references.length > MAX_TABLE_CELLS) {
            throw new KernelInputException("references", "with " + frames + " frames references may hold at most "
                    + MAX_TABLE_CELLS / frames + " page numbers (frames × references ≤ " + MAX_TABLE_CELLS
                    + "), not " + references.length);
        }
        for (int i = 0; i < references.length; i++) {
            if (references[i] < 0) {
                throw new KernelInputException("references[" + i + "]", "page numbers must be 0 or more, not "
                        + references[i]);
            }
        }
    }
}
