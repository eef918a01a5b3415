package org.mmsim.kernel.replacement;

import java.util.Arrays;
import java.util.Locale;
import org.mmsim.kernel.KernelInputException;

/** The replacement policies of the teaching tool; see the package description for each one's rule. */
public enum Policy {
    /** First in, first out: evict the page loaded earliest. */
    FIFO,
    /** Least recently used: evict the page whose last reference is oldest. */
    LRU,
    /** Belady's optimal (MIN): evict the page whose next reference is farthest in the future. */
    OPT,
    /** Second chance with a reference bit per slot and a hand. */
    CLOCK,
    /** A slot drawn at random from the seed. */
    RANDOM;

    /** The policy with this name, case-insensitive; unknown or missing: a {@link KernelInputException} on {@code policy}. */
    public static Policy parse(String name) {
        if (name == null || name.isBlank()) {
            throw new KernelInputException("policy", "policy is required: one of " + names());
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KernelInputException("policy", "unknown policy \"" + name + "\"; one of " + names());
        }
    }

    private static String names() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }
}
