package org.mmsim.kernel.phys;

import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.Arch;

/**
 * GFP flags: {@code gfp_t}, include/linux/gfp_types.h, with {@code gfp_zone()} and
 * {@code gfp_migratetype()} from include/linux/gfp.h. Bit values are those of Linux 6.12
 * ({@code ___GFP_*_BIT} enum; bit 9 is unused since {@code __GFP_ATOMIC} went away in 6.3).
 */
public final class Gfp {
    public static final int __GFP_DMA = 0x01;
    public static final int __GFP_HIGHMEM = 0x02;
    public static final int __GFP_DMA32 = 0x04;
    public static final int __GFP_MOVABLE = 0x08;
    public static final int __GFP_RECLAIMABLE = 0x10;
    public static final int __GFP_HIGH = 0x20;
    public static final int __GFP_IO = 0x40;
    public static final int __GFP_FS = 0x80;
    public static final int __GFP_ZERO = 0x100;
    public static final int __GFP_DIRECT_RECLAIM = 0x400;
    public static final int __GFP_KSWAPD_RECLAIM = 0x800;
    public static final int __GFP_WRITE = 0x1000;
    public static final int __GFP_NOWARN = 0x2000;
    public static final int __GFP_RETRY_MAYFAIL = 0x4000;
    public static final int __GFP_NOFAIL = 0x8000;
    public static final int __GFP_NORETRY = 0x10000;
    public static final int __GFP_MEMALLOC = 0x20000;
    public static final int __GFP_COMP = 0x40000;
    public static final int __GFP_NOMEMALLOC = 0x80000;
    public static final int __GFP_HARDWALL = 0x100000;
    public static final int __GFP_THISNODE = 0x200000;
    public static final int __GFP_ACCOUNT = 0x400000;

    public static final int __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
    public static final int GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;
    public static final int GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;
    public static final int GFP_MOVABLE_SHIFT = 3;

    public static final int GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
    public static final int GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
    public static final int GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
    public static final int GFP_NOIO = __GFP_RECLAIM;
    public static final int GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
    public static final int GFP_USER = GFP_KERNEL | __GFP_HARDWALL;
    public static final int GFP_DMA = __GFP_DMA;
    public static final int GFP_DMA32 = __GFP_DMA32;
    public static final int GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
    public static final int GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;

    private static final String[] NAMES = {
        "GFP_ATOMIC", "GFP_KERNEL", "GFP_NOWAIT", "GFP_NOIO", "GFP_NOFS", "GFP_USER", "GFP_DMA", "GFP_DMA32",
        "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
        "__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_MOVABLE", "__GFP_RECLAIMABLE", "__GFP_HIGH",
        "__GFP_IO", "__GFP_FS", "__GFP_ZERO", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_RECLAIM",
        "__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_MEMALLOC",
        "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_ACCOUNT",
    };
    private static final int[] VALUES = {
        GFP_ATOMIC, GFP_KERNEL, GFP_NOWAIT, GFP_NOIO, GFP_NOFS, GFP_USER, GFP_DMA, GFP_DMA32,
        GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE,
        __GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32, __GFP_MOVABLE, __GFP_RECLAIMABLE, __GFP_HIGH,
        __GFP_IO, __GFP_FS, __GFP_ZERO, __GFP_DIRECT_RECLAIM, __GFP_KSWAPD_RECLAIM, __GFP_RECLAIM,
        __GFP_WRITE, __GFP_NOWARN, __GFP_RETRY_MAYFAIL, __GFP_NOFAIL, __GFP_NORETRY, __GFP_MEMALLOC,
        __GFP_COMP, __GFP_NOMEMALLOC, __GFP_HARDWALL, __GFP_THISNODE, __GFP_ACCOUNT,
    };

    /**
     * {@code GFP_ZONE_BAD}: zone-modifier combinations that make no sense
     * (DMA with HIGHMEM or DMA32, DMA32 with HIGHMEM, with or without MOVABLE).
     */
    private static final int GFP_ZONE_BAD = (1 << (__GFP_DMA | __GFP_HIGHMEM))
            | (1 << (__GFP_DMA | __GFP_DMA32))
            | (1 << (__GFP_DMA32 | __GFP_HIGHMEM))
            | (1 << (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM))
            | (1 << (__GFP_MOVABLE | __GFP_HIGHMEM | __GFP_DMA))
            | (1 << (__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA))
            | (1 << (__GFP_MOVABLE | __GFP_DMA32 | __GFP_HIGHMEM))
            | (1 << (__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA | __GFP_HIGHMEM));

