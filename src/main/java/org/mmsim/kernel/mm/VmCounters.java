package org.mmsim.kernel.mm;

/**
 * The machine-wide virtual-memory event counters of {@code vm_event_states} this layer counts
 * ({@code /proc/vmstat}): page faults, major faults, and the zero-page and COW events the
 * touch results report.
 */
public final class VmCounters {
    /** {@code PGFAULT}: every fault handled, including those that end in an error. */
    public long pgfault;
    /** {@code PGMAJFAULT}: faults that had to read from disk. */
    public long pgmajfault;
    /** {@code OOM_KILL}: processes the OOM killer killed (snapshotted in its own section, not in {@link #values}). */
    public long oomKill;
    /** The last {@code anon_vma} id handed out ({@link Vma#anonVma()}): ids are never reused. */
    public long lastAnonVma;

    public long[] values() {
        return new long[] {pgfault, pgmajfault, lastAnonVma};
    }

    public void restore(long[] v) {
        pgfault = v[0];
        pgmajfault = v[1];
        lastAnonVma = v[2];
    }
}
