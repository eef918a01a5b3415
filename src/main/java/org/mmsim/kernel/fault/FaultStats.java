package org.mmsim.kernel.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * What one touch did: pages accessed, faults by kind, the first {@link #MAX_EVENTS} fault
 * events, the signal that stopped it, if any, and the processes the OOM killer killed. Filled in by {@link Touch}.
 */
public final class FaultStats {
    /** Events kept per touch; the counters count them all. */
    public static final int MAX_EVENTS = 64;

    /** One fault: the page address, what kind it was, and the frame it mapped (-1 if none). */
    public record Event(long address, String kind, long pfn) {
    }

    /** The signal a fault raised: {@code SIGSEGV} with {@code SEGV_MAPERR}/{@code SEGV_ACCERR}, or {@code SIGBUS}/OOM. */
    public record Signal(String name, String code, long address) {
    }

    /** A process the OOM killer chose and killed during this touch, with its {@code oom_badness} points. */
    public record OomKill(int pid, String comm, long points) {
    }

    public long pages;
    public long minor;
    public long major;
    public long zeroPage;
    public long cowCopy;
    public long cowReuse;
    public long anonAlloc;
    public long stackGrowth;
    /** Pages whose translation the CPU's TLB held (no page-table walk). */
    public long tlbHits;
    /** Pages the TLB missed: each one a page-table walk, then a fill. */
    public long tlbMisses;
    public Signal signal;
    private final List<Event> events = new ArrayList<>();
    /** The OOM kills this touch caused, in order. */
    public final List<OomKill> oomKills = new ArrayList<>();

    void event(long address, String kind, long pfn) {
        if (events.size() < MAX_EVENTS) {
            events.add(new Event(address, kind, pfn));
        }
    }

    public List<Event> events() {
        return events;
    }

    public long faults() {
        return minor + major;
    }
}
