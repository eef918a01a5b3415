package org.mmsim.kernel.replacement;

import java.util.SplittableRandom;

/** RANDOM: a slot drawn uniformly from a generator seeded by the request, so a seed replays exactly. */
final class RandomReplacer implements Replacer {

    private final SplittableRandom random;

    RandomReplacer(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public Victim victim(Frames f) {
        int slot = random.nextInt(f.slots());
        return new Victim(slot, "slot " + slot + " was drawn at random");
    }
}
