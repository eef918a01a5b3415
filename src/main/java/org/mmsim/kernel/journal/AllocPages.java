package org.mmsim.kernel.journal;

import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.numa.MemPolicyMode;
import org.mmsim.kernel.phys.AllocRequest;
import org.mmsim.kernel.phys.AllocResult;
import org.mmsim.kernel.phys.Gfp;

/**
 * A kernel-level page allocation: {@code alloc_pages_node(nid, gfp, order)} or, with a policy,
 * {@code alloc_pages_mpol()} — mm/page_alloc.c, mm/mempolicy.c.
 *
 * @param order  0..10, the block is {@code 1 << order} pages
 * @param gfp    GFP flags as the kernel spells them: {@code "GFP_KERNEL"}, {@code "GFP_DMA32|__GFP_ZERO"}
 * @param node   the preferred node, or -1 for the node of the allocating CPU
 * @param cpu    the CPU the allocating thread runs on: {@code numa_node_id()} is its node
 * @param policy the memory policy to allocate under, or null for the machine-wide default (local)
 */
public record AllocPages(int order, String gfp, int node, int cpu, Policy policy) implements Operation {

    /** A memory policy as clients name it: {@code {"mode": "MPOL_INTERLEAVE", "nodes": [0, 1]}}. */
    public record Policy(String mode, List<Integer> nodes, List<Integer> weights) {

        MemPolicy toMemPolicy() {
            MemPolicyMode m = MemPolicyMode.parse(mode);
            int[] ids = nodes == null ? new int[0] : nodes.stream().mapToInt(n -> n == null ? -1 : n).toArray();
            MemPolicy p = MemPolicy.of(m, ids);
            return new MemPolicy(p.mode(), p.nodes(), p.homeNode(), weights);
        }
    }

    /** The block handed out, or {@code pfn} -1 with the reason the allocator gave up. */
    public record Result(long pfn, int node, String zone, int order, String reason) implements OperationResult {
    }

    @Override
    public String opName() {
        return "alloc_pages";
    }

    @Override
    public Result applyTo(Machine machine) {
        int mask = Gfp.parse(gfp);
        MemPolicy memPolicy = policy == null ? null : policy.toMemPolicy();
        AllocResult r = machine.phys().allocPages(
                new AllocRequest(order, mask, node, cpu, memPolicy, MemPolicy.NO_INTERLEAVE_INDEX, null));
        return new Result(r.pfn(), r.nid(), r.zone(), r.order(), r.reason());
    }
}
