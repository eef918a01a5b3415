package org.mmsim.kernel.paging;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.machine.Arch;

/**
 * Page-table entry codecs: {@code pte_t} and its accessors, arch/x86/include/asm/pgtable_types.h
 * and arch/x86/include/asm/pgtable.h.
 *
 * <p>An entry is a plain {@code long} holding the value the MMU reads: flag bits 0–11, the frame
 * number in bits 12–51 ({@code PTE_PFN_MASK}), software bits 57–58, protection keys 59–62 and NX
 * in bit 63. On non-PAE i386 an entry is 32 bits wide and has no NX, so its values stay below
 * 2<sup>32</sup>. Worked example: a writable, dirty anonymous page at pfn 0x12345 on x86_64 is
 * {@code 0x8000000012345867} = NX | pfn &lt;&lt; 12 | SOFT_DIRTY | DIRTY | ACCESSED | USER | RW |
 * PRESENT.
 *
 * <p>{@link #none(long)} (the value 0) and {@link #present(long)} are different tests: a
 * non-present, non-zero entry is a swap or migration entry ({@code is_swap_pte}).
 *
 * <p>Simplifications: no shadow stacks ({@code X86_USER_SHADOW_STACK} off, so
 * {@link #wrprotect(long)} only clears RW and {@code SAVED_DIRTY} is never set), no L1TF pfn
 * inversion of PROT_NONE entries (pgtable-invert.h), no memory encryption bit.
 */
public final class Pte {
    public static final int _PAGE_BIT_PRESENT = 0;
    public static final int _PAGE_BIT_RW = 1;
    public static final int _PAGE_BIT_USER = 2;
    public static final int _PAGE_BIT_PWT = 3;
    public static final int _PAGE_BIT_PCD = 4;
    public static final int _PAGE_BIT_ACCESSED = 5;
    public static final int _PAGE_BIT_DIRTY = 6;
    /** 2 MiB/1 GiB (4 MiB on i386) page in a pmd/pud/pgd entry; the same bit is PAT in a 4K PTE. */
    public static final int _PAGE_BIT_PSE = 7;
    public static final int _PAGE_BIT_GLOBAL = 8;
    public static final int _PAGE_BIT_SOFTW1 = 9;
    public static final int _PAGE_BIT_SOFTW2 = 10;
    public static final int _PAGE_BIT_SOFTW3 = 11;
    public static final int _PAGE_BIT_SOFTW4 = 57;
    public static final int _PAGE_BIT_SOFTW5 = 58;
    public static final int _PAGE_BIT_PKEY_BIT0 = 59;
    public static final int _PAGE_BIT_NX = 63;
    public static final int _PAGE_BIT_SPECIAL = _PAGE_BIT_SOFTW1;
    /** userfaultfd write-protected; x86_64 only ({@code CONFIG_HAVE_ARCH_USERFAULTFD_WP}). */
    public static final int _PAGE_BIT_UFFD_WP = _PAGE_BIT_SOFTW2;
    /** Soft-dirty tracking; x86_64 only ({@code CONFIG_MEM_SOFT_DIRTY}). */
    public static final int _PAGE_BIT_SOFT_DIRTY = _PAGE_BIT_SOFTW3;
    /** When PRESENT is clear, GLOBAL marks a PROT_NONE mapping ({@code pte_present} is true). */
    public static final int _PAGE_BIT_PROTNONE = _PAGE_BIT_GLOBAL;

    public static final long _PAGE_PRESENT = 1L << _PAGE_BIT_PRESENT;
    public static final long _PAGE_RW = 1L << _PAGE_BIT_RW;
    public static final long _PAGE_USER = 1L << _PAGE_BIT_USER;
    public static final long _PAGE_PWT = 1L << _PAGE_BIT_PWT;
    public static final long _PAGE_PCD = 1L << _PAGE_BIT_PCD;
    public static final long _PAGE_ACCESSED = 1L << _PAGE_BIT_ACCESSED;
    public static final long _PAGE_DIRTY = 1L << _PAGE_BIT_DIRTY;
    public static final long _PAGE_PSE = 1L << _PAGE_BIT_PSE;
    public static final long _PAGE_GLOBAL = 1L << _PAGE_BIT_GLOBAL;
    public static final long _PAGE_SPECIAL = 1L << _PAGE_BIT_SPECIAL;
    public static final long _PAGE_UFFD_WP = 1L << _PAGE_BIT_UFFD_WP;
    public static final long _PAGE_SOFT_DIRTY = 1L << _PAGE_BIT_SOFT_DIRTY;
    public static final long _PAGE_PROTNONE = 1L << _PAGE_BIT_PROTNONE;
    /** No-execute. 64-bit only: non-PAE i386 has no NX ({@code _PAGE_NX} is 0 there). */
    public static final long _PAGE_NX = 1L << _PAGE_BIT_NX;

