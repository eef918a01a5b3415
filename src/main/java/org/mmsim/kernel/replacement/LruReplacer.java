package org.mmsim.kernel.replacement;

/** LRU: the page whose last reference is oldest goes. */
final class LruReplacer implements Replacer {

    @Override
    public Victim victim(Frames f) {
        int victim = 0;
        for (int s = 1; s < f.slots(); s++) {
            if (f.lastUsed[s] < f.lastUsed[victim]) {
                victim = s;
            }
        }
        return new Victim(victim, "page " + f.page[victim] + " was used least recently (at time "
                + f.lastUsed[victim] + ")");
    }
}
