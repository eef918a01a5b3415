package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mallopt;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Mprotect;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.Touch;

/** Caller errors are {@link KernelInputException}s naming the field, and leave the machine byte-for-byte unchanged. */
class ProcessInputValidationTest {
    private static final List<String> ANON = List.of("MAP_PRIVATE", "MAP_ANONYMOUS");

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();
    private final int dead = sim.create("dead");

    {
        sim.malloc(pid, 100);
        sim.apply(new Exit(dead, 0));
    }

    private void assertRefused(Operation op, String field) {
        byte[] before = sim.raw();
        KernelInputException e = catchThrowableOfType(() -> sim.machine.apply(op), KernelInputException.class);
        assertThat(e).as("%s is refused", op).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(sim.raw()).as("the machine is unchanged").isEqualTo(before);
        sim.machine.checkInvariants();
    }

    @Test
    void unknownPidShouldBeRefused() {
        assertRefused(new Touch(4242, 0x1000, 1, "read"), "pid");
        assertRefused(new Brk(4242, 0), "pid");
    }

    @Test
    void deadPidShouldBeRefused() {
        assertRefused(new Mmap(dead, 0, 4096, "rw-", ANON), "pid");
        assertRefused(new Malloc(dead, 10), "pid");
        assertRefused(new Exit(dead, 0), "pid");
    }

    @Test
    void badProtStringShouldBeRefused() {
        assertRefused(new Mmap(pid, 0, 4096, "rwz", ANON), "prot");
        assertRefused(new Mprotect(pid, 0x1000, 4096, "PROT_ALL"), "prot");
    }

    @Test
    void unknownMapFlagShouldBeRefused() {
        assertRefused(new Mmap(pid, 0, 4096, "rw-", List.of("MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_HUGE")), "flags");
    }

    /** Only anonymous mappings are simulated: a file mapping request is a caller error, not an errno. */
    @Test
    void mappingWithoutMapAnonymousShouldBeRefused() {
        assertRefused(new Mmap(pid, 0, 4096, "rw-", List.of("MAP_PRIVATE")), "flags");
    }

    @Test
    void touchOfLengthZeroShouldBeRefused() {
        assertRefused(new Touch(pid, 0x555555554000L, 0, "read"), "length");
    }

    @Test
    void unknownAccessKindShouldBeRefused() {
        assertRefused(new Touch(pid, 0x555555554000L, 1, "jump"), "access");
    }

    @Test
    void mallocOfANegativeSizeShouldBeRefused() {
        assertRefused(new Malloc(pid, -1), "size");
    }

    @Test
    void freeOfAnAddressMallocNeverReturnedShouldBeRefused() {
        assertRefused(new Free(pid, 0x555555554010L), "address");
        assertRefused(new Free(pid, 0x12345), "address");
    }

    @Test
    void unknownMalloptParameterShouldBeRefused() {
        assertRefused(new Mallopt(pid, "M_NOPE", 1), "param");
    }

    @Test
    void exitCodeOutOfRangeShouldBeRefused() {
        assertRefused(new Exit(pid, 256), "code");
    }
}
