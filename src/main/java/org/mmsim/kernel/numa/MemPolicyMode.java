package org.mmsim.kernel.numa;

import org.mmsim.kernel.KernelInputException;

/** A policy mode: {@code enum} of include/uapi/linux/mempolicy.h with its numeric value. */
public enum MemPolicyMode {
    DEFAULT(0),
    PREFERRED(1),
    BIND(2),
    INTERLEAVE(3),
    LOCAL(4),
    PREFERRED_MANY(5),
    WEIGHTED_INTERLEAVE(6);

    private final int value;

    MemPolicyMode(int value) {
        this.value = value;
    }

    /** The value {@code set_mempolicy(2)} takes. */
    public int value() {
        return value;
    }

    /** The kernel's name, {@code "MPOL_BIND"}. */
    public String kernelName() {
        return "MPOL_" + name();
    }

    /** Parses {@code "MPOL_BIND"} or {@code "bind"}; throws {@code KernelInputException("policy.mode")}. */
    public static MemPolicyMode parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(java.util.Locale.ROOT);
            if (n.startsWith("MPOL_")) {
                n = n.substring(5);
            }
            for (MemPolicyMode m : values()) {
                if (m.name().equals(n)) {
                    return m;
                }
            }
        }
        throw new KernelInputException("policy.mode", "unknown memory policy mode '" + name + "'");
    }
}
