package org.mmsim.kernel.machine;

import java.util.Objects;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.reclaim.Vmscan;
import org.mmsim.kernel.slab.KernelObjects;
import org.mmsim.kernel.slab.Slub;
import org.mmsim.kernel.slab.Vmalloc;
import org.mmsim.kernel.task.Processes;

/**
 * A simulated machine: what {@code start_kernel()} leaves behind, then every operation applied.
 *
 * <p>Built with {@code new Machine(config)} from a unit test, a benchmark or the session service.
 * Not thread-safe: the session layer serialises access. {@link #apply} is deterministic — the
 * same config and the same operations give the same state, byte for byte
 * ({@link MachineCodec#encodeRaw}).
 */
public final class Machine {

    private final MachineConfig config;
    private final PhysicalMemory phys;
    private final Processes processes;
    private final Slub slub;
    private final Vmalloc vmalloc;
    private final KernelObjects kernelObjects;
    private final Vmscan vmscan;
    private long operationsApplied;

    /** Boots a machine: validates the config, lays out nodes and zones, hands free memory to the buddy allocator. */
    public Machine(MachineConfig config) {
        this(config.validate(), 0, new PhysicalMemory(config), null);
    }

    Machine(MachineConfig config, long operationsApplied, PhysicalMemory phys, Processes processes) {
        this.config = Objects.requireNonNull(config);
        this.operationsApplied = operationsApplied;
        this.phys = Objects.requireNonNull(phys);
        this.processes = processes != null ? processes : new Processes(phys, config);
        this.slub = new Slub(phys, config);
        this.vmalloc = new Vmalloc(phys);
        this.kernelObjects = new KernelObjects(slub, phys);
        this.vmscan = new Vmscan(phys, this.processes);
        phys.setReclaimer(vmscan::tryToFreePages);
    }

    public MachineConfig config() {
        return config;
    }

    /** Physical memory: nodes ({@code pglist_data}), zones, the buddy allocator and its counters. */
    public PhysicalMemory phys() {
        return phys;
    }

    /** The processes, their address spaces and the files they map. */
    public Processes processes() {
        return processes;
    }

    /** The SLUB caches, kmalloc and kfree. */
    public Slub slub() {
        return slub;
    }

    /** The vmalloc areas and {@code init_mm}'s page tables for them. */
    public Vmalloc vmalloc() {
        return vmalloc;
    }

    /** The task_struct, mm_struct, vm_area_struct and anon_vma objects held for the processes. */
    public KernelObjects kernelObjects() {
        return kernelObjects;
    }

    /** Page reclaim: the LRU lists' aging, kswapd, direct reclaim, the reclaim policy. */
    public Vmscan vmscan() {
        return vmscan;
    }

    /** How many operations this machine has applied since boot: its session's version. */
    public long operationsApplied() {
        return operationsApplied;
    }

    /**
     * Applies one operation. A caller error ({@link org.mmsim.kernel.KernelInputException}) leaves
     * the machine unchanged and does not count; a simulated failure (ENOMEM, SIGSEGV) is a result.
     */
    public OperationResult apply(Operation operation) {
        OperationResult result = operation.applyTo(this);
        kernelObjects.sync(processes);
        // a kswapd the operation woke gets the CPU when it returns
        vmscan.runKswapds();
        operationsApplied++;
        return result;
    }

    /** The kernel's {@code VM_BUG_ON} in spirit: throws {@link IllegalStateException} on the first broken invariant. */
    public void checkInvariants() {
        phys.checkInvariants();
        processes.checkInvariants();
        slub.checkInvariants();
        kernelObjects.checkInvariants(processes);
        vmalloc.checkInvariants();
        vmscan.checkInvariants();
    }
}
