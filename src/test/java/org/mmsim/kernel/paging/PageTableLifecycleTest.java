package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mmsim.kernel.machine.Arch;

/**
 * Table pages over a process's life: pgd_alloc, lazy pud/pmd/pte_alloc on the first fault,
 * free_pgd_range's floor/ceiling rules on munmap (mm/memory.c), and exit_mmap + pgd_free.
 */
class PageTableLifecycleTest {
    private static final long PTE = Pte.mk(0x777, Pte.PAGE_SHARED);
    private final RecordingTableAllocator allocator = new RecordingTableAllocator();

    @Test
    void firstMappingShouldAllocateOnePudOnePmdAndOnePteTable() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        assertThat(pt.nrTablePages()).isEqualTo(1);
        assertThat(pt.pgtablesBytes()).isZero();

        assertThat(pt.set(0x400000, PTE)).isTrue();

        assertThat(pt.pgtablesBytes()).isEqualTo(12288);
        assertThat(pt.nrTablePages()).isEqualTo(4);
        assertThat(allocator.live()).hasSize(4);
        assertThat(pt.get(0x400000)).isEqualTo(PTE);
        assertThat(pt.tablePages()).extracting(PageTable.TablePage::level)
                .containsExactly("pgd", "pud", "pmd", "pte");
        // A neighbour in the same 2 MiB reuses the pte table.
        pt.set(0x5ff000, PTE);
        assertThat(pt.nrTablePages()).isEqualTo(4);
        pt.checkInvariants();
    }

    @Test
    void failedTableAllocationShouldLeaveNothingChanged() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        allocator.failAfter(2);

        assertThat(pt.set(0x400000, PTE)).isFalse();

        assertThat(pt.nrTablePages()).isEqualTo(1);
        assertThat(pt.pgtablesBytes()).isZero();
        assertThat(allocator.live()).containsExactly(pt.pgdPfn());
        assertThat(pt.get(0x400000)).isZero();
        assertThat(pt.walk(0x400000).levels()).hasSize(1);
        pt.checkInvariants();

        allocator.unlimited();
        pt.set(0x400000, PTE);
        allocator.failAfter(0);
        assertThat(pt.set(0x400000 + (2L << 20), PTE)).isFalse();
        assertThat(pt.pteTable(0x400000 + (2L << 20), true)).isNull();
        assertThat(pt.set(0x401000, PTE)).isTrue();
        assertThat(pt.nrTablePages()).isEqualTo(4);
        pt.checkInvariants();
    }

    @Test
    void munmapNextToAMappedVmaShouldKeepTheSharedPteTable() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x400000, PTE);               // VMA A [0x400000, 0x401000)
        pt.set(0x401000, PTE);               // VMA B [0x401000, 0x403000)

        pt.clear(0x401000);
        pt.freePgdRange(0x401000, 0x403000, 0x401000, 0);

        assertThat(pt.pgtablesBytes()).isEqualTo(12288);
        assertThat(pt.get(0x400000)).isEqualTo(PTE);
        pt.checkInvariants();
    }

    @Test
    void floorShouldKeepAnEmptyPteTableThatThePreviousVmaMayStillFault() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x401000, PTE);               // VMA A [0x400000, 0x401000) never touched

        pt.clear(0x401000);
        pt.freePgdRange(0x401000, 0x403000, 0x401000, 0);

        assertThat(pt.pgtablesBytes()).isEqualTo(12288);
        assertThat(pt.tablePages().get(3).nrEntries()).isZero();
        pt.checkInvariants();
    }

    @Test
    void munmapOfTheOnlyVmaShouldFreeItsPtePmdAndPudTables() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x401000, PTE);
        pt.set(0x402000, PTE);

        pt.updateRange(0x401000, 0x403000, (va, e) -> 0);
        pt.freePgdRange(0x401000, 0x403000, 0, 0);

        assertThat(pt.pgtablesBytes()).isZero();
        assertThat(pt.nrTablePages()).isEqualTo(1);
        assertThat(allocator.live()).containsExactly(pt.pgdPfn());
        assertThat(pt.get(0x401000)).isZero();
        pt.checkInvariants();
    }

    @Test
    void ceilingInTheSamePudShouldFreeOnlyThePteTable() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x400000, PTE);               // VMA A [0x400000, 0x401000)
        pt.set(0x800000, PTE);               // VMA C [0x800000, ...): same pmd table

        pt.clear(0x400000);
        pt.freePgdRange(0x400000, 0x401000, 0, 0x800000);

        // free_pmd_range: ceiling 0x800000 & PUD_MASK is 0, so the pmd table stays.
        assertThat(pt.nrTablePages()).isEqualTo(4);
        assertThat(pt.pgtablesBytes()).isEqualTo(12288);
        assertThat(pt.tablePages()).extracting(PageTable.TablePage::address)
                .containsExactly(0L, 0L, 0L, 0x800000L);
        pt.checkInvariants();
    }

    @Test
    void tableStillHoldingEntriesShouldNotBeFreedEvenWhenTheRangeSaysSo() {
        PageTable pt = PageTable.create(Arch.X86_64, allocator);
        pt.set(0x400000, PTE);
        pt.set(0x401000, PTE);

        pt.freePgdRange(0x400000, 0x401000, 0, 0);

        assertThat(pt.get(0x401000)).isEqualTo(PTE);
        assertThat(pt.nrTablePages()).isEqualTo(4);
        pt.checkInvariants();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void exitShouldFreeEveryTablePageIncludingThePgd(Arch arch) {
        PageTable pt = PageTable.create(arch, allocator);
        long[] addresses = {0x1000, 0x08048000L, 0x40000000L, 0xbffff000L, 0x7f0000000000L & (arch.is64Bit() ? -1 : 0)};
        for (long va : addresses) {
            pt.set(va, PTE);
        }
        long[] table = pt.pteTable(0x3000, false);
        table[PageTable.pteIndex(0x3000, arch)] = PTE;   // a direct write through pte_offset_map
        pt.checkInvariants();
        assertThat(allocator.live()).hasSize((int) pt.nrTablePages());

        assertThatThrownBy(pt::destroy).isInstanceOf(IllegalStateException.class);
        assertThat(allocator.frees).isZero();

        pt.updateRange(0, 0, (va, e) -> 0);
        pt.updateRange(0, Long.MAX_VALUE, (va, e) -> 0);
        pt.destroy();

        assertThat(allocator.live()).isEmpty();
        assertThat(allocator.frees).isEqualTo(allocator.allocations);
    }

    @Test
    void i386FreePgdRangeShouldUseFourMegabytePteTables() {
        PageTable pt = PageTable.create(Arch.I386, allocator);
        pt.set(0x08048000L, PTE);
        pt.set(0x08400000L, PTE);            // the next 4 MiB: a second pte table
        pt.clear(0x08400000L);

        pt.freePgdRange(0x08400000L, 0x08401000L, 0x08049000L, 0xc0000000L);

        assertThat(pt.nrTablePages()).isEqualTo(2);
        assertThat(pt.pgtablesBytes()).isEqualTo(4096);
        pt.clear(0x08048000L);
        pt.freePgdRange(0x08048000L, 0x08049000L, 0, 0);
        assertThat(pt.nrTablePages()).isEqualTo(1);
        pt.checkInvariants();
    }
}
