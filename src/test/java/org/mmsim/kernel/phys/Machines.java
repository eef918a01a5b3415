package org.mmsim.kernel.phys;

import java.util.List;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.MachineConfig.NodeSpec;
import org.mmsim.kernel.machine.Tunables;

/** Named machine fixtures. */
public final class Machines {
    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;

    private Machines() {
    }

    public static MachineConfig config(Arch arch, long... nodeBytes) {
        List<NodeSpec> nodes = new java.util.ArrayList<>();
        for (long b : nodeBytes) {
            nodes.add(new NodeSpec(b, 2));
        }
        return new MachineConfig(arch, nodes, null, 0, 42, false, Tunables.DEFAULTS);
    }

    /** One node, 1 GiB, x86_64. */
    public static MachineConfig oneNodeSmallConfig() {
        return config(Arch.X86_64, GiB);
    }

    public static PhysicalMemory oneNodeSmall() {
        return new PhysicalMemory(oneNodeSmallConfig());
    }

    /** Two nodes of 4 GiB each, 2 CPUs each, x86_64. */
    public static MachineConfig twoNodesConfig() {
        return config(Arch.X86_64, 4 * GiB, 4 * GiB);
    }

    public static PhysicalMemory twoNodes() {
        return new PhysicalMemory(twoNodesConfig());
    }

    /** Two small nodes (64 MiB each), so exhausting a node is quick. */
    public static MachineConfig twoSmallNodesConfig() {
        return config(Arch.X86_64, 64 * MiB, 64 * MiB);
    }

    public static PhysicalMemory twoSmallNodes() {
        return new PhysicalMemory(twoSmallNodesConfig());
    }

    /** A 2 GiB i386 machine: DMA, Normal up to 896 MiB, HighMem above. */
    public static PhysicalMemory i386TwoGiB() {
        return new PhysicalMemory(config(Arch.I386, 2 * GiB));
    }

    /** One node of 1 TiB. */
    public static MachineConfig oneTebibyteConfig() {
        return config(Arch.X86_64, 1024 * GiB);
    }
}
