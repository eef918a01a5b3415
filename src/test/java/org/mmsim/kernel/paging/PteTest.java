package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.paging.Pte.*;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Arch;

/** The x86 PTE bits of arch/x86/include/asm/pgtable_types.h and the accessors of asm/pgtable.h. */
class PteTest {

    @Test
    void bitsShouldSitWherePgtableTypesPutsThem() {
        assertThat(_PAGE_PRESENT).isEqualTo(0x1);
        assertThat(_PAGE_RW).isEqualTo(0x2);
        assertThat(_PAGE_USER).isEqualTo(0x4);
        assertThat(_PAGE_PWT).isEqualTo(0x8);
        assertThat(_PAGE_PCD).isEqualTo(0x10);
        assertThat(_PAGE_ACCESSED).isEqualTo(0x20);
        assertThat(_PAGE_DIRTY).isEqualTo(0x40);
        assertThat(_PAGE_PSE).isEqualTo(0x80);
        assertThat(_PAGE_GLOBAL).isEqualTo(0x100);
        assertThat(_PAGE_SPECIAL).isEqualTo(0x200);
        assertThat(_PAGE_UFFD_WP).isEqualTo(0x400);
        assertThat(_PAGE_SOFT_DIRTY).isEqualTo(0x800);
        assertThat(_PAGE_NX).isEqualTo(0x8000000000000000L);
        assertThat(PTE_PFN_MASK).isEqualTo(0x000ffffffffff000L);
    }

    @Test
    void userIntermediateEntryShouldBeUnderscorePageTable0x67() {
        assertThat(_PAGE_TABLE).isEqualTo(0x67);
        assertThat(PageTable.tableEntry(0x1234)).isEqualTo(0x1234067L);
        assertThat(flagNames(_PAGE_TABLE, Arch.X86_64))
                .containsExactly("PRESENT", "RW", "USER", "ACCESSED", "DIRTY");
    }

    @Test
    void pfnPteShouldPutTheFrameInBits12To51() {
        long e = mk(0x12345, PAGE_READONLY);
        assertThat(pfn(e)).isEqualTo(0x12345);
        assertThat(e).isEqualTo(0x8000000012345025L);
        assertThat(hex(e, Arch.X86_64)).isEqualTo("0x8000000012345025");
    }

    @Test
    void protectionMapShouldMirrorX86VmGetPageProt() {
        assertThat(protToPte(true, false, false, Arch.X86_64)).isEqualTo(PAGE_READONLY)
                .isEqualTo(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX);
        // MAP_PRIVATE|PROT_WRITE is PAGE_COPY: read-only until the COW fault.
        assertThat(protToPte(true, true, false, Arch.X86_64)).isEqualTo(PAGE_COPY);
        assertThat(write(protToPte(true, true, false, Arch.X86_64))).isFalse();
        assertThat(protToPte(true, true, false, true, Arch.X86_64)).isEqualTo(PAGE_SHARED)
                .isEqualTo(PAGE_READONLY | _PAGE_RW);
        assertThat(protToPte(true, false, true, Arch.X86_64)).isEqualTo(PAGE_READONLY_EXEC);
        assertThat(protToPte(true, true, true, true, Arch.X86_64)).isEqualTo(PAGE_SHARED_EXEC);
        assertThat(protToPte(false, false, false, Arch.X86_64)).isEqualTo(PAGE_NONE);
        assertThat(vmGetPageProt(0x1 | 0x2 | 0x8, Arch.X86_64)).isEqualTo(PAGE_SHARED);
    }

    @Test
    void i386WithoutPaeShouldHaveNoNxBit() {
        long prot = protToPte(true, false, false, Arch.I386);
        assertThat(prot).isEqualTo(0x25);
        assertThat(exec(mk(0x12345, prot))).isTrue();
        assertThat(hex(mk(0x12345, prot), Arch.I386)).isEqualTo("0x12345025");
        assertThat(mkdirty(0, Arch.I386)).isEqualTo(_PAGE_DIRTY);
    }

    @Test
    void accessorsShouldSetAndClearOneBitEach() {
        long e = mk(7, PAGE_COPY);
        assertThat(write(mkwrite(e))).isTrue();
        assertThat(wrprotect(mkwrite(e))).isEqualTo(e);
        // pte_mkdirty without CONFIG_MEM_SOFT_DIRTY (the captured live kernel): DIRTY only.
        assertThat(mkdirty(e)).isEqualTo(e | _PAGE_DIRTY);
        assertThat(dirty(mkclean(mkdirty(e)))).isFalse();
        assertThat(softDirty(mkdirty(e))).isFalse();
        assertThat(young(mkold(e))).isFalse();
        assertThat(young(mkyoung(mkold(e)))).isTrue();
        assertThat(special(mkspecial(e))).isTrue();
        assertThat(exec(e)).isFalse();
    }

    @Test
    void noneAndNotPresentShouldDifferForSwapAndProtNoneEntries() {
        assertThat(none(0)).isTrue();
        assertThat(present(0)).isFalse();
        long swapLike = 0x3400;
        assertThat(none(swapLike)).isFalse();
        assertThat(present(swapLike)).isFalse();
        long protNone = mk(5, PAGE_NONE);
        assertThat(present(protNone)).isTrue();
        assertThat(protnone(protNone)).isTrue();
        assertThat(protnone(mk(5, PAGE_READONLY))).isFalse();
    }

    @Test
    void flagNamesShouldListSetBitsLowFirst() {
        long e = mkwrite(mkdirty(mk(0x12345, PAGE_COPY), Arch.X86_64));
        assertThat(flagNames(e, Arch.X86_64))
                .containsExactly("PRESENT", "RW", "USER", "ACCESSED", "DIRTY", "NX");
        assertThat(hex(e, Arch.X86_64)).isEqualTo("0x8000000012345067");
        assertThat(flagNames(0x400, Arch.I386)).containsExactly("SOFTW2");
        assertThat(flagNames(1L << 60, Arch.X86_64)).containsExactly("PKEY_BIT1");
        assertThat(hex(0, Arch.X86_64)).isEqualTo("0x0000000000000000");
    }
}
