package org.mmsim.kernel.numa;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.KernelInputException;

/**
 * A memory policy: {@code struct mempolicy}, include/linux/mempolicy.h, with the node choices of
 * mm/mempolicy.c.
 *
 * @param mode     the policy mode
 * @param nodes    the nodemask, bit n = node n ({@code MAX_NUMNODES} is 64 here)
 * @param homeNode {@code home_node} for BIND and PREFERRED_MANY ({@code set_mempolicy_home_node}),
 *                 -1 ({@code NUMA_NO_NODE}) when unset
 * @param weights  weighted-interleave weights by node
 *                 ({@code /sys/kernel/mm/mempolicy/weighted_interleave/nodeN}); empty = all 1
 */
public record MemPolicy(MemPolicyMode mode, long nodes, int homeNode, List<Integer> weights) {

    public static final int MAX_NUMNODES = 64;
    public static final int NUMA_NO_NODE = -1;
    /** {@code NO_INTERLEAVE_INDEX}: an allocation without a VMA offset (page cache, slab, alloc_pages). */
    public static final long NO_INTERLEAVE_INDEX = -1;
    /** The system default: {@code default_policy}, MPOL_LOCAL. */
    public static final MemPolicy LOCAL = new MemPolicy(MemPolicyMode.LOCAL, 0, NUMA_NO_NODE, List.of());

    public MemPolicy {
        weights = weights == null ? List.of() : List.copyOf(weights);
    }

    /** A policy over the listed nodes. */
    public static MemPolicy of(MemPolicyMode mode, int... nodeIds) {
        long mask = 0;
        for (int n : nodeIds) {
            if (n < 0 || n >= MAX_NUMNODES) {
                throw new KernelInputException("policy.nodes", "node " + n + " does not exist");
            }
            mask |= 1L << n;
        }
        return new MemPolicy(mode, mask, NUMA_NO_NODE, List.of());
    }

    /**
     * {@code mpol_new}'s checks against a machine with {@code nrNodes} nodes: DEFAULT and LOCAL
     * take no nodes, PREFERRED with none means LOCAL, the others need at least one.
     */
    public MemPolicy validate(int nrNodes) {
        if (mode == null) {
            throw new KernelInputException("policy.mode", "policy mode is required");
        }
        long valid = nrNodes >= 64 ? -1L : (1L << nrNodes) - 1;
        if ((nodes & ~valid) != 0) {
            throw new KernelInputException("policy.nodes", "node " + Long.numberOfTrailingZeros(nodes & ~valid)
                    + " does not exist: the machine has " + nrNodes + " nodes");
        }
        if (homeNode != NUMA_NO_NODE && (homeNode < 0 || homeNode >= nrNodes)) {
            throw new KernelInputException("policy.homeNode", "node " + homeNode + " does not exist");
        }
        switch (mode) {
            case DEFAULT, LOCAL -> {
                if (nodes != 0) {
                    throw new KernelInputException("policy.nodes", mode.kernelName() + " takes no nodes (EINVAL)");
                }
            }
            case PREFERRED -> {
                if (nodes == 0) {
                    return LOCAL;
                }
            }
            default -> {
                if (nodes == 0) {
                    throw new KernelInputException("policy.nodes", mode.kernelName() + " needs at least one node (EINVAL)");
                }
            }
        }
        for (int i = 0; i < weights.size(); i++) {
            Integer w = weights.get(i);
            if (w == null || w < 1 || w > 255) {
                throw new KernelInputException("policy.weights[" + i + "]", "a weight is between 1 and 255");
            }
        }
        return this;
    }

    /** The node ids of the mask, ascending. */
    public List<Integer> nodeList() {
        List<Integer> out = new ArrayList<>();
        for (long m = nodes; m != 0; m &= m - 1) {
            out.add(Long.numberOfTrailingZeros(m));
        }
        return out;
    }

    /** {@code first_node()}: the lowest node, or MAX_NUMNODES for an empty mask. */
    public static int firstNode(long mask) {
        return mask == 0 ? MAX_NUMNODES : Long.numberOfTrailingZeros(mask);
    }

    /** {@code next_node()}: the next set node after {@code node}, or MAX_NUMNODES. */
    public static int nextNode(int node, long mask) {
        if (node + 1 >= MAX_NUMNODES) {
            return MAX_NUMNODES;
        }
        long rest = mask & (-1L << (node + 1));
        return rest == 0 ? MAX_NUMNODES : Long.numberOfTrailingZeros(rest);
    }

    /** {@code next_node_in()}: like {@link #nextNode} but wrapping to the first node. */
    public static int nextNodeIn(int node, long mask) {
        int next = nextNode(node, mask);
        return next == MAX_NUMNODES ? firstNode(mask) : next;
    }

    /** {@code get_il_weight()}: the node's weighted-interleave weight, 1 by default. */
    public int ilWeight(int node) {
        return node < weights.size() ? weights.get(node) : 1;
    }

    /** {@code interleave_nodes()}: the task's round robin, {@code next_node_in(il_prev)}. */
    public int interleaveNodes(TaskContext task) {
        int nid = nextNodeIn(task.ilPrev(), nodes);
        if (nid < MAX_NUMNODES) {
            task.setIlPrev(nid);
        }
        return nid;
    }

    /** {@code interleave_nid()}: the {@code (ilx % nnodes)}-th node of the mask. */
    public int interleaveNid(long ilx, int localNode) {
        int nnodes = Long.bitCount(nodes);
        if (nnodes == 0) {
            return localNode;
        }
        long target = Long.remainderUnsigned(ilx, nnodes);
        int nid = firstNode(nodes);
        for (long i = 0; i < target; i++) {
            nid = nextNode(nid, nodes);
        }
        return nid;
    }

    /** {@code weighted_interleave_nodes()}: stays on a node for {@code weight} allocations. */
    public int weightedInterleaveNodes(TaskContext task) {
        int node = task.ilPrev();
        if (task.ilWeight() == 0 || node >= MAX_NUMNODES || (nodes & (1L << node)) == 0) {
            node = nextNodeIn(node, nodes);
            if (node == MAX_NUMNODES) {
                return node;
            }
            task.setIlPrev(node);
            task.setIlWeight(ilWeight(node));
        }
        task.setIlWeight(task.ilWeight() - 1);
        return node;
    }

    /** {@code weighted_interleave_nid()}: {@code ilx % Σweights}, walking the nodes by weight. */
    public int weightedInterleaveNid(long ilx, int localNode) {
        if (nodes == 0) {
            return localNode;
        }
        long total = 0;
        for (long m = nodes; m != 0; m &= m - 1) {
            total += ilWeight(Long.numberOfTrailingZeros(m));
        }
        long target = Long.remainderUnsigned(ilx, total);
        int nid = firstNode(nodes);
        while (target > 0) {
            int w = ilWeight(nid);
            if (target < w) {
                break;
            }
            target -= w;
            nid = nextNodeIn(nid, nodes);
        }
        return nid;
    }
}
