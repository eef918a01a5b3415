package org.mmsim.kernel.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.task.VmSim;

/** Page tables on demand ({@code __pud_alloc}, {@code __pmd_alloc}, {@code __pte_alloc}) and {@code free_pgtables()} (LINUX.md §4). */
class PageTableAllocationTest {
    private static final long PAGE = VmSim.PAGE;
    private static final long KiB = VmSim.KiB;
    private static final long MiB = VmSim.MiB;
    /** 1 TiB: pgd entry 2, far from the program (entry 170) and the stack and mmap area (entry 255). */
    private static final long FRESH = 1L << 40;

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();

    private long pgtablesBytes() {
        return sim.mm(pid).pgd().pgtablesBytes();
    }

    /** After exec only the stack's top page is mapped: one pud, one pmd, one pte table = VmPTE 12 kB. */
    @Test
    void freshProcessShouldHaveTheTablesOfItsStackPageOnly() {
        assertThat(pgtablesBytes()).isEqualTo(12 * KiB);
        assertThat(sim.mm(pid).pgd().nrTablePages()).as("pgd + pud + pmd + pte").isEqualTo(4);
    }

    /** A mapping creates no table; the first touch in a fresh 512 GiB region allocates pud + pmd + pte (+12 KiB). */
    @Test
    void firstTouchInAFreshRegionShouldAllocatePudPmdAndPteTables() {
        long before = pgtablesBytes();
        long free = sim.machine.phys().nrFreePages();
        sim.mmap(pid, FRESH, 4 * MiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
        assertThat(pgtablesBytes()).isEqualTo(before);

        sim.touch(pid, FRESH, 1, "write");
        assertThat(pgtablesBytes() - before).isEqualTo(12 * KiB);
        assertThat(sim.machine.phys().nrFreePages()).as("3 tables + 1 page").isEqualTo(free - 4);

        sim.touch(pid, FRESH + 2 * MiB, 1, "write");
        assertThat(pgtablesBytes() - before).as("a second pte table under the same pmd").isEqualTo(16 * KiB);
        PageTable.Walk walk = sim.mm(pid).pgd().walk(FRESH);
        assertThat(walk.levels()).extracting(PageTable.Level::index).containsExactly(2, 0, 0, 0);
        for (PageTable.Level l : walk.levels()) {
            assertThat(sim.machine.phys().frame(l.tablePfn()).owner()).isEqualTo("pagetable");
        }
    }

    /** munmap of the only VMA in the region frees every table under it (free_pgtables, floor 0 / ceiling next VMA). */
    @Test
    void munmapShouldFreeTablesThatMapNothingElse() {
        long before = pgtablesBytes();
        long free = sim.machine.phys().nrFreePages();
        sim.mmap(pid, FRESH, 4 * MiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
        sim.touch(pid, FRESH, 4 * MiB, "write");

        sim.munmap(pid, FRESH, 4 * MiB);

        assertThat(pgtablesBytes()).isEqualTo(before);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free);
    }

    /** A pte table shared with a neighbouring VMA survives the munmap (it lies partly outside [floor, ceiling)). */
    @Test
    void munmapShouldKeepATableSharedWithANeighbour() {
        sim.mmap(pid, FRESH, 8 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
        sim.mmap(pid, FRESH + 8 * PAGE, 8 * PAGE, "r--", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
        sim.touch(pid, FRESH, 16 * PAGE, "read");
        long bytes = pgtablesBytes();

        sim.munmap(pid, FRESH + 8 * PAGE, 8 * PAGE);

        assertThat(pgtablesBytes()).isEqualTo(bytes);
        assertThat(sim.mm(pid).pgd().walk(FRESH).complete()).isTrue();

        sim.munmap(pid, FRESH, 8 * PAGE);
        assertThat(pgtablesBytes()).isEqualTo(bytes - 12 * KiB);
    }

    /** exit_mmap frees every table, the pgd included: the machine's free pages are back to before the process. */
    @Test
    void exitShouldFreeEveryTableAndPage() {
        VmSim fresh = VmSim.x86_64();
        long free = fresh.machine.phys().nrFreePages();
        int p = fresh.create();
        fresh.mmap(p, FRESH, 4 * MiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");
        fresh.touch(p, FRESH, 4 * MiB, "write");
        long a = fresh.mmapAnon(p, 64 * PAGE, "rw-");
        fresh.touch(p, a, 64 * PAGE, "read");

        Exit.Result r = fresh.apply(new Exit(p, 0));

        assertThat(r.state()).isEqualTo("exited");
        assertThat(fresh.machine.phys().nrFreePages()).isEqualTo(free);
    }

    /** i386 has two levels: a pte table per 4 MiB, no pud/pmd pages; VmPTE counts the pte tables. */
    @Test
    void i386ShouldAllocateOnlyPteTables() {
        VmSim i386 = VmSim.i386();
        int p = i386.create();
        long before = i386.mm(p).pgd().pgtablesBytes();
        long a = i386.mmapAnon(p, 8 * MiB, "rw-");

        i386.touch(p, a, 8 * MiB, "read");

        long tables = (((a + 8 * MiB - 1) >>> 22) - (a >>> 22) + 1);
        assertThat(i386.mm(p).pgd().pgtablesBytes() - before).isEqualTo(tables * 4 * KiB);
    }
}