    /** Bits 12–51: {@code __PHYSICAL_MASK_SHIFT} is 52 on x86_64; i386 frames stay below bit 32. */
    public static final long PTE_PFN_MASK = ((1L << 52) - 1) & ~((1L << Arch.PAGE_SHIFT) - 1);
    public static final long PTE_FLAGS_MASK = ~PTE_PFN_MASK;

    /** The flags of a user intermediate entry (pgd/p4d/pud/pmd pointing at a table): 0x67. */
    public static final long _PAGE_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED
            | _PAGE_DIRTY;

    /** {@code PAGE_NONE}: not present to the MMU, but present to Linux (PROT_NONE). */
    public static final long PAGE_NONE = _PAGE_PROTNONE | _PAGE_ACCESSED;
    public static final long PAGE_SHARED = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED
            | _PAGE_NX;
    public static final long PAGE_SHARED_EXEC = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER
            | _PAGE_ACCESSED;
    public static final long PAGE_COPY_NOEXEC = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX;
    public static final long PAGE_COPY_EXEC = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
    public static final long PAGE_COPY = PAGE_COPY_NOEXEC;
    public static final long PAGE_READONLY = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX;
    public static final long PAGE_READONLY_EXEC = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

    /**
     * {@code protection_map[16]}, arch/x86/mm/pgprot.c, indexed by
     * {@code vm_flags & (VM_READ|VM_WRITE|VM_EXEC|VM_SHARED)} (1, 2, 4, 8). A private writable
     * mapping gets PAGE_COPY (read-only) so that the first write faults and copies.
     */
    private static final long[] PROTECTION_MAP = {
        PAGE_NONE, PAGE_READONLY, PAGE_COPY, PAGE_COPY,
        PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_COPY_EXEC, PAGE_COPY_EXEC,
        PAGE_NONE, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED,
        PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_SHARED_EXEC, PAGE_SHARED_EXEC,
    };
    private static final int VM_READ = 0x1;
    private static final int VM_WRITE = 0x2;
    private static final int VM_EXEC = 0x4;
    private static final int VM_SHARED = 0x8;

    private Pte() {
    }

    /** {@code pte_none()}: the entry is empty (no page, no swap entry). */
    public static boolean none(long e) {
        return e == 0;
    }

