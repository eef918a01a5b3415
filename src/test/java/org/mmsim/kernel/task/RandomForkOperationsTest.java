package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exec;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Mprotect;
import org.mmsim.kernel.journal.Munmap;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.phys.Machines;

/**
 * Seeded random fork/exec/exit/wait/kill(SIGSEGV)/mmap/munmap/mprotect/touch over a family of
 * up to eight live processes (parents exiting with live and zombie children, children forking
 * again) on a small machine, with every invariant — per-frame mapcount equal to the PTEs
 * mapping it across processes, RSS counters equal to the PTEs — checked after every step. A
 * snapshot twin decoded halfway must give the same results and bytes for the rest; at the end
 * every process exits, nothing is left a zombie, and every frame but the boot reservations is
 * free.
 */
class RandomForkOperationsTest {
    private static final long PAGE = 4096;
    private static final int STEPS = 3000;
    private static final int MAX_ALIVE = 8;
    private static final String[] PROTS = {"rw-", "rw-", "rw-", "r--", "---"};

    private SplittableRandom rnd;
    private Machine machine;
    private Machine twin;
    private int forks;
    private int execs;
    private int reaped;
    private int segv;
    private int cowCopies;
    private int cowReuses;
    private int orphanReaps;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"X86_64, 11", "X86_64, 12", "X86_64, 13", "I386, 14", "I386, 15"})
    void randomForkExecExitWaitKeepEveryInvariantAndFreeEverythingAtTheEnd(Arch arch, long seed) {
        rnd = new SplittableRandom(seed);
        machine = new Machine(Machines.config(arch, 64L << 20));
        long freshFree = machine.phys().nrFreePages();
        for (int step = 0; step < STEPS; step++) {
            if (step == STEPS / 2) {
                twin = MachineCodec.decode(MachineCodec.encode(machine));
                assertThat(MachineCodec.encodeRaw(twin)).as("re-encoded snapshot").isEqualTo(MachineCodec.encodeRaw(machine));
            }
            apply(nextOperation(), step);
            if (twin != null && step % 250 == 0) {
                assertThat(MachineCodec.encodeRaw(twin)).as("twin after step %d", step)
                        .isEqualTo(MachineCodec.encodeRaw(machine));
            }
        }
        assertThat(MachineCodec.encodeRaw(twin)).isEqualTo(MachineCodec.encodeRaw(machine));
        // the sequence exercised what it is about
        assertThat(forks).as("forks").isGreaterThan(50);
        assertThat(execs).as("execs").isGreaterThan(10);
        assertThat(reaped).as("waits that reaped").isGreaterThan(10);
        assertThat(segv).as("SIGSEGV kills").isGreaterThan(5);
        assertThat(cowCopies).as("COW copies").isGreaterThan(100);
        // and the TLBs: hits, and shootdowns to the other CPU (every entry agreed with its PTE after every step)
        var tlb = machine.processes().tlbs();
        assertThat(tlb.cpu(0).hits() + tlb.cpu(1).hits()).as("TLB hits").isPositive();
        assertThat(tlb.vmEvents().get("nr_tlb_remote_flush_received")).as("shootdowns").isPositive();
        assertThat(cowReuses).as("COW reuses").isGreaterThan(10);
        assertThat(orphanReaps).as("zombies reaped by init when their parent exited").isGreaterThan(0);

        for (Task t : List.copyOf(machine.processes().tasks().alive())) {
            if (t.alive()) {
                apply(new Exit(t.pid(), 0), STEPS);
            }
        }
        assertThat(machine.processes().tasks().all()).allMatch(t -> t.state() == Task.State.EXITED
                || t.state() == Task.State.KILLED);
        assertThat(machine.processes().files().all()).isEmpty();
        assertThat(machine.phys().nrFreePages()).isEqualTo(freshFree);
    }

    private void apply(Operation op, int step) {
        int zombiesBefore = zombies();
        OperationResult r;
        try {
            r = machine.apply(op);
            machine.checkInvariants();
        } catch (RuntimeException e) {
            throw new AssertionError("step " + step + ": " + op + " failed: " + e, e);
        }
        if (twin != null) {
            OperationResult r2 = twin.apply(op);
            assertThat(r2).as("twin result at step %d: %s", step, op).isEqualTo(r);
        }
        if (r instanceof Fork.Result f && f.error() == null) {
            forks++;
        } else if (r instanceof Exec.Result e && e.error() == null) {
            execs++;
        } else if (r instanceof Wait.Result w && w.pid() > 0) {
            reaped++;
        } else if (r instanceof Touch.Result t) {
            if (t.signal() != null && "SIGSEGV".equals(t.signal().name())) {
                segv++;
            }
            cowCopies += t.faults().cowCopy();
            cowReuses += t.faults().cowReuse();
        } else if (op instanceof Exit && zombies() < zombiesBefore) {
            orphanReaps++;
        }
    }

    private int zombies() {
        return (int) machine.processes().tasks().all().stream().filter(t -> t.state() == Task.State.ZOMBIE).count();
    }

    private Operation nextOperation() {
        List<Task> alive = machine.processes().tasks().alive();
        if (alive.isEmpty() || alive.size() < 3 && rnd.nextInt(30) == 0) {
            return new CreateProcess("p" + rnd.nextInt(100), rnd.nextInt(2), PAGE * (1 + rnd.nextInt(16)),
                    rnd.nextInt(3) * PAGE + rnd.nextInt(4096), rnd.nextInt(64 * 1024), null);
        }
        Task t = alive.get(rnd.nextInt(alive.size()));
        int pid = t.pid();
        MmStruct mm = t.mm();
        int dice = rnd.nextInt(100);
        if (dice < 8) {
            return alive.size() < MAX_ALIVE ? new Fork(pid) : touch(pid, mm);
        } else if (dice < 10) {
            return rnd.nextBoolean() ? new Exec(pid, null, null, null, null)
                    : new Exec(pid, "e" + rnd.nextInt(5), PAGE * (1 + rnd.nextInt(8)), (long) rnd.nextInt(3 * 4096),
                            (long) rnd.nextInt(32 * 1024));
        } else if (dice < 14) {
            return new Exit(pid, rnd.nextInt(256));
        } else if (dice < 22) {
            return new Wait(pid, waitTarget(pid));
        } else if (dice < 24) {
            // below mmap_min_addr nothing is ever mapped: SIGSEGV kills the process
            return new Touch(pid, rnd.nextLong(0, 4096), 1, rnd.nextBoolean() ? "read" : "write");
        } else if (dice < 40) {
            return mmap(pid, mm);
        } else if (dice < 45) {
            long[] range = nearVma(mm);
            return new Munmap(pid, range[0], range[1]);
        } else if (dice < 49) {
            long[] range = nearVma(mm);
            return new Mprotect(pid, range[0], range[1], PROTS[rnd.nextInt(PROTS.length)]);
        } else {
            return touch(pid, mm);
        }
    }

    /** -1, one of the caller's children (running or zombie), or some other pid (ECHILD). */
    private int waitTarget(int pid) {
        int r = rnd.nextInt(10);
        if (r < 6) {
            return -1;
        }
        List<Integer> mine = new ArrayList<>();
        for (Task c : machine.processes().tasks().all()) {
            if (c.ppid() == pid && (c.state() == Task.State.RUNNING || c.state() == Task.State.ZOMBIE)) {
                mine.add(c.pid());
            }
        }
        if (r < 9 && !mine.isEmpty()) {
            return mine.get(rnd.nextInt(mine.size()));
        }
        return TaskTable.FIRST_USER_PID + rnd.nextInt(machine.processes().tasks().lastPid() - 999);
    }

    private Operation mmap(int pid, MmStruct mm) {
        long len = PAGE * (1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 256 : 32));
        String prot = PROTS[rnd.nextInt(PROTS.length)];
        List<String> flags = new ArrayList<>(List.of(rnd.nextInt(4) == 0 ? "MAP_SHARED" : "MAP_PRIVATE", "MAP_ANONYMOUS"));
        long addr = 0;
        int kind = rnd.nextInt(10);
        if (kind < 2) {
            long[] range = nearVma(mm);
            addr = range[0];
            flags.add(kind == 0 ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE");
        } else if (kind < 4) {
            flags.add("MAP_POPULATE");
        }
        return new Mmap(pid, addr, len, prot, flags);
    }

    private Operation touch(int pid, MmStruct mm) {
        List<Vma> vmas = new ArrayList<>();
        mm.vmas().forEach(vmas::add);
        Vma v = vmas.get(rnd.nextInt(vmas.size()));
        String access;
        if ((v.vmFlags() & VmFlags.VM_WRITE) != 0) {
            access = rnd.nextInt(3) != 0 ? "write" : "read";
        } else {
            access = "read";
        }
        long start = v.vmStart() + PAGE * rnd.nextLong((v.vmEnd() - v.vmStart()) / PAGE);
        long len = Math.min(PAGE * rnd.nextLong(1, 64), v.vmEnd() - start);
        // now and then on the other CPU, so that flushes find the mm loaded elsewhere (shootdowns)
        Integer cpu = rnd.nextInt(4) == 0 ? rnd.nextInt(machine.config().totalCpus()) : null;
        return new Touch(pid, start, len, access, cpu);
    }

    /** A page-aligned range in or around an existing VMA, sometimes straddling its ends. */
    private long[] nearVma(MmStruct mm) {
        List<Vma> vmas = new ArrayList<>();
        mm.vmas().forEach(vmas::add);
        Vma v = vmas.get(rnd.nextInt(vmas.size()));
        long pages = (v.vmEnd() - v.vmStart()) / PAGE;
        long start = v.vmStart() + PAGE * rnd.nextLong(-4, pages + 2);
        long len = PAGE * rnd.nextLong(1, Math.max(2, Math.min(pages + 6, 64)));
        return new long[] {Math.max(PAGE * 16, start), len};
    }
}
