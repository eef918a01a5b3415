package org.mmsim.kernel.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.task.Task;
import org.mmsim.kernel.task.VmSim;

/** {@code do_user_addr_fault()}: {@code bad_area} → SEGV_MAPERR, {@code access_error()} → SEGV_ACCERR (LINUX.md §5.1). */
class SegfaultTest {
    private static final long PAGE = VmSim.PAGE;

    /** No VMA at the address: SIGSEGV SEGV_MAPERR at the exact faulting address; handle_mm_fault never runs (no pgfault). */
    @Test
    void accessWithNoVmaShouldRaiseSegvMaperrAtTheExactAddress() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long pgfault = sim.pgfault();

        Touch.Result r = sim.touch(pid, 0x1234567L, 4, "read");

        assertThat(r.signal().name()).isEqualTo("SIGSEGV");
        assertThat(r.signal().code()).isEqualTo("SEGV_MAPERR");
        assertThat(r.signal().address()).isEqualTo(0x1234567L);
        assertThat(sim.pgfault()).isEqualTo(pgfault);
        assertThat(sim.task(pid).state()).isEqualTo(Task.State.KILLED);
        assertThat(sim.task(pid).exitSignal()).isEqualTo("SIGSEGV");
    }

    /** A range running off the end of a mapping faults at the first unmapped byte, after mapping what it could. */
    @Test
    void rangeRunningPastAMappingShouldFaultAtTheFirstUnmappedPage() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 2 * PAGE, "rw-");

        Touch.Result r = sim.touch(pid, a + 100, 3 * PAGE, "write");

        assertThat(r.pages()).isEqualTo(2);
        assertThat(r.signal().code()).isEqualTo("SEGV_MAPERR");
        assertThat(r.signal().address()).isEqualTo(a + 2 * PAGE);
    }

    /** Writing read-only text: access_error (no VM_WRITE) → SEGV_ACCERR before handle_mm_fault: no fault counted. */
    @Test
    void writeToReadOnlyTextShouldRaiseSegvAccerrWithoutCountingAFault() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long text = sim.mm(pid).startCode() + 0x10;
        long pgfault = sim.pgfault();
        long minFlt = sim.task(pid).minFlt();

        Touch.Result r = sim.touch(pid, text, 1, "write");

        assertThat(r.signal().code()).isEqualTo("SEGV_ACCERR");
        assertThat(r.signal().address()).isEqualTo(text);
        assertThat(r.faults().minor() + r.faults().major()).isZero();
        assertThat(sim.pgfault()).isEqualTo(pgfault);
        assertThat(sim.task(pid).minFlt()).isEqualTo(minFlt);
        assertThat(r.state()).isEqualTo("killed");
    }

    /** The same on a present read-only page (a protection fault on a present PTE). */
    @Test
    void writeToAPresentReadOnlyPageShouldRaiseSegvAccerr() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "r--");
        sim.touch(pid, a, 1, "read");

        Touch.Result r = sim.touch(pid, a + 8, 1, "write");

        assertThat(r.signal().code()).isEqualTo("SEGV_ACCERR");
        assertThat(r.signal().address()).isEqualTo(a + 8);
    }

    /** x86_64 has NX: executing the data segment faults it in, then the fetch from an NX page is an access error. */
    @Test
    void executingDataShouldRaiseSegvAccerrOnX86_64ButNotOnI386() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long data = sim.mm(pid).startData();

        Touch.Result r = sim.touch(pid, data, 1, "exec");

        assertThat(r.signal().code()).isEqualTo("SEGV_ACCERR");

        VmSim i386 = VmSim.i386();
        int p = i386.create();
        Touch.Result ok = i386.touch(p, i386.mm(p).startData(), 1, "exec");
        assertThat(ok.signal()).as("non-PAE i386 has no NX bit").isNull();
    }

    /** A killed process gets exit_mmap: every frame it held (pages, tables, pgd, page cache) is free again. */
    @Test
    void killedProcessShouldFreeAllItsFrames() {
        VmSim sim = VmSim.x86_64();
        long free = sim.machine.phys().nrFreePages();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 64 * PAGE, "rw-");
        sim.touch(pid, a, 64 * PAGE, "write");
        sim.touch(pid, sim.mm(pid).startCode(), 16 * PAGE, "read");
        sim.malloc(pid, 1000);

        Touch.Result r = sim.touch(pid, sim.mm(pid).startCode(), 1, "write");

        assertThat(r.signal().code()).isEqualTo("SEGV_ACCERR");
        assertThat(sim.task(pid).mm()).isNull();
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free);
        assertThat(sim.machine.processes().files().all()).isEmpty();
    }
}