    /** {@code pte_present()}: PRESENT, or a PROT_NONE mapping (PROTNONE without PRESENT). */
    public static boolean present(long e) {
        return (e & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0;
    }

    /** {@code pte_protnone()}: a PROT_NONE (or NUMA-hinting) entry the MMU sees as not present. */
    public static boolean protnone(long e) {
        return (e & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
    }

    /** {@code pte_pfn()}: the frame number in bits 12–51. */
    public static long pfn(long e) {
        return (e & PTE_PFN_MASK) >>> Arch.PAGE_SHIFT;
    }

    /** {@code pte_flags()}: every bit outside the frame number. */
    public static long flags(long e) {
        return e & PTE_FLAGS_MASK;
    }

    /** {@code pfn_pte()}: frame {@code pfn} with {@code flagBits} (a {@code pgprot}, e.g. {@link #PAGE_READONLY}). */
    public static long mk(long pfn, long flagBits) {
        return ((pfn << Arch.PAGE_SHIFT) & PTE_PFN_MASK) | (flagBits & PTE_FLAGS_MASK);
    }

    /** {@code pte_write()}: RW is set. */
    public static boolean write(long e) {
        return (e & _PAGE_RW) != 0;
    }

    /** {@code pte_dirty()}: the CPU (or the kernel) marked the page written. */
    public static boolean dirty(long e) {
        return (e & _PAGE_DIRTY) != 0;
    }

    /** {@code pte_young()}: ACCESSED is set. */
    public static boolean young(long e) {
        return (e & _PAGE_ACCESSED) != 0;
    }

    /** {@code pte_special()}: no {@code struct page} to account (the zero page, PFN maps). */
    public static boolean special(long e) {
        return (e & _PAGE_SPECIAL) != 0;
    }

    /** {@code pte_soft_dirty()}. */
    public static boolean softDirty(long e) {
        return (e & _PAGE_SOFT_DIRTY) != 0;
    }

    /** {@code pte_uffd_wp()}. */
    public static boolean uffdWp(long e) {
        return (e & _PAGE_UFFD_WP) != 0;
    }

    /** {@code pte_exec()}: NX is clear (always true on i386, which has no NX). */
    public static boolean exec(long e) {
        return (e & _PAGE_NX) == 0;
    }

    /** {@code SWP_TYPE_BITS}: 5 bits of swap type (32 swap devices) on both x86 layouts. */
    public static final int SWP_TYPE_BITS = 5;
    /** {@code SWP_OFFSET_FIRST_BIT}: the offset starts above PROTNONE (bit 8), so a swap PTE is never PROT_NONE. */
    public static final int SWP_OFFSET_FIRST_BIT = _PAGE_BIT_PROTNONE + 1;
    /** {@code SWP_OFFSET_SHIFT}, pgtable_64.h: the offset is shifted up past the type, then down. */
    public static final int SWP_OFFSET_SHIFT = SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS;
    /** {@code _SWP_TYPE_SHIFT}, pgtable-2level.h (non-PAE i386): the type sits just above PRESENT. */
    private static final int SWP_TYPE_SHIFT_2LEVEL = _PAGE_BIT_PRESENT + 1;

    /**
     * {@code is_swap_pte()}: not none and not present, i.e. a swap entry (the simulator makes no
     * migration or device entries, so every such PTE is a swap entry).
     */
    public static boolean isSwap(long e) {
        return e != 0 && !present(e);
    }

    /**
     * {@code swp_entry_to_pte(swp_entry(type, offset))}. On x86_64 (pgtable_64.h, since the L1TF
     * fix) the type is in the top 5 bits and the offset is stored inverted in bits 9–58, so the
     * "frame" bits of a not-present entry never point at real memory:
     * {@code (~offset << SWP_OFFSET_SHIFT >>> SWP_TYPE_BITS) | type << 59}; e.g. type 0, offset 1
     * is {@code 0x07fffffffffffc00}. On non-PAE i386 (pgtable-2level.h) the type is in bits 1–5
     * and the offset from bit 9 upward, not inverted: type 0, offset 1 is {@code 0x200}.
     */
    public static long swpEntry(int type, long offset, Arch arch) {
        if (arch.is64Bit()) {
            return (~offset << SWP_OFFSET_SHIFT >>> SWP_TYPE_BITS) | ((long) type << (64 - SWP_TYPE_BITS));
        }
        return ((long) (type & 0x1f) << SWP_TYPE_SHIFT_2LEVEL) | (offset << SWP_OFFSET_FIRST_BIT);
    }

    /** {@code swp_type(pte_to_swp_entry(e))}. */
    public static int swpType(long e, Arch arch) {
        if (arch.is64Bit()) {
            return (int) (e >>> (64 - SWP_TYPE_BITS));
        }
        return (int) ((e >>> SWP_TYPE_SHIFT_2LEVEL) & ((1 << SWP_TYPE_BITS) - 1));
    }

    /** {@code swp_offset(pte_to_swp_entry(e))}. */
    public static long swpOffset(long e, Arch arch) {
        if (arch.is64Bit()) {
            return ~e << SWP_TYPE_BITS >>> SWP_OFFSET_SHIFT;
        }
        return (e & 0xffffffffL) >>> SWP_OFFSET_FIRST_BIT;
    }

    /** {@code pte_mkwrite_novma()}: sets RW. */
    public static long mkwrite(long e) {
        return e | _PAGE_RW;
    }

    /** {@code pte_wrprotect()}: clears RW. */
    public static long wrprotect(long e) {
        return e & ~_PAGE_RW;
    }

    /**
     * {@code pte_mkdirty()}: sets DIRTY. The simulated kernel is built without
     * {@code CONFIG_MEM_SOFT_DIRTY} (the live smaps LINUX.md captured shows no {@code sd} flag),
     * so {@code _PAGE_SOFT_DIRTY} is never set, as on i386.
     */
    public static long mkdirty(long e) {
        return e | _PAGE_DIRTY;
    }

    /** {@link #mkdirty(long)}; the architecture does not change it. */
    public static long mkdirty(long e, Arch arch) {
        return e | _PAGE_DIRTY;
    }

    public static long mkclean(long e) {
        return e & ~_PAGE_DIRTY;
    }

    /** {@code pte_mkyoung()}: sets ACCESSED. */
    public static long mkyoung(long e) {
        return e | _PAGE_ACCESSED;
    }

    /** {@code pte_mkold()}: clears ACCESSED. */
    public static long mkold(long e) {
        return e & ~_PAGE_ACCESSED;
    }

    /** {@code pte_mkspecial()}: sets SPECIAL (SOFTW1). */
    public static long mkspecial(long e) {
        return e | _PAGE_SPECIAL;
    }

    /**
     * {@code vm_get_page_prot()}, arch/x86/mm/pgprot.c: {@code protection_map[vm_flags & 0xf]},
     * masked by {@code __supported_pte_mask} (no NX on i386) when present. {@code vmFlags} uses
     * the kernel's {@code VM_READ} 0x1, {@code VM_WRITE} 0x2, {@code VM_EXEC} 0x4, {@code
     * VM_SHARED} 0x8; other bits are ignored (no protection keys).
     */
    public static long vmGetPageProt(long vmFlags, Arch arch) {
        long val = PROTECTION_MAP[(int) (vmFlags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED))];
        if ((val & _PAGE_PRESENT) != 0) {
            val &= supportedPteMask(arch);
        }
        return val;
    }

    /**
     * The {@code vm_page_prot} of a private mapping ({@code MAP_PRIVATE}) with these
     * permissions, {@code vm_get_page_prot()}: read → PAGE_READONLY (PRESENT|USER|ACCESSED|NX),
     * write → PAGE_COPY (still read-only: copy on write), exec clears NX, none → PAGE_NONE.
     */
    public static long protToPte(boolean read, boolean write, boolean exec, Arch arch) {
        return protToPte(read, write, exec, false, arch);
    }

    /** As {@link #protToPte(boolean, boolean, boolean, Arch)}; a shared writable mapping gets PAGE_SHARED (RW). */
    public static long protToPte(boolean read, boolean write, boolean exec, boolean shared, Arch arch) {
        int vmFlags = (read ? VM_READ : 0) | (write ? VM_WRITE : 0) | (exec ? VM_EXEC : 0)
                | (shared ? VM_SHARED : 0);
        return vmGetPageProt(vmFlags, arch);
    }

    /** {@code __supported_pte_mask}: everything, except NX on non-PAE i386. */
    static long supportedPteMask(Arch arch) {
        return arch.is64Bit() ? -1L : ~_PAGE_NX;
    }

    /**
     * The names of the flag bits set in {@code e}, low bit first, as
     * {@code ["PRESENT","RW","USER","ACCESSED","DIRTY","NX"]}. Bit 7 is named PSE (the same bit
     * is PAT in a 4K PTE). On i386 bit 10 is SAVED_DIRTY's SOFTW2 and bit 11 plain SOFTW3, since
     * UFFD_WP and SOFT_DIRTY are 64-bit only. Frame-number bits are not flags; any other set bit
     * without a Linux name is shown as {@code BITn}.
     */
    public static List<String> flagNames(long e, Arch arch) {
        List<String> names = new ArrayList<>(Long.bitCount(e & PTE_FLAGS_MASK));
        long flags = e & PTE_FLAGS_MASK;
        for (int bit = 0; bit < 64; bit++) {
            if ((flags & (1L << bit)) != 0) {
                names.add(bitName(bit, arch));
            }
        }
        return names;
    }

    private static String bitName(int bit, Arch arch) {
        boolean x64 = arch.is64Bit();
        switch (bit) {
            case _PAGE_BIT_PRESENT: return "PRESENT";
            case _PAGE_BIT_RW: return "RW";
            case _PAGE_BIT_USER: return "USER";
            case _PAGE_BIT_PWT: return "PWT";
            case _PAGE_BIT_PCD: return "PCD";
            case _PAGE_BIT_ACCESSED: return "ACCESSED";
            case _PAGE_BIT_DIRTY: return "DIRTY";
            case _PAGE_BIT_PSE: return "PSE";
            case _PAGE_BIT_GLOBAL: return "GLOBAL";
            case _PAGE_BIT_SPECIAL: return "SPECIAL";
            case _PAGE_BIT_SOFTW2: return x64 ? "UFFD_WP" : "SOFTW2";
            case _PAGE_BIT_SOFTW3: return x64 ? "SOFT_DIRTY" : "SOFTW3";
            case _PAGE_BIT_SOFTW4: return "SOFTW4";
            case _PAGE_BIT_SOFTW5: return "SAVED_DIRTY";
            case _PAGE_BIT_NX: return "NX";
            default:
                if (bit >= _PAGE_BIT_PKEY_BIT0 && bit < _PAGE_BIT_NX) {
                    return "PKEY_BIT" + (bit - _PAGE_BIT_PKEY_BIT0);
                }
                return "BIT" + bit;
        }
    }

    /**
     * The entry in hex, zero-padded to the entry width as the kernel prints {@code pte_val}
     * ({@code %016llx}): 16 digits on x86_64 ({@code "0x8000000012345867"}), 8 on non-PAE i386
     * ({@code "0x12345067"}).
     */
    public static String hex(long e, Arch arch) {
        String digits = Long.toHexString(e);
        int width = arch.is64Bit() ? 16 : 8;
        StringBuilder sb = new StringBuilder(2 + Math.max(width, digits.length())).append("0x");
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
