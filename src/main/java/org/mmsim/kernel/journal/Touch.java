package org.mmsim.kernel.journal;

import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.fault.FaultStats;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.task.Task;

/**
 * A process accessing {@code [address, address + length)}: the MMU walk and the page faults
 * it raises ({@code do_user_addr_fault()} → {@code handle_mm_fault()}).
 *
 * @param access {@code "read"}, {@code "write"} or {@code "exec"}
 * @param cpu    the CPU the access runs on, null for the process's own CPU
 */
public record Touch(int pid, long address, long length, String access, Integer cpu) implements Operation {

    /** An access on the process's own CPU. */
    public Touch(int pid, long address, long length, String access) {
        this(pid, address, length, access, null);
    }

    /** What the TLB of the CPU did: pages it translated (hits) and pages it had to walk the page table for. */
    public record Tlb(long hits, long misses) {
    }

    /** Faults by kind; {@code minor} + {@code major} is the number of faults. */
    public record Faults(long minor, long major, long zeroPage, long cowCopy, long cowReuse, long anonAlloc,
                         long stackGrowth) {
    }

    /** The signal that ended the access (and, by default, the process). */
    public record Signal(String name, String code, long address, String reason) {
    }

    /** The fault events, the first {@link FaultStats#MAX_EVENTS}. */
    public record Event(long address, String kind, Long pfn) {
    }

    /**
     * Page reclaim the access ran into: {@code allocstall} direct reclaims (its allocations fell below
     * the min watermark), the pages they scanned and reclaimed, the pages written to swap (by direct
     * reclaim: kswapd runs after the access), and whether kswapd was woken (it runs when the access returns).
     */
    public record Reclaim(long allocstall, long scanned, long reclaimed, long swappedOut, boolean kswapdWoken) {
    }

    /** A process the OOM killer killed during the access, with its {@code oom_badness} points. */
    public record OomKill(int pid, String comm, long points) {
    }

    /**
     * @param oomKill  the first process the OOM killer killed during the access (maybe not this one), or null
     * @param oomKills every OOM kill of the access, in order
     * @param tlb      the hits and misses of the CPU's TLB during the access
     * @param reclaim  the direct reclaim during the access, and whether it woke kswapd
     */
    public record Result(long pages, Faults faults, List<Event> events, Signal signal, String state, OomKill oomKill,
                         List<OomKill> oomKills, Tlb tlb, Reclaim reclaim) implements OperationResult {
    }

    @Override
    public String opName() {
        return "touch";
    }

    static org.mmsim.kernel.fault.Touch.Access parseAccess(String access) {
        if (access == null) {
            return org.mmsim.kernel.fault.Touch.Access.READ;
        }
        return switch (access.toLowerCase(java.util.Locale.ROOT)) {
            case "read", "r" -> org.mmsim.kernel.fault.Touch.Access.READ;
            case "write", "w" -> org.mmsim.kernel.fault.Touch.Access.WRITE;
            case "exec", "x", "execute" -> org.mmsim.kernel.fault.Touch.Access.EXEC;
            default -> throw new KernelInputException("access", "access must be read, write or exec, got '" + access + "'");
        };
    }

    @Override
    public Result applyTo(Machine machine) {
        var a = parseAccess(access);
        Task t = machine.processes().tasks().running(pid);
        org.mmsim.kernel.phys.ReclaimStats rs = machine.phys().reclaimStats();
        long stalls = sum(rs.allocstall);
        long scanned = rs.pgscanDirect;
        long stolen = rs.pgstealDirect;
        long out = machine.phys().swap().pswpout();
        FaultStats st = cpu == null ? machine.processes().touch(t, address, length, a)
                : machine.processes().touch(t, address, length, a, cpu);
        List<Event> events = st.events().stream()
                .map(e -> new Event(e.address(), e.kind(), e.pfn() < 0 ? null : e.pfn())).toList();
        Signal signal = st.signal == null ? null : new Signal(st.signal.name(), st.signal.code(), st.signal.address(),
                t.killReason());
        List<OomKill> kills = st.oomKills.stream().map(k -> new OomKill(k.pid(), k.comm(), k.points())).toList();
        return new Result(st.pages, new Faults(st.minor, st.major, st.zeroPage, st.cowCopy, st.cowReuse, st.anonAlloc,
                st.stackGrowth), events, signal, t.state().label(), kills.isEmpty() ? null : kills.get(0), kills,
                new Tlb(st.tlbHits, st.tlbMisses), new Reclaim(sum(rs.allocstall) - stalls, rs.pgscanDirect - scanned,
                rs.pgstealDirect - stolen, machine.phys().swap().pswpout() - out, machine.phys().pendingKswapd() >= 0));
    }

    private static long sum(long[] values) {
        long n = 0;
        for (long v : values) {
            n += v;
        }
        return n;
    }
}
