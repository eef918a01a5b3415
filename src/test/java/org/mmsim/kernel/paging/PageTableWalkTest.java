package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Arch;

/** The x86 MMU walk: index = (va >> SHIFT) & (PTRS_PER_* − 1) at each level the profile really has. */
class PageTableWalkTest {
    private final RecordingTableAllocator allocator = new RecordingTableAllocator();

    private static List<String> names(PageTable.Walk walk) {
        return walk.levels().stream().map(PageTable.Level::name).toList();
    }

    private static List<Integer> indexes(PageTable.Walk walk) {
        return walk.levels().stream().map(PageTable.Level::index).toList();
    }

    @Test
    void i386LinearAddress0x080495b0ShouldWalkDirectoryEntry32AndTableEntry73() {
        PageTable pt = PageTable.create(Arch.I386, allocator);
        long va = 0x080495b0L;
        long pte = Pte.mk(0x1f3, Pte.protToPte(true, false, true, Arch.I386));
        assertThat(pt.set(va & ~0xfffL, pte)).isTrue();

        PageTable.Walk walk = pt.walk(va);

        assertThat(names(walk)).containsExactly("pgd", "pte");
        assertThat(indexes(walk)).containsExactly(32, 73);
        assertThat(va & (Arch.PAGE_SIZE - 1)).isEqualTo(0x5b0);
        assertThat(walk.complete()).isTrue();
        assertThat(walk.pte()).isEqualTo(pte);
        PageTable.Level pde = walk.levels().get(0);
        assertThat(pde.tablePfn()).isEqualTo(pt.pgdPfn());
        long ptePagePfn = walk.levels().get(1).tablePfn();
        assertThat(pde.entry()).isEqualTo(Pte._PAGE_TABLE | ptePagePfn << 12);
        assertThat(Pte.hex(pde.entry(), Arch.I386)).hasSize(10);
        assertThat(PageTable.pteIndex(va, Arch.I386)).isEqualTo(73);
        assertThat(PageTable.pmdSize(Arch.I386)).isEqualTo(4L << 20);
        assertThat(pt.pgtablesBytes()).isEqualTo(4096);
        assertThat(pt.nrTablePages()).isEqualTo(2);
    }

    @Test
    void x86_64ShouldWalkPgdPudPmdPteWithP4dFolded() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x7ffff7dd1000L, Pte.mk(42, Pte.PAGE_READONLY));

        PageTable.Walk ld = pt.walk(0x7ffff7dd1000L);
        PageTable.Walk pie = pt.walk(0x555555554000L);

        assertThat(names(ld)).containsExactly("pgd", "pud", "pmd", "pte");
        assertThat(indexes(ld)).containsExactly(255, 511, 446, 465);
        assertThat(ld.complete()).isTrue();
        assertThat(Pte.pfn(ld.pte())).isEqualTo(42);
        assertThat(PageTable.pteIndex(0x7ffff7dd1000L, Arch.X86_64)).isEqualTo(465);
        // ELF_ET_DYN_BASE: its pgd entry 170 is none, so the walk stops there.
        assertThat(indexes(pie)).containsExactly(170);
        assertThat(pie.levels().get(0).entry()).isZero();
        assertThat(pie.complete()).isFalse();
        assertThat(pt.cr3()).isEqualTo(pt.pgdPfn() << 12);
    }

    @Test
    void la57ShouldWalkFiveLevelsThroughP4d() {
        PageTable pt = PageTable.create(Arch.X86_64_LA57, allocator);
        pt.set(0x555555554000L, Pte.mk(9, Pte.PAGE_READONLY_EXEC));

        PageTable.Walk walk = pt.walk(0x555555554000L);

        assertThat(names(walk)).containsExactly("pgd", "p4d", "pud", "pmd", "pte");
        assertThat(indexes(walk)).containsExactly(0, 170, 341, 170, 340);
        assertThat(walk.complete()).isTrue();
        // A 56-bit address uses pgd entry 0xff: only LA57 can map it.
        assertThat(pt.set(0x00ff_ffff_ffff_f000L, Pte.mk(10, Pte.PAGE_READONLY))).isTrue();
        assertThat(indexes(pt.walk(0x00ff_ffff_ffff_f000L)).get(0)).isEqualTo(255);
        // mm_pgtables_bytes counts pud, pmd and pte pages, never p4d (__p4d_alloc has no mm_inc_nr_p4ds).
        assertThat(pt.nrTablePages()).isEqualTo(1 + 2 * 4);
        assertThat(pt.pgtablesBytes()).isEqualTo(2 * 3 * 4096);
    }

    @Test
    void kernelHalfAddressShouldStopAtAnEmptyPgdEntryAndNonCanonicalShouldBeRejected() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        PageTable.Walk walk = pt.walk(0xffff888000000000L);
        assertThat(indexes(walk)).containsExactly(273);
        assertThat(walk.complete()).isFalse();
        assertThat(pt.get(0xffff888000000000L)).isZero();
        assertThatThrownBy(() -> pt.walk(0x8000_0000_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pt.set(1L << 48, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
