package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Mprotect;
import org.mmsim.kernel.journal.Munmap;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;

/**
 * A machine driven through the journal operations, with {@code checkInvariants()} after every
 * step: the fixture of the process and virtual-memory story tests.
 */
public final class VmSim {
    public static final long KiB = 1L << 10;
    public static final long MiB = 1L << 20;
    public static final long PAGE = 4096;
    /** The default image's pieces (CreateProcess defaults: 64 KiB text, 8 KiB data, 16 KiB bss). */
    public static final long TEXT = 65536;
    public static final long DATA = 8192;
    public static final long BSS = 16384;

    public final Machine machine;

    public VmSim(Machine machine) {
        this.machine = machine;
        machine.checkInvariants();
    }

    public static VmSim preset(String name) {
        return new VmSim(new Machine(Presets.byName(name).orElseThrow().machine()));
    }

    public static VmSim x86_64() {
        return preset("x86_64-1node-1g");
    }

    public static VmSim i386() {
        return preset("i386-1node-2g");
    }

    public static VmSim la57() {
        return preset("x86_64-la57-1node-4g");
    }

    public static VmSim twoNodes() {
        return preset("x86_64-2node-4g");
    }

    /** The default preset with {@code kernel.randomize_va_space = 2} and {@code seed}. */
    public static VmSim aslr(long seed) {
        MachineConfig c = Presets.byName("x86_64-1node-1g").orElseThrow().machine();
        return new VmSim(new Machine(new MachineConfig(c.arch(), c.nodes(), c.distances(), c.swapBytes(), seed, true,
                c.tunables())));
    }

    /** Applies {@code op}, then checks every invariant of the machine. */
    @SuppressWarnings("unchecked")
    public <R extends OperationResult> R apply(Operation op) {
        R r = (R) machine.apply(op);
        machine.checkInvariants();
        return r;
    }

    /** A process with the default image ("app" on CPU 0); answers its pid. */
    public int create() {
        return create("app");
    }

    public int create(String name) {
        CreateProcess.Result r = apply(new CreateProcess(name, 0, TEXT, DATA, BSS, null));
        assertThat(r.error()).isNull();
        return r.pid();
    }

    public Task task(int pid) {
        return machine.processes().tasks().get(pid);
    }

    public MmStruct mm(int pid) {
        return task(pid).mm();
    }

    public List<Vma> vmas(int pid) {
        List<Vma> out = new ArrayList<>();
        mm(pid).vmas().forEach(out::add);
        return out;
    }

    public int mapCount(int pid) {
        return mm(pid).vmas().mapCount();
    }

    /** The VMA containing {@code address}, or null. */
    public Vma vmaAt(int pid, long address) {
        Vma v = mm(pid).vmas().findVma(address);
        return v != null && v.vmStart() <= address ? v : null;
    }

    public Mmap.Result mmap(int pid, long address, long length, String prot, String... flags) {
        return apply(new Mmap(pid, address, length, prot, List.of(flags)));
    }

    /** A private anonymous mapping that must succeed; answers its address. */
    public long mmapAnon(int pid, long length, String prot) {
        Mmap.Result r = mmap(pid, 0, length, prot, "MAP_PRIVATE", "MAP_ANONYMOUS");
        assertThat(r.error()).as("mmap of %d bytes", length).isNull();
        return r.address();
    }

    public Munmap.Result munmap(int pid, long address, long length) {
        return apply(new Munmap(pid, address, length));
    }

    public Mprotect.Result mprotect(int pid, long address, long length, String prot) {
        return apply(new Mprotect(pid, address, length, prot));
    }

    public Brk.Result brk(int pid, long address) {
        return apply(new Brk(pid, address));
    }

    public Touch.Result touch(int pid, long address, long length, String access) {
        return apply(new Touch(pid, address, length, access));
    }

    public Malloc.Result malloc(int pid, long bytes) {
        return apply(new Malloc(pid, bytes));
    }

    public Free.Result free(int pid, long address) {
        return apply(new Free(pid, address));
    }

    /** {@code vmstat pgfault}. */
    public long pgfault() {
        return machine.processes().events().pgfault;
    }

    public byte[] raw() {
        return MachineCodec.encodeRaw(machine);
    }
}
