package org.mmsim.kernel.paging;

import java.util.List;
import org.mmsim.kernel.machine.Arch;

/**
 * The paging geometry of one profile: {@code PGDIR_SHIFT}, {@code P4D_SHIFT}, {@code PUD_SHIFT},
 * {@code PMD_SHIFT}, {@code PTRS_PER_*}, arch/x86/include/asm/pgtable_64_types.h and
 * pgtable-2level_types.h. Only the levels the profile really has are listed, top first; folded
 * levels have no table page.
 *
 * <p>x86_64: pgd 39, pud 30, pmd 21, pte 12, 512 entries of 8 bytes, 48-bit tree. LA57: pgd
 * 48, p4d 39, then as x86_64, 57-bit tree. i386 (non-PAE): pgd 22, pte 12, 1024 entries of 4
 * bytes, 32-bit tree ({@code PMD_SIZE} = {@code PGDIR_SIZE} = 4 MiB, the pmd is folded).
 */
final class Geometry {
    private static final Geometry X86_64 = new Geometry(Arch.X86_64, new int[] {39, 30, 21, 12}, 9, 8, 48);
    private static final Geometry LA57 = new Geometry(Arch.X86_64_LA57, new int[] {48, 39, 30, 21, 12}, 9, 8, 57);
    private static final Geometry I386 = new Geometry(Arch.I386, new int[] {22, 12}, 10, 4, 32);

    final Arch arch;
    final String[] names;
    /** {@code shift[level]}: the address bit where the index at that level starts. */
    final int[] shift;
    final int nrLevels;
    final int leafLevel;
    final int ptrsPerTable;
    final int indexMask;
    final int entryBytes;
    /** Address bits the tree translates: 48, 57 or 32. */
    final int vaBits;
    /** 2^vaBits: the first address the tree does not map. */
    final long top;
    /** {@code PMD_SIZE}: the bytes one leaf (pte) table maps. */
    final long pmdSize;
    /** Table pages at this level count in {@code mm_pgtables_bytes} (pud, pmd, pte; not pgd, not p4d). */
    final boolean[] accounted;

    private Geometry(Arch arch, int[] shift, int indexBits, int entryBytes, int vaBits) {
        this.arch = arch;
        List<String> levels = arch.levels();
        if (levels.size() != shift.length) {
            throw new IllegalStateException(arch + " has levels " + levels);
        }
        this.names = levels.toArray(new String[0]);
        this.shift = shift;
        this.nrLevels = shift.length;
        this.leafLevel = shift.length - 1;
        this.ptrsPerTable = 1 << indexBits;
        this.indexMask = ptrsPerTable - 1;
        this.entryBytes = entryBytes;
        this.vaBits = vaBits;
        this.top = 1L << vaBits;
        this.pmdSize = 1L << shift[leafLevel - 1];
        this.accounted = new boolean[shift.length];
        for (int l = 1; l < shift.length; l++) {
            accounted[l] = !names[l].equals("p4d");
        }
    }

    static Geometry of(Arch arch) {
        switch (arch) {
            case X86_64: return X86_64;
            case X86_64_LA57: return LA57;
            case I386: return I386;
            default: throw new IllegalArgumentException("no paging geometry for " + arch);
        }
    }

    int index(long va, int level) {
        return (int) (va >>> shift[level]) & indexMask;
    }

    /** The bytes one entry at {@code level} maps ({@code PGDIR_SIZE}, {@code PUD_SIZE}, …). */
    long entrySize(int level) {
        return 1L << shift[level];
    }

    /** The bytes of one table page: always 4096 ({@code PTRS_PER_* × sizeof(entry)}). */
    int tableBytes() {
        return ptrsPerTable * entryBytes;
    }
}
