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

    private MmapFlags() {
    }
}