    private Gfp() {
    }

    /**
     * Parses {@code "GFP_KERNEL"}, {@code "GFP_KERNEL | __GFP_ZERO"}, {@code "__GFP_DMA|__GFP_HIGH"}
     * or a number ({@code "0xcc0"}) into a mask, throwing {@code KernelInputException("gfp")} on an
     * unknown name or a BAD zone combination.
     */
    public static int parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new KernelInputException("gfp", "gfp is required, e.g. GFP_KERNEL");
        }
        int mask = 0;
        // lenient about empty parts ("GFP_KERNEL|"): journals written before the API refused them
        // (requireNoEmptyFlag) must still replay to the same masks
        for (String part : expression.split("\\|")) {
            String name = part.trim();
            mask |= flagValue(name);
        }
        validate(mask);
        return mask;
    }

    /**
     * Refuses an expression with an empty flag between or around {@code |} ({@code "|"},
     * {@code "GFP_KERNEL|"}): new input only, checked before an operation is journaled, because
     * {@link #parse} reads such a part as no flag (and "|" as GFP_NOWAIT) for the journals it replays.
     */
    public static void requireNoEmptyFlag(String field, String expression) {
        if (expression == null) {
            return;
        }
        for (String part : expression.split("\\|", -1)) {
            if (part.isBlank()) {
                throw new KernelInputException(field, "'" + expression + "' has an empty flag between or around '|'");
            }
        }
    }

    private static int flagValue(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return VALUES[i];
            }
        }
        try {
            if (name.startsWith("0x") || name.startsWith("0X")) {
                return Integer.parseUnsignedInt(name.substring(2), 16);
            }
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                return Integer.parseInt(name);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new KernelInputException("gfp", "unknown GFP flag '" + name + "'");
    }

    /** Rejects masks the kernel would BUG on: bad zone modifiers, MOVABLE with RECLAIMABLE, unknown bits. */
    public static void validate(int mask) {
        if ((mask & ~0x7FFDFF) != 0) {
            throw new KernelInputException("gfp", String.format("unknown GFP bits %#x", mask & ~0x7FFDFF));
        }
        int bits = mask & GFP_ZONEMASK;
        if (((GFP_ZONE_BAD >> bits) & 1) != 0) {
            throw new KernelInputException("gfp", "GFP_ZONE_BAD: zone modifiers " + format(bits)
                    + " cannot be combined");
        }
        if ((mask & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK) {
            throw new KernelInputException("gfp", "__GFP_MOVABLE and __GFP_RECLAIMABLE cannot be combined");
        }
    }

    /**
     * {@code gfp_zone()} through {@code GFP_ZONE_TABLE}: the highest zone type the allocation may
     * use. On x86_64 {@code __GFP_HIGHMEM} means NORMAL ({@code OPT_ZONE_HIGHMEM}); on i386
     * {@code __GFP_DMA32} means NORMAL ({@code OPT_ZONE_DMA32}).
     */
    public static ZoneType gfpZone(int mask, Arch arch) {
        int bits = mask & GFP_ZONEMASK;
        if (((GFP_ZONE_BAD >> bits) & 1) != 0) {
            throw new KernelInputException("gfp", "GFP_ZONE_BAD: " + format(bits));
        }
        boolean movable = (bits & __GFP_MOVABLE) != 0;
        if ((bits & __GFP_DMA) != 0) {
            return ZoneType.DMA;
        }
        if ((bits & __GFP_DMA32) != 0) {
            return arch.is64Bit() ? ZoneType.DMA32 : ZoneType.NORMAL;
        }
        if ((bits & __GFP_HIGHMEM) != 0) {
            if (movable) {
                return ZoneType.MOVABLE;
            }
            return arch.is64Bit() ? ZoneType.NORMAL : ZoneType.HIGHMEM;
        }
        return ZoneType.NORMAL;
    }

    /** {@code gfp_migratetype()}: MOVABLE, RECLAIMABLE or UNMOVABLE. */
    public static int gfpMigratetype(int mask) {
        return (mask & GFP_MOVABLE_MASK) >>> GFP_MOVABLE_SHIFT;
    }

    /** The mask as {@code __GFP_*} names joined by {@code |}, lowest bit first. */
    public static String format(int mask) {
        if (mask == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 10; i < NAMES.length; i++) {
            int v = VALUES[i];
            if (Integer.bitCount(v) == 1 && (mask & v) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
            }
        }
        return sb.toString();
    }
}
