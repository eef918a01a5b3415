package org.mmsim.kernel.replacement;

/**
 * OPT (Belady's MIN): the page whose next reference is farthest in the future goes; a page never
 * referenced again before any other; among several never referenced again, the lowest slot.
 * Two pages cannot share a finite next use, so that is the only tie.
 */
final class OptReplacer implements Replacer {

    @Override
    public Victim victim(Frames f) {
        int victim = 0;
        int never = f.nextUse[0] == Frames.NEVER ? 1 : 0;
        for (int s = 1; s < f.slots(); s++) {
            if (f.nextUse[s] == Frames.NEVER) {
                never++;
            }
            if (f.nextUse[s] > f.nextUse[victim]) {
                victim = s;
            }
        }
        int page = f.page[victim];
        if (never == 0) {
            return new Victim(victim, "page " + page + " is referenced again farthest in the future (at time "
                    + f.nextUse[victim] + ")");
        }
        return new Victim(victim, "page " + page + " is never referenced again"
                + (never > 1 ? " (the lowest slot of " + never + " such pages)" : ""));
    }
}
