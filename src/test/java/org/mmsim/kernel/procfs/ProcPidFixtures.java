package org.mmsim.kernel.procfs;

import java.util.List;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.Presets;

/** Named machines and steps for the /proc/PID renderer tests. */
final class ProcPidFixtures {
    private ProcPidFixtures() {
    }

    static Machine boot(String preset) {
        return new Machine(Presets.byName(preset).orElseThrow().machine());
    }

    /** A machine running the default program (64 KiB text, 8 KiB data, 16 KiB bss) as pid 1000. */
    static Machine withApp(String preset) {
        Machine m = boot(preset);
        CreateProcess.Result r = (CreateProcess.Result) m.apply(new CreateProcess("app", 0, 65536, 8192, 16384, null));
        if (r.pid() != 1000) {
            throw new IllegalStateException("expected pid 1000, got " + r);
        }
        return m;
    }

    static long mmap(Machine m, long length, String prot, String... flags) {
        Mmap.Result r = (Mmap.Result) m.apply(new Mmap(1000, 0, length, prot, List.of(flags)));
        return r.address();
    }

    static void touch(Machine m, long address, long length, String access) {
        m.apply(new Touch(1000, address, length, access));
    }
}
