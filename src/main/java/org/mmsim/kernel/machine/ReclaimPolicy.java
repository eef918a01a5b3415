package org.mmsim.kernel.machine;

import java.util.Locale;

/**
 * How page reclaim chooses its victims (machine config {@code "reclaim": {"policy": …}}).
 * {@link #KERNEL} is Linux's: active/inactive lists aged by the accessed bit (mm/vmscan.c). The
 * others replace only the choice of victim, for teaching; when and how much is reclaimed
 * (kswapd between the low and high watermarks, direct reclaim below min) stays the kernel's.
 */
public enum ReclaimPolicy {
    /** The active/inactive LRU with second-chance promotion (the default). */
    KERNEL,
    /** First in, first out: the page mapped longest ago, whatever its use. */
    FIFO,
    /** Least recently used, exactly: every access (TLB hit or miss) makes a page the youngest. */
    LRU,
    /** The clock (second chance): the oldest page whose accessed bits are clear; a set bit is cleared and the page passes. */
    CLOCK,
    /** A page chosen uniformly at random, from the machine's seed. */
    RANDOM;

    /** The config's spelling: {@code kernel}, {@code fifo}, …. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code id}, or null. */
    public static ReclaimPolicy fromId(String id) {
        for (ReclaimPolicy p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
