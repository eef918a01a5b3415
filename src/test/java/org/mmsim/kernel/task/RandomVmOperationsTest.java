package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mallopt;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Mprotect;
import org.mmsim.kernel.journal.Munmap;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.journal.Sbrk;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.phys.Machines;

/**
 * Seeded random mmap/munmap/mprotect/brk/touch/malloc/free/exit/create over one to three
 * processes on a small machine, with every invariant checked after every step; a snapshot
 * taken halfway must re-encode to the same bytes and evolve identically; at the end every
 * process exits and every frame but the boot reservations is free again.
 */
class RandomVmOperationsTest {
    private static final long PAGE = 4096;
    private static final int STEPS = 2500;
    private static final String[] PROTS = {"rw-", "rw-", "rw-", "r--", "---", "r-x", "rwx"};

    private SplittableRandom rnd;
    private Machine machine;
    private Machine twin;
    private final Map<Integer, List<Long>> pointers = new TreeMap<>();

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"X86_64, 1", "X86_64, 2", "X86_64, 3", "I386, 4", "X86_64_LA57, 5"})
    void randomOperationsShouldKeepEveryInvariantAndFreeEverythingAtTheEnd(Arch arch, long seed) {
        rnd = new SplittableRandom(seed);
        machine = new Machine(Machines.config(arch, 64L << 20));
        long freshFree = machine.phys().nrFreePages();
        for (int step = 0; step < STEPS; step++) {
            if (step == STEPS / 2) {
                byte[] snapshot = MachineCodec.encode(machine);
                twin = MachineCodec.decode(snapshot);
                assertThat(MachineCodec.encodeRaw(twin)).as("re-encoded snapshot").isEqualTo(MachineCodec.encodeRaw(machine));
            }
            Operation op = nextOperation();
            apply(op, step);
            if (twin != null && step % 250 == 0) {
                assertThat(MachineCodec.encodeRaw(twin)).as("twin after step %d", step)
                        .isEqualTo(MachineCodec.encodeRaw(machine));
            }
        }
        assertThat(MachineCodec.encodeRaw(twin)).isEqualTo(MachineCodec.encodeRaw(machine));
        for (Task t : machine.processes().tasks().alive()) {
            apply(new Exit(t.pid(), 0), STEPS);
        }
        assertThat(machine.processes().files().all()).isEmpty();
        assertThat(machine.phys().nrFreePages()).isEqualTo(freshFree);
    }

    private void apply(Operation op, int step) {
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
        record(op, r);
    }

    private void record(Operation op, OperationResult r) {
        if (op instanceof Malloc m && r instanceof Malloc.Result mr && mr.address() != null) {
            pointers.computeIfAbsent(m.pid(), k -> new ArrayList<>()).add(mr.address());
        }
    }

    private List<Task> alive() {
        return machine.processes().tasks().alive();
    }

    private Operation nextOperation() {
        List<Task> alive = alive();
        if (alive.isEmpty() || alive.size() < 3 && rnd.nextInt(40) == 0) {
            return new CreateProcess("p" + rnd.nextInt(100), rnd.nextInt(2), 4096L * (1 + rnd.nextInt(32)),
                    rnd.nextInt(3) * 4096L + rnd.nextInt(4096), rnd.nextInt(64 * 1024), null);
        }
        Task t = alive.get(rnd.nextInt(alive.size()));
        int pid = t.pid();
        MmStruct mm = t.mm();
        int dice = rnd.nextInt(100);
        if (dice < 18) {
            return mmap(pid, mm);
        } else if (dice < 28) {
            long[] range = nearVma(mm);
            return new Munmap(pid, range[0], range[1]);
        } else if (dice < 38) {
            long[] range = nearVma(mm);
            return new Mprotect(pid, range[0], range[1], PROTS[rnd.nextInt(PROTS.length)]);
        } else if (dice < 44 && pid % 2 == 0) {
            // odd pids use malloc, even ones move the break themselves: glibc aborts ("break
            // adjusted to free malloc space") when someone else shrinks the break under its heap
            long target = mm.startBrk() + rnd.nextLong(-PAGE, 200 * PAGE);
            return rnd.nextBoolean() ? new Brk(pid, target) : new Sbrk(pid, rnd.nextLong(-20 * PAGE, 20 * PAGE));
        } else if (dice < 72) {
            return touch(pid, mm);
        } else if (dice < 84 || pid % 2 == 0 && dice < 97) {
            if (pid % 2 == 0) {
                return touch(pid, mm);
            }
            long size = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong(1, 64);
                case 1 -> rnd.nextLong(64, 2048);
                case 2 -> rnd.nextLong(2048, 100_000);
                default -> rnd.nextLong(100_000, 400_000);
            };
            return new Malloc(pid, size);
        } else if (dice < 95) {
            List<Long> mine = pointers.getOrDefault(pid, new ArrayList<>());
            if (mine.isEmpty()) {
                return new Malloc(pid, rnd.nextLong(1, 5000));
            }
            return new Free(pid, mine.remove(rnd.nextInt(mine.size())));
        } else if (dice < 97) {
            return new Mallopt(pid, rnd.nextBoolean() ? "M_MMAP_THRESHOLD" : "M_TRIM_THRESHOLD",
                    rnd.nextLong(0, 256 * 1024));
        } else if (rnd.nextInt(4) != 0) {
            return touch(pid, mm);
        } else {
            pointers.remove(pid);
            return new Exit(pid, rnd.nextInt(256));
        }
    }

    private Operation mmap(int pid, MmStruct mm) {
        long len = PAGE * (1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 1024 : 48)) - (rnd.nextBoolean() ? rnd.nextInt(4096) : 0);
        String prot = PROTS[rnd.nextInt(PROTS.length)];
        List<String> flags = new ArrayList<>(List.of(rnd.nextInt(6) == 0 ? "MAP_SHARED" : "MAP_PRIVATE", "MAP_ANONYMOUS"));
        long addr = 0;
        int kind = rnd.nextInt(10);
        if (kind < 3) {
            long[] range = nearVma(mm);
            addr = range[0];
            flags.add(kind == 0 ? "MAP_FIXED" : kind == 1 ? "MAP_FIXED_NOREPLACE" : "MAP_POPULATE");
        } else if (kind == 3) {
            addr = nearVma(mm)[0] + rnd.nextInt(4096);
        } else if (kind == 4 && flags.get(0).equals("MAP_PRIVATE")) {
            flags.add("MAP_GROWSDOWN");
        }
        return new Mmap(pid, addr, len, prot, flags);
    }

    private Operation touch(int pid, MmStruct mm) {
        List<Vma> vmas = new ArrayList<>();
        mm.vmas().forEach(vmas::add);
        Vma v = vmas.get(rnd.nextInt(vmas.size()));
        String access;
        if (rnd.nextInt(8) == 0) {
            access = switch (rnd.nextInt(3)) {
                case 0 -> "exec";
                case 1 -> "read";
                default -> "write";
            };
        } else if ((v.vmFlags() & VmFlags.VM_WRITE) != 0) {
            access = rnd.nextBoolean() ? "write" : "read";
        } else if ((v.vmFlags() & VmFlags.VM_READ) != 0) {
            access = (v.vmFlags() & VmFlags.VM_EXEC) != 0 && rnd.nextBoolean() ? "exec" : "read";
        } else {
            access = "read";
        }
        long start;
        if (rnd.nextInt(20) == 0) {
            start = v.vmStart() - rnd.nextLong(1, 3 * PAGE);
        } else {
            start = v.vmStart() + rnd.nextLong(v.vmEnd() - v.vmStart());
        }
        long len = Math.max(1, Math.min(rnd.nextLong(1, 24 * PAGE), v.vmEnd() - start + (rnd.nextInt(20) == 0 ? PAGE : 0)));
        return new Touch(pid, Math.max(0, start), len, access);
    }

    /** A page-aligned range in or around an existing VMA (or the heap), sometimes straddling its ends. */
    private long[] nearVma(MmStruct mm) {
        List<Vma> vmas = new ArrayList<>();
        mm.vmas().forEach(vmas::add);
        Vma v = vmas.get(rnd.nextInt(vmas.size()));
        long pages = (v.vmEnd() - v.vmStart()) / PAGE;
        long start = v.vmStart() + PAGE * rnd.nextLong(-4, pages + 2);
        long len = PAGE * rnd.nextLong(1, Math.max(2, Math.min(pages + 6, 64))) - (rnd.nextInt(5) == 0 ? 100 : 0);
        return new long[] {Math.max(PAGE * 16, start), len};
    }
}
