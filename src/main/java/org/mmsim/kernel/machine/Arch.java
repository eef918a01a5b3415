package org.mmsim.kernel.machine;

import java.util.Arrays;
import java.util.List;

/**
 * An architecture profile: the x86 paging geometry, {@code arch/x86/include/asm/pgtable_*types.h}.
 *
 * <p>Every profile uses 4 KiB pages ({@code PAGE_SHIFT} 12). {@code x86_64} walks pgd, pud, pmd,
 * pte (9 bits each, 47-bit user space); {@code x86_64-la57} adds p4d (56-bit user space);
 * {@code i386} is the classic 2-level 10/10/12 walk with a 3G/1G split and HIGHMEM above
 * 896 MiB.
 */
public enum Arch {
    X86_64("x86_64", 64, List.of("pgd", "pud", "pmd", "pte"), 46),
    X86_64_LA57("x86_64-la57", 64, List.of("pgd", "p4d", "pud", "pmd", "pte"), 52),
    I386("i386", 32, List.of("pgd", "pte"), 32);

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    private final String id;
    private final int bits;
    private final List<String> levels;
    private final int physAddressBits;

    Arch(String id, int bits, List<String> levels, int physAddressBits) {
        this.id = id;
        this.bits = bits;
        this.levels = levels;
        this.physAddressBits = physAddressBits;
    }

    /** The name clients use: {@code "x86_64"}, {@code "x86_64-la57"}, {@code "i386"}. */
    public String id() {
        return id;
    }

    /** 64 or 32: the width of a virtual address and of {@code unsigned long}. */
    public int bits() {
        return bits;
    }

    /** Page-table levels from the top: only those the architecture really has. */
    public List<String> levels() {
        return levels;
    }

    /** The physical address width the profile supports (non-PAE i386: 32 bits = 4 GiB). */
    public int physAddressBits() {
        return physAddressBits;
    }

    /** The highest physical address plus one that this profile can address. */
    public long maxPhysBytes() {
        return 1L << physAddressBits;
    }

    public boolean is64Bit() {
        return bits == 64;
    }

    /** The profile named {@code id}, or {@code null} when there is none. */
    public static Arch fromId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst().orElse(null);
    }
}
