package org.mmsim.kernel.replacement;

/** FIFO: the page loaded earliest goes. Hits change nothing. */
final class FifoReplacer implements Replacer {

    @Override
    public Victim victim(Frames f) {
        int victim = 0;
        for (int s = 1; s < f.slots(); s++) {
            if (f.loadedAt[s] < f.loadedAt[victim]) {
                victim = s;
            }
        }
        return new Victim(victim, "page " + f.page[victim] + " was loaded first (at time " + f.loadedAt[victim]
                + ") of the pages in memory");
    }
}
