package org.mmsim.kernel.phys;

import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.numa.TaskContext;

/**
 * A page allocation request: the arguments of {@code alloc_pages_mpol()} / {@code __alloc_pages()}
 * (mm/mempolicy.c, mm/page_alloc.c).
 *
 * @param order  0..MAX_PAGE_ORDER
 * @param gfp    a parsed GFP mask ({@link Gfp#parse})
 * @param nid    the preferred node, or -1 for the node of {@code cpu} ({@code numa_node_id()});
 *               a node given without a policy means {@code alloc_pages_node()}: no policy applies
 * @param cpu    the CPU doing the allocation
 * @param policy the policy to apply, or null for the task's (or the system default)
 * @param ilx    the interleave index of a VMA fault, or {@link MemPolicy#NO_INTERLEAVE_INDEX}
 * @param task   whose interleave state to use, or null for the machine-wide context
 */
public record AllocRequest(int order, int gfp, int nid, int cpu, MemPolicy policy, long ilx, TaskContext task) {

    /** An allocation from CPU 0 with the task policy. */
    public static AllocRequest of(int order, String gfp) {
        return new AllocRequest(order, Gfp.parse(gfp), -1, 0, null, MemPolicy.NO_INTERLEAVE_INDEX, null);
    }

    public AllocRequest withCpu(int newCpu) {
        return new AllocRequest(order, gfp, nid, newCpu, policy, ilx, task);
    }

    public AllocRequest withPolicy(MemPolicy newPolicy) {
        return new AllocRequest(order, gfp, nid, cpu, newPolicy, ilx, task);
    }

    public AllocRequest withIlx(long newIlx) {
        return new AllocRequest(order, gfp, nid, cpu, policy, newIlx, task);
    }

    public AllocRequest withNode(int newNid) {
        return new AllocRequest(order, gfp, newNid, cpu, policy, ilx, task);
    }

    public AllocRequest withTask(TaskContext newTask) {
        return new AllocRequest(order, gfp, nid, cpu, policy, ilx, newTask);
    }
}
