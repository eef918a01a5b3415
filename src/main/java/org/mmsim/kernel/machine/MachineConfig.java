package org.mmsim.kernel.machine;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.tlb.TlbConfig;

/**
 * What a simulated machine is built from: the firmware's memory map and the boot command line.
 *
 * <p>Nodes lie one after another in physical memory, node 0 at physical address 0, as on a
 * machine whose SRAT gives each node one contiguous range. Distances are the ACPI SLIT
 * ({@code node_distance()}): 10 on the diagonal, 20 elsewhere when not given. Everything the
 * machine does follows from this record and the operations applied to it.
 *
 * @param arch      the paging profile
 * @param nodes     NUMA nodes ({@code pglist_data}), in physical-address order
 * @param distances the SLIT, {@code distances.get(from).get(to)}
 * @param swapBytes size of the swap device, 0 for none
 * @param seed      the seed of every random choice the machine makes (ASLR, {@code random} reclaim)
 * @param aslr      {@code kernel.randomize_va_space} 2 when true, 0 when false (the default)
 * @param tunables  sysctls and boot parameters
 * @param tlb       every CPU's TLB (null: 64 entries, 4 ways, PCID on 64-bit)
 * @param reclaim   how reclaim chooses its victims (null: {@link ReclaimPolicy#KERNEL})
 */
