package org.mmsim.kernel.mm;

/**
 * The {@code flags} argument of mmap(2): {@code MAP_*} in include/uapi/asm-generic/mman-common.h,
 * include/uapi/linux/mman.h and arch/x86/include/uapi/asm/mman.h, with x86 values.
 */
public final class MmapFlags {
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_32BIT = 0x40;
    public static final int MAP_GROWSDOWN = 0x100;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    /** Like MAP_FIXED but fails with EEXIST instead of replacing what is there (since 4.17). */
    public static final int MAP_FIXED_NOREPLACE = 0x100000;

    private static final String[] NAMES = {"MAP_SHARED", "MAP_PRIVATE", "MAP_FIXED", "MAP_ANONYMOUS", "MAP_32BIT",
        "MAP_GROWSDOWN", "MAP_NORESERVE", "MAP_POPULATE", "MAP_FIXED_NOREPLACE", "MAP_ANON"};
    private static final int[] VALUES = {MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_32BIT,
        MAP_GROWSDOWN, MAP_NORESERVE, MAP_POPULATE, MAP_FIXED_NOREPLACE, MAP_ANONYMOUS};

    private MmapFlags() {
    }

    /** Parses {@code ["MAP_PRIVATE", "MAP_ANONYMOUS"]}; an unknown name is a caller error naming {@code field}. */
    public static int parse(java.util.List<String> names, String field) {
        int flags = 0;
        if (names == null) {
            return 0;
        }
        for (String n : names) {
            int v = -1;
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(n == null ? "" : n.trim())) {
                    v = VALUES[i];
                }
            }
            if (v < 0) {
                throw new org.mmsim.kernel.KernelInputException(field, "unknown mmap flag '" + n + "': use "
                        + String.join(", ", java.util.Arrays.copyOf(NAMES, NAMES.length - 1)));
            }
            flags |= v;
        }
        return flags;
    }

    /** The names of the set flags, in the order above. */
    public static java.util.List<String> names(int flags) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length - 1; i++) {
            if ((flags & VALUES[i]) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
