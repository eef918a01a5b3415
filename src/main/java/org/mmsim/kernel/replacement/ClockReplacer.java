package org.mmsim.kernel.replacement;

/**
 * CLOCK (second chance): a reference bit per slot and a hand. Any reference sets the page's bit;
 * loading a page also moves the hand to the slot after it. To choose a victim the hand clears bits
 * that are 1 and moves on until it finds a 0.
 */
final class ClockReplacer implements Replacer {

    private final int[] bits;
    private int hand;

    ClockReplacer(int slots) {
        bits = new int[slots];
    }

    @Override
    public void referenced(int slot, boolean loaded) {
        bits[slot] = 1;
        if (loaded) {
            hand = (slot + 1) % bits.length;
        }
    }

    @Override
    public Victim victim(Frames f) {
        int secondChances = 0;
        while (bits[hand] == 1) {
            bits[hand] = 0;
            hand = (hand + 1) % bits.length;
            secondChances++;
        }
        String reason = secondChances == 0
                ? "the hand was at slot " + hand + ", whose reference bit was 0"
                : "the hand cleared the reference bit of " + secondChances + (secondChances == 1 ? " page" : " pages")
                        + " (a second chance) and stopped at slot " + hand + ", whose bit was 0";
        return new Victim(hand, reason);
    }

    int hand() {
        return hand;
    }

    int bit(int slot) {
        return bits[slot];
    }
}
