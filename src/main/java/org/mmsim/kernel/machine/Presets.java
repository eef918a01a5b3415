package org.mmsim.kernel.machine;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Named machine configs for the common cases, so that a course can say "use x86_64-2node-4g". */
public final class Presets {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** A named config and what it is good for. */
    public record Preset(String name, String description, MachineConfig machine) {
    }

    /** The preset a session gets when the client names none. */
    public static final String DEFAULT = "x86_64-1node-1g";

    private static final List<Preset> ALL = List.of(
            new Preset("x86_64-1node-1g",
                    "One node, 1 GiB, 2 CPUs: zones DMA and DMA32. The default; small enough to read every free list.",
                    uniform(Arch.X86_64, 1, GIB, 2, 0)),
            new Preset("x86_64-2node-4g",
                    "Two NUMA nodes of 4 GiB and 2 CPUs each (SLIT 10/20): node 0 holds DMA and DMA32, node 1 Normal."
                            + " For memory policies and numastat.",
                    uniform(Arch.X86_64, 2, 4 * GIB, 2, 0)),
            new Preset("x86_64-4node-1t",
                    "Four nodes of 256 GiB, 1 TiB in all, 8 CPUs each: a fresh machine of any size costs almost nothing.",
                    uniform(Arch.X86_64, 4, 256 * GIB, 8, 0)),
            new Preset("x86_64-la57-1node-4g",
                    "One node, 4 GiB, 5-level paging (LA57): the walk has a p4d level and user space is 56 bits.",
                    uniform(Arch.X86_64_LA57, 1, 4 * GIB, 2, 0)),
            new Preset("i386-1node-2g",
                    "32-bit x86, 2 GiB, 3G/1G split: zones DMA, Normal (up to 896 MiB) and HighMem; 2-level paging.",
                    uniform(Arch.I386, 1, 2 * GIB, 2, 0)),
            new Preset("x86_64-64m-swap64m",
                    "One node with 64 MiB of RAM and 64 MiB of swap: memory pressure, reclaim and the OOM killer. "
                            + "The 32 MiB x86_64 kernel image leaves 30 MiB to the page allocator.",
                    uniform(Arch.X86_64, 1, 64 * MIB, 1, 64 * MIB)),
            new Preset("i386-64m-swap64m",
                    "32-bit x86 with 64 MiB of RAM and 64 MiB of swap: the 16 MiB i386 kernel image leaves 46 MiB, so "
                            + "a process can write 96 MiB through swap.",
                    uniform(Arch.I386, 1, 64 * MIB, 1, 64 * MIB)));

    private Presets() {
    }

    public static List<Preset> all() {
        return ALL;
    }

    public static Optional<Preset> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static MachineConfig uniform(Arch arch, int nrNodes, long bytesPerNode, int cpusPerNode, long swapBytes) {
        List<MachineConfig.NodeSpec> nodes = IntStream.range(0, nrNodes)
                .mapToObj(i -> new MachineConfig.NodeSpec(bytesPerNode, cpusPerNode)).toList();
        return new MachineConfig(arch, nodes, MachineConfig.defaultDistances(nrNodes), swapBytes, 0, false,
                Tunables.DEFAULTS);
    }
}