public record MachineConfig(
        Arch arch,
        List<NodeSpec> nodes,
        List<List<Integer>> distances,
        long swapBytes,
        long seed,
        boolean aslr,
        Tunables tunables,
        TlbConfig tlb,
        ReclaimPolicy reclaim) {

    /** {@code LOCAL_DISTANCE}, include/linux/topology.h. */
    public static final int LOCAL_DISTANCE = 10;
    /** {@code REMOTE_DISTANCE}, include/linux/topology.h. */
    public static final int REMOTE_DISTANCE = 20;
    /** The most nodes a session may have; x86_64 allows 1 &lt;&lt; CONFIG_NODES_SHIFT (up to 1024). */
    public static final int MAX_NUMNODES = 64;
    /** The least memory a node may have, so that a booted kernel fits in it. */
    public static final long MIN_NODE_BYTES = 16L << 20;

    public MachineConfig {
        nodes = List.copyOf(nodes);
        distances = distances == null || distances.isEmpty()
                ? defaultDistances(nodes.size())
                : distances.stream().map(List::copyOf).toList();
        tunables = tunables == null ? Tunables.DEFAULTS : tunables;
        tlb = tlb == null ? TlbConfig.defaults(arch == null || arch.is64Bit()) : tlb;
        reclaim = reclaim == null ? ReclaimPolicy.KERNEL : reclaim;
    }

    /** A machine with the kernel's reclaim. */
    public MachineConfig(Arch arch, List<NodeSpec> nodes, List<List<Integer>> distances, long swapBytes, long seed,
                         boolean aslr, Tunables tunables, TlbConfig tlb) {
        this(arch, nodes, distances, swapBytes, seed, aslr, tunables, tlb, null);
    }

    /** A machine with the default TLB. */
    public MachineConfig(Arch arch, List<NodeSpec> nodes, List<List<Integer>> distances, long swapBytes, long seed,
                         boolean aslr, Tunables tunables) {
        this(arch, nodes, distances, swapBytes, seed, aslr, tunables, null, null);
    }

    /** This config with another TLB. */
    public MachineConfig withTlb(TlbConfig newTlb) {
        return new MachineConfig(arch, nodes, distances, swapBytes, seed, aslr, tunables, newTlb, reclaim);
    }

    /** This config with another reclaim policy. */
    public MachineConfig withReclaim(ReclaimPolicy policy) {
        return new MachineConfig(arch, nodes, distances, swapBytes, seed, aslr, tunables, tlb, policy);
    }

    /** One NUMA node as the firmware describes it. */
    public record NodeSpec(long memoryBytes, int cpus) {
    }

    /** The SLIT a machine without one gets: 10 local, 20 remote ({@code __node_distance}). */
    public static List<List<Integer>> defaultDistances(int nrNodes) {
        List<List<Integer>> rows = new ArrayList<>(nrNodes);
        for (int from = 0; from < nrNodes; from++) {
            List<Integer> row = new ArrayList<>(nrNodes);
            for (int to = 0; to < nrNodes; to++) {
                row.add(from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE);
            }
            rows.add(List.copyOf(row));
        }
        return List.copyOf(rows);
    }

    public long totalMemoryBytes() {
        return nodes.stream().mapToLong(NodeSpec::memoryBytes).sum();
    }

    public int totalCpus() {
        return nodes.stream().mapToInt(NodeSpec::cpus).sum();
    }

    /** The node that CPU {@code cpu} belongs to: CPUs are numbered node by node. */
    public int cpuToNode(int cpu) {
        int first = 0;
        for (int nid = 0; nid < nodes.size(); nid++) {
            first += nodes.get(nid).cpus();
            if (cpu < first) {
                return nid;
            }
        }
        throw new KernelInputException("cpu", "cpu " + cpu + " does not exist: the machine has "
                + totalCpus() + " CPUs");
    }

    public int distance(int from, int to) {
        return distances.get(from).get(to);
    }

    /**
     * Checks the config as firmware and the kernel would accept it, throwing on the first problem
     * with the field path relative to the config ({@code "nodes[1].memory"}).
     */
    public MachineConfig validate() {
        if (arch == null) {
            throw new KernelInputException("arch", "arch is required: one of x86_64, x86_64-la57, i386");
        }
        if (nodes.isEmpty()) {
            throw new KernelInputException("nodes", "a machine needs at least one node");
        }
        if (nodes.size() > MAX_NUMNODES) {
            throw new KernelInputException("nodes", "at most " + MAX_NUMNODES + " nodes, got " + nodes.size());
        }
        long total = 0;
        for (int nid = 0; nid < nodes.size(); nid++) {
            NodeSpec node = nodes.get(nid);
            String field = "nodes[" + nid + "]";
            if (node.memoryBytes() < MIN_NODE_BYTES) {
                throw new KernelInputException(field + ".memory", "a node needs at least 16 MiB, got "
                        + node.memoryBytes() + " bytes");
            }
            if (node.memoryBytes() % Arch.PAGE_SIZE != 0) {
                throw new KernelInputException(field + ".memory", "node memory must be a multiple of the 4 KiB page");
            }
            if (node.cpus() < 0 || node.cpus() > 1024) {
                throw new KernelInputException(field + ".cpus", "cpus must be between 0 and 1024, got " + node.cpus());
            }
            total += node.memoryBytes();
            if (total > arch.maxPhysBytes() || total < 0) {
                throw new KernelInputException(field + ".memory", "the nodes together exceed the "
                        + arch.physAddressBits() + "-bit physical address space of " + arch.id());
            }
        }
        if (totalCpus() == 0) {
            throw new KernelInputException("nodes", "the machine needs at least one CPU");
        }
        validateDistances();
        if (swapBytes < 0 || swapBytes % Arch.PAGE_SIZE != 0) {
            throw new KernelInputException("swap", "swap must be a non-negative multiple of 4 KiB");
        }
        tunables.validate(this);
        tlb.validate(arch.is64Bit());
        return this;
    }

    private void validateDistances() {
        int n = nodes.size();
        if (distances.size() != n) {
            throw new KernelInputException("distances", "distances must be a " + n + "x" + n + " table");
        }
        for (int from = 0; from < n; from++) {
            if (distances.get(from).size() != n) {
                throw new KernelInputException("distances[" + from + "]", "row must have " + n + " entries");
            }
            for (int to = 0; to < n; to++) {
                Integer d = distances.get(from).get(to);
                String field = "distances[" + from + "][" + to + "]";
                if (d == null) {
                    throw new KernelInputException(field, "distance is required");
                }
                if (from == to && d != LOCAL_DISTANCE) {
                    throw new KernelInputException(field, "a node's distance to itself is 10 (LOCAL_DISTANCE)");
                }
                if (from != to && (d <= LOCAL_DISTANCE || d > 254)) {
                    throw new KernelInputException(field, "a remote distance must be between 11 and 254 (ACPI SLIT)");
                }
            }
        }
    }
}
