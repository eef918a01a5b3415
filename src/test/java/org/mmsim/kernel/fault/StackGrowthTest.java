package org.mmsim.kernel.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.task.VmSim;

/** {@code expand_downwards()} via {@code lock_mm_and_find_vma()}: stack growth, RLIMIT_STACK and the guard gap (LINUX.md §3.8). */
class StackGrowthTest {
    private static final long PAGE = VmSim.PAGE;
    private static final long KiB = VmSim.KiB;
    private static final long MiB = VmSim.MiB;
    private static final long STACK_TOP = 0x7ffffffff000L;
    private static final long STACK_START = STACK_TOP - 132 * KiB;

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();

    private Vma stack() {
        return sim.vmaAt(pid, STACK_TOP - 1);
    }

    /** A write just below [stack] grows the VMA down to that page; VmStk grows with it. */
    @Test
    void writeJustBelowTheStackShouldGrowIt() {
        long stackVm = sim.mm(pid).stackVm();

        Touch.Result r = sim.touch(pid, STACK_START - 8, 8, "write");

        assertThat(r.signal()).isNull();
        assertThat(r.faults().stackGrowth()).isEqualTo(1);
        assertThat(stack().vmStart()).isEqualTo(STACK_START - PAGE);
        assertThat(stack().vmPgoff()).isEqualTo((STACK_START - PAGE) >>> 12);
        assertThat((sim.mm(pid).stackVm() - stackVm) * 4).as("VmStk +4 kB").isEqualTo(4);
    }

    /** A far access grows the stack in one step, up to RLIMIT_STACK (8 MiB) in all. */
    @Test
    void accessExactlyAtTheRlimitShouldGrowTheStackTo8MiB() {
        Touch.Result r = sim.touch(pid, STACK_TOP - 8 * MiB, 1, "read");

        assertThat(r.signal()).isNull();
        assertThat(stack().vmEnd() - stack().vmStart()).isEqualTo(8 * MiB);
        assertThat(sim.mm(pid).stackVm() * PAGE).isEqualTo(8 * MiB);
    }

    /** acct_stack_growth: size > RLIMIT_STACK → the expansion fails → SIGSEGV (SEGV_MAPERR: no VMA there). */
    @Test
    void accessBeyondRlimitStackShouldRaiseSigsegv() {
        long address = STACK_TOP - 8 * MiB - 8;

        Touch.Result r = sim.touch(pid, address, 1, "write");

        assertThat(r.signal().name()).isEqualTo("SIGSEGV");
        assertThat(r.signal().code()).isEqualTo("SEGV_MAPERR");
        assertThat(r.signal().address()).isEqualTo(address);
    }

    /** expand_downwards keeps stack_guard_gap (1 MiB) above an accessible VMA below the stack: an access in the gap is SIGSEGV. */
    @Test
    void accessInTheGuardGapAboveAMappingUnderTheStackShouldRaiseSigsegv() {
        long below = STACK_START - 2 * MiB;
        sim.mmap(pid, below, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");

        Touch.Result r = sim.touch(pid, below + PAGE + 512 * KiB, 1, "write");

        assertThat(r.signal().name()).isEqualTo("SIGSEGV");
        assertThat(r.signal().code()).isEqualTo("SEGV_MAPERR");
        assertThat(sim.task(pid).mm()).isNull();
    }

    /** Exactly stack_guard_gap above the mapping the stack may still grow (address − prev->vm_end ≥ gap). */
    @Test
    void accessJustOutsideTheGuardGapShouldGrowTheStack() {
        long below = STACK_START - 2 * MiB;
        sim.mmap(pid, below, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");

        Touch.Result r = sim.touch(pid, below + PAGE + MiB, 1, "write");

        assertThat(r.signal()).isNull();
        assertThat(stack().vmStart()).isEqualTo(below + PAGE + MiB);
    }

    /** A PROT_NONE mapping below is not accessible (vma_is_accessible): it does not enforce the gap. */
    @Test
    void protNoneMappingBelowShouldNotEnforceTheGuardGap() {
        long below = STACK_START - 2 * MiB;
        sim.mmap(pid, below, PAGE, "---", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");

        Touch.Result r = sim.touch(pid, below + PAGE + 512 * KiB, 1, "write");

        assertThat(r.signal()).isNull();
    }

    /** mmap without a hint never lands in the stack's guard gap: get_unmapped_area honours vm_start_gap. */
    @Test
    void hintIntoTheStackGuardGapShouldNotBeTaken() {
        long hint = STACK_START - 512 * KiB;

        var r = sim.mmap(pid, hint, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");

        assertThat(r.address()).isNotEqualTo(hint);
        assertThat(r.address()).isLessThan(0x7ffff7fff000L);
    }

    /** Only a VM_GROWSDOWN VMA grows: an access just below an ordinary mapping is SEGV_MAPERR. */
    @Test
    void accessBelowAnOrdinaryMappingShouldNotGrowIt() {
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");

        Touch.Result r = sim.touch(pid, a - 8, 1, "write");

        assertThat(r.signal().code()).isEqualTo("SEGV_MAPERR");
    }
}
