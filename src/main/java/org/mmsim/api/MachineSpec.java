package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.ReclaimPolicy;
import org.mmsim.kernel.machine.Tunables;
import org.mmsim.kernel.tlb.TlbConfig;

/**
 * A machine config as clients write it, and as presets and sessions show it (the same shape, so
 * what {@code GET /presets} shows can be sent back in {@code POST /sessions}).
 */
@Schema(description = "A simulated machine: architecture, NUMA nodes laid out one after another in physical memory, "
        + "the SLIT distance table, swap, the seed of every random choice, and sysctls. "
        + "Sizes are bytes or strings with a binary unit (\"64MiB\", \"4GiB\").")
record MachineSpec(
        @Schema(description = "Architecture profile: x86_64 (4-level paging, 47-bit user space), "
                + "x86_64-la57 (5-level, 56-bit), i386 (2-level 10/10/12, 3G/1G split, HIGHMEM above 896 MiB).",
                allowableValues = {"x86_64", "x86_64-la57", "i386"}, example = "x86_64")
        String arch,
        @ArraySchema(arraySchema = @Schema(description = "NUMA nodes (pglist_data) in physical-address order; node 0 "
                + "starts at physical address 0."))
        List<Node> nodes,
        @Schema(description = "node_distance(from, to) as the ACPI SLIT gives it: 10 on the diagonal, 11..254 elsewhere. "
                + "Default: 10 local, 20 remote.", example = "[[10,20],[20,10]]")
        List<List<Integer>> distances,
        @Schema(types = {"string", "integer"}, description = "Swap device size; 0 or absent for none.", example = "1GiB")
        String swap,
        @Schema(description = "Seed of every random choice the machine makes (ASLR offsets, random reclaim).",
                example = "42")
        Long seed,
        @Schema(description = "kernel.randomize_va_space: false (0, the default, reproducible addresses) or true (2).")
        Boolean aslr,
        @Schema(description = "Sysctls and boot parameters.")
        TunablesSpec tunables,
        @Schema(description = "The TLB of every CPU; absent: 64 entries, 4-way, PCID on x86_64.")
        TlbSpec tlb,
        @Schema(description = "Page reclaim; absent: the kernel's.")
        ReclaimSpec reclaim) {

    /** How reclaim picks victims. */
    @Schema(description = "How page reclaim chooses its victims. kernel (the default) is Linux's active/inactive LRU "
            + "aged by the accessed bit, with kswapd between the low and high watermarks and direct reclaim below "
            + "min; fifo, lru (exact, every access), clock (second chance) and random (from the seed) replace only "
            + "the choice of victim, for teaching.")
    record ReclaimSpec(
            @Schema(allowableValues = {"kernel", "fifo", "lru", "clock", "random"}, example = "kernel")
            String policy) {
    }

    /** The per-CPU TLB; absent fields keep the defaults. */
    @Schema(description = "Each CPU's TLB: entries (a power of two, 1..4096), ways per set (a power of two dividing "
            + "entries; ways = entries is fully associative), pcid (tag entries with a PCID instead of flushing on "
            + "each context switch; x86_64 only).")
    record TlbSpec(
            @Schema(example = "64") Integer entries,
            @Schema(example = "4") Integer ways,
            @Schema(example = "true") Boolean pcid) {
    }

    /** One NUMA node. */
    @Schema(description = "A NUMA node: its memory and how many CPUs it has (CPUs are numbered node by node).")
    record Node(
            @Schema(types = {"string", "integer"}, description = "Memory of the node, at least 16 MiB, a multiple of 4 KiB.",
                    example = "4GiB")
            String memory,
            @Schema(description = "CPUs on this node.", example = "2")
            Integer cpus) {
    }

    /** Sysctls; absent fields keep the kernel's defaults. */
    @Schema(description = "Sysctls and boot parameters; absent fields keep a fresh kernel's defaults.")
    record TunablesSpec(
            @Schema(description = "vm.min_free_kbytes; 0 or absent: computed at boot as the kernel does "
                    + "(calculate_min_free_kbytes, raised by khugepaged when THP is on).", example = "0")
            Long minFreeKbytes,
            @Schema(description = "vm.watermark_scale_factor in 1/10000 of a zone's managed pages (default 10).",
                    example = "10")
            Integer watermarkScaleFactor,
            @Schema(types = {"string", "integer"}, description = "movablecore= boot parameter: memory carved into "
                    + "ZONE_MOVABLE from the top of the nodes.", example = "0")
            String movablecore,
            @Schema(description = "/sys/kernel/mm/transparent_hugepage/enabled.",
                    allowableValues = {"always", "madvise", "never"}, example = "madvise")
            String transparentHugepage,
            @Schema(description = "vm.overcommit_memory: 0 heuristic, 1 always, 2 never.", example = "0")
            Integer overcommitMemory,
            @Schema(description = "vm.overcommit_ratio, percent (default 50).", example = "50")
            Integer overcommitRatio,
            @Schema(description = "vm.swappiness, 0..200 (default 60): reclaim scans anon and file pages in the ratio "
                    + "swappiness : 200 - swappiness.", example = "60")
            Integer swappiness) {
    }

    /** The core config this spec describes; bad fields are named with the {@code prefix} path. */
    MachineConfig toConfig(String prefix) {
        Arch a = Arch.fromId(arch);
        if (arch == null || a == null) {
            throw new ApiInputException(prefix + ".arch", prefix + ".arch must be one of x86_64, x86_64-la57, i386"
                    + (arch == null ? "" : ", not \"" + arch + "\""));
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new ApiInputException(prefix + ".nodes", prefix + ".nodes must list at least one node");
        }
        List<MachineConfig.NodeSpec> specs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String field = prefix + ".nodes[" + i + "]";
            if (n == null) {
                throw new ApiInputException(field, field + " must be an object with memory and cpus");
            }
            int cpus = n.cpus() == null ? 1 : n.cpus();
            specs.add(new MachineConfig.NodeSpec(Sizes.bytes(field + ".memory", n.memory()), cpus));
        }
        long swapBytes = swap == null ? 0 : Sizes.bytes(prefix + ".swap", swap);
        Tunables d = Tunables.DEFAULTS;
        TunablesSpec t = tunables;
        Tunables tun = t == null ? d : new Tunables(
                t.minFreeKbytes() == null ? d.minFreeKbytes() : t.minFreeKbytes(),
                t.watermarkScaleFactor() == null ? d.watermarkScaleFactor() : t.watermarkScaleFactor(),
                t.movablecore() == null ? d.movablecoreBytes() : Sizes.bytes(prefix + ".tunables.movablecore",
                        t.movablecore()),
                t.transparentHugepage() == null ? d.transparentHugepage() : t.transparentHugepage(),
                t.overcommitMemory() == null ? d.overcommitMemory() : t.overcommitMemory(),
                t.overcommitRatio() == null ? d.overcommitRatio() : t.overcommitRatio(),
                t.swappiness() == null ? d.swappiness() : t.swappiness());
        TlbConfig dt = TlbConfig.defaults(a.is64Bit());
        TlbConfig tlbConfig = tlb == null ? dt : new TlbConfig(tlb.entries() == null ? dt.entries() : tlb.entries(),
                tlb.ways() == null ? dt.ways() : tlb.ways(), tlb.pcid() == null ? dt.pcid() : tlb.pcid());
        ReclaimPolicy policy = ReclaimPolicy.KERNEL;
        if (reclaim != null && reclaim.policy() != null) {
            policy = ReclaimPolicy.fromId(reclaim.policy());
            if (policy == null) {
                throw new ApiInputException(prefix + ".reclaim.policy", prefix
                        + ".reclaim.policy must be one of kernel, fifo, lru, clock, random, not \"" + reclaim.policy() + "\"");
            }
        }
        return new MachineConfig(a, specs, distances, swapBytes, seed == null ? 0 : seed,
                aslr != null && aslr, tun, tlbConfig, policy);
    }

    static MachineSpec from(MachineConfig c) {
        Tunables t = c.tunables();
        return new MachineSpec(c.arch().id(),
                c.nodes().stream().map(n -> new Node(Sizes.human(n.memoryBytes()), n.cpus())).toList(),
                c.distances(), Sizes.human(c.swapBytes()), c.seed(), c.aslr(),
                new TunablesSpec(t.minFreeKbytes(), t.watermarkScaleFactor(), Sizes.human(t.movablecoreBytes()),
                        t.transparentHugepage(), t.overcommitMemory(), t.overcommitRatio(), t.swappiness()),
                new TlbSpec(c.tlb().entries(), c.tlb().ways(), c.tlb().pcid()),
                new ReclaimSpec(c.reclaim().id()));
    }
}
