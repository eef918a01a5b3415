package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.procfs.Numastat;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.numa.MemPolicyMode;
import org.mmsim.kernel.numa.TaskContext;

/**
 * Numastat per policy on two 4 GiB nodes (CPUs 0,1 on node 0; 2,3 on node 1), counted as
 * zone_statistics does: one event per allocation (mm/page_alloc.c rmqueue passes nr_account 1).
 */
class NumaPolicyTest {

    private static long[] node(PhysicalMemory pm, int nid) {
        return Numastat.nodeCounters(pm, nid);
    }

    private static AllocResult alloc(PhysicalMemory pm, int cpu, MemPolicy pol, long ilx) {
        return pm.allocPages(new AllocRequest(0, Gfp.GFP_HIGHUSER_MOVABLE, -1, cpu, pol, ilx, null));
    }

    /** MPOL_LOCAL / default: the CPU's node, hit + local. */
    @Test
    void localPolicyShouldAllocateOnTheCpusNodeAsHitAndLocal() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(alloc(pm, 2, null, -1).nid()).isEqualTo(1);
        assertThat(alloc(pm, 2, MemPolicy.of(MemPolicyMode.LOCAL), -1).nid()).isEqualTo(1);
        assertThat(node(pm, 1)).containsExactly(2, 0, 0, 0, 2, 0);
        assertThat(node(pm, 0)).containsExactly(0, 0, 0, 0, 0, 0);
        pm.checkInvariants();
    }

    /** MPOL_PREFERRED: the preferred node is hit; from a CPU elsewhere it is other_node. */
    @Test
    void preferredPolicyShouldCountHitOnThePreferredNodeAndOtherForARemoteCpu() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(alloc(pm, 0, MemPolicy.of(MemPolicyMode.PREFERRED, 1), -1).nid()).isEqualTo(1);
        assertThat(node(pm, 1)).containsExactly(1, 0, 0, 0, 0, 1);
        pm.checkInvariants();
    }

    /** MPOL_BIND: only mask nodes; preferred zone is the first allowed one, so it is a hit; DMA32 requests ignore the mask (policy_zone). */
    @Test
    void bindPolicyShouldRestrictToTheMaskAboveThePolicyZone() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(alloc(pm, 0, MemPolicy.of(MemPolicyMode.BIND, 1), -1).nid()).isEqualTo(1);
        assertThat(node(pm, 1)).containsExactly(1, 0, 0, 0, 0, 1);
        AllocResult dma32 = pm.allocPages(new AllocRequest(0, Gfp.GFP_DMA32, -1, 0, MemPolicy.of(MemPolicyMode.BIND, 1), -1, null));
        assertThat(dma32.nid()).isZero();
        assertThat(node(pm, 0)).containsExactly(1, 0, 0, 0, 1, 0);
        pm.checkInvariants();
    }

    /** MPOL_INTERLEAVE: round robin from il_prev = MAX_NUMNODES-1, each page an interleave hit; ilx picks ilx % nnodes. */
    @Test
    void interleavePolicyShouldAlternateNodesAndCountInterleaveHits() {
        PhysicalMemory pm = Machines.twoNodes();
        TaskContext task = new TaskContext();
        MemPolicy pol = MemPolicy.of(MemPolicyMode.INTERLEAVE, 0, 1);
        task.setMempolicy(pol);
        List<Integer> nids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nids.add(pm.allocPages(new AllocRequest(0, Gfp.GFP_HIGHUSER_MOVABLE, -1, 0, null, -1, task)).nid());
        }
        assertThat(nids).containsExactly(0, 1, 0, 1);
        assertThat(node(pm, 0)).containsExactly(2, 0, 0, 2, 2, 0);
        assertThat(node(pm, 1)).containsExactly(2, 0, 0, 2, 0, 2);
        assertThat(alloc(pm, 0, pol, 5).nid()).isEqualTo(1);
        assertThat(alloc(pm, 0, pol, 6).nid()).isEqualTo(0);
        pm.checkInvariants();
    }

    /** MPOL_WEIGHTED_INTERLEAVE: weights [2,1] give 0,0,1 repeating; no interleave_hit in 6.12. */
    @Test
    void weightedInterleaveShouldFollowTheWeights() {
        PhysicalMemory pm = Machines.twoNodes();
        TaskContext task = new TaskContext();
        task.setMempolicy(new MemPolicy(MemPolicyMode.WEIGHTED_INTERLEAVE, 3, -1, List.of(2, 1)));
        List<Integer> nids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nids.add(pm.allocPages(new AllocRequest(0, Gfp.GFP_HIGHUSER_MOVABLE, -1, 0, null, -1, task)).nid());
        }
        assertThat(nids).containsExactly(0, 0, 1, 0, 0, 1);
        assertThat(node(pm, 0)[3] + node(pm, 1)[3]).isZero();
        MemPolicy w = new MemPolicy(MemPolicyMode.WEIGHTED_INTERLEAVE, 3, -1, List.of(2, 1));
        assertThat(alloc(pm, 0, w, 1).nid()).isEqualTo(0);
        assertThat(alloc(pm, 0, w, 2).nid()).isEqualTo(1);
        pm.checkInvariants();
    }

    /** MPOL_PREFERRED_MANY: first pass restricted to the mask, hit on the allowed node. */
    @Test
    void preferredManyShouldTryTheMaskFirst() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(alloc(pm, 0, MemPolicy.of(MemPolicyMode.PREFERRED_MANY, 1), -1).nid()).isEqualTo(1);
        assertThat(node(pm, 1)).containsExactly(1, 0, 0, 0, 0, 1);
        pm.checkInvariants();
    }

    /** numa_miss on the node that served, numa_foreign on the preferred node when it is full. */
    @Test
    void exhaustedPreferredNodeShouldCountMissAndForeign() {
        PhysicalMemory pm = Machines.twoSmallNodes();
        AllocResult r;
        int onNode0 = 0;
        do {
            r = pm.allocPages(new AllocRequest(0, Gfp.GFP_KERNEL, 0, 0, null, -1, null));
            if (r.nid() == 0) {
                onNode0++;
            }
        } while (r.nid() == 0);
        assertThat(r.nid()).isEqualTo(1);
        assertThat(node(pm, 1)).containsExactly(0, 1, 0, 0, 0, 1);
        assertThat(node(pm, 0)).containsExactly(onNode0, 0, 1, 0, onNode0, 0);
        pm.checkInvariants();
    }
}
