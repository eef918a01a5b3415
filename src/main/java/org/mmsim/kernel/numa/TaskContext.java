package org.mmsim.kernel.numa;

/**
 * The per-task NUMA state of {@code struct task_struct} (include/linux/sched.h):
 * {@code mempolicy}, {@code il_prev}, {@code il_weight}. Processes will each own one; the
 * kernel-level API uses one machine-wide context.
 */
public final class TaskContext {
    private MemPolicy mempolicy;
    private int ilPrev = MemPolicy.MAX_NUMNODES - 1;
    private int ilWeight;

    /** A task with no policy of its own (the system default applies). */
    public TaskContext() {
    }

    /** The task policy, or {@code null} for the system default ({@code get_task_policy}). */
    public MemPolicy mempolicy() {
        return mempolicy;
    }

    /**
     * {@code do_set_mempolicy}: installs {@code policy} (null or MPOL_DEFAULT removes it) and,
     * for the interleave modes, restarts the round robin ({@code il_prev = MAX_NUMNODES-1}).
     */
    public void setMempolicy(MemPolicy policy) {
        mempolicy = policy == null || policy.mode() == MemPolicyMode.DEFAULT ? null : policy;
        if (mempolicy != null && (mempolicy.mode() == MemPolicyMode.INTERLEAVE
                || mempolicy.mode() == MemPolicyMode.WEIGHTED_INTERLEAVE)) {
            ilPrev = MemPolicy.MAX_NUMNODES - 1;
            ilWeight = 0;
        }
    }

    public int ilPrev() {
        return ilPrev;
    }

    public int ilWeight() {
        return ilWeight;
    }

    void setIlPrev(int node) {
        ilPrev = node;
    }

    void setIlWeight(int weight) {
        ilWeight = weight;
    }

    /** Restores saved state (snapshots). */
    public void restore(MemPolicy policy, int ilPrev, int ilWeight) {
        this.mempolicy = policy;
        this.ilPrev = ilPrev;
        this.ilWeight = ilWeight;
    }
}
