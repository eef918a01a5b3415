package org.mmsim.kernel.tlb;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;

/**
 * The TLBs of every CPU and the x86 flush paths of arch/x86/mm/tlb.c: {@code switch_mm_irqs_off}
 * when a CPU starts running another mm, {@code flush_tlb_mm_range} with its
 * {@code tlb_single_page_flush_ceiling} (33 pages: more is a full flush of the mm), the shootdown
 * IPIs of {@code native_flush_tlb_multi} to the other CPUs that have the mm loaded, and the
 * {@code CONFIG_DEBUG_TLBFLUSH} counters as {@code flush_tlb_func} counts them.
 *
 * <p>An mm is named by its tag, the pfn of its pgd (unique among live mms; a dead mm's entries
 * and ASID slots are dropped by {@link #forgetMm} before its pgd frame can be reused). A CPU
 * that holds entries of an mm it has not loaded (PCID) would catch up through {@code tlb_gen}
 * at its next switch to it; here those entries go at once, with no counter. Sections: running,
 * flushing, counters and views, invariants, snapshot.
 */
public final class CpuTlbs {
    /** {@code TLB_NR_DYN_ASIDS}, arch/x86/include/asm/tlbflush.h. */
    public static final int TLB_NR_DYN_ASIDS = 6;
    /** {@code TLB_FLUSH_ALL}. */
    public static final long TLB_FLUSH_ALL = -1;
    /** {@code tlb_single_page_flush_ceiling}: flushes of more pages flush the whole mm. */
    public static final int TLB_SINGLE_PAGE_FLUSH_CEILING = 33;
    private static final int MAGIC = 0x544c4231; // "TLB1"

    private final TlbConfig config;
    private final Tlb[] tlbs;
    /** The CPU the current operation runs on: the one that initiates its flushes. */
    private int current;
    long nrTlbRemoteFlush;
    long nrTlbRemoteFlushReceived;
    long nrTlbLocalFlushAll;
    long nrTlbLocalFlushOne;
    /** Hits and misses per mm tag, for the process view; dropped with the mm. */
    private final TreeMap<Long, long[]> perMm = new TreeMap<>();

    public CpuTlbs(TlbConfig config, int nrCpus) {
        this.config = config;
        this.tlbs = new Tlb[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            tlbs[c] = new Tlb(c, config);
        }
    }

    public TlbConfig config() {
        return config;
    }

    public int nrCpus() {
        return tlbs.length;
    }

    public Tlb cpu(int cpu) {
        return tlbs[cpu];
    }

    // ------------------------------------------------------------------ running

    /**
     * CPU {@code cpu} runs mm {@code mmTag} for the operation that follows
     * ({@code switch_mm_irqs_off} if it ran another one); it initiates the operation's flushes.
     */
    public Tlb run(int cpu, long mmTag) {
        current = cpu;
        tlbs[cpu].switchMm(mmTag, config.pcid());
        return tlbs[cpu];
    }

    /** Counts what a touch on {@code cpu} by mm {@code mmTag} hit and missed. */
    public void account(int cpu, long mmTag, long hits, long misses) {
        tlbs[cpu].hits += hits;
        tlbs[cpu].misses += misses;
        long[] c = perMm.computeIfAbsent(mmTag, k -> new long[2]);
        c[0] += hits;
        c[1] += misses;
    }

    // ------------------------------------------------------------------ flushing

    /** {@code flush_tlb_page()}: one page of mm {@code mmTag}. */
    public void flushTlbPage(long mmTag, long address) {
        long page = address & ~(Arch.PAGE_SIZE - 1);
        flushTlbMmRange(mmTag, page, page + Arch.PAGE_SIZE);
    }

    /** {@code flush_tlb_mm()}: every entry of mm {@code mmTag}. */
    public void flushTlbMm(long mmTag) {
        flushTlbMmRange(mmTag, 0, TLB_FLUSH_ALL);
    }

    /**
     * {@code flush_tlb_mm_range()} for {@code [start, end)} ({@code end} = {@link #TLB_FLUSH_ALL}
     * for all): more than 33 pages become a full flush. When another CPU has the mm loaded, the
     * initiator sends IPIs ({@code nr_tlb_remote_flush} once, {@code nr_tlb_remote_flush_received}
     * on each receiver); a CPU that has it loaded flushes and, if it is the initiator, counts
     * {@code nr_tlb_local_flush_one} per page or {@code nr_tlb_local_flush_all}.
     */
    public void flushTlbMmRange(long mmTag, long start, long end) {
        long startVpn = start >>> Arch.PAGE_SHIFT;
        long nrPages = end == TLB_FLUSH_ALL ? Long.MAX_VALUE : (end - start + Arch.PAGE_SIZE - 1) >>> Arch.PAGE_SHIFT;
        if (nrPages <= 0) {
            return;
        }
        boolean full = nrPages > TLB_SINGLE_PAGE_FLUSH_CEILING;
        boolean remote = false;
        for (Tlb t : tlbs) {
            if (t.cpu != current && t.loadedMm == mmTag) {
                remote = true;
                break;
            }
        }
        if (remote) {
            nrTlbRemoteFlush++;
        }
        for (Tlb t : tlbs) {
            if (t.loadedMm != mmTag) {
                t.invalidateMm(mmTag);
                continue;
            }
            if (full) {
                t.invalidateMm(mmTag);
            } else {
                t.invalidatePages(mmTag, startVpn, startVpn + nrPages);
            }
            if (t.cpu != current) {
                nrTlbRemoteFlushReceived++;
            } else if (full) {
                nrTlbLocalFlushAll++;
            } else {
                nrTlbLocalFlushOne += nrPages;
            }
        }
    }

    /** The mm {@code mmTag} is destroyed ({@code exit_mmap} has flushed it): no CPU keeps it loaded or holds an ASID for it. */
    public void forgetMm(long mmTag) {
        for (Tlb t : tlbs) {
            t.invalidateMm(mmTag);
            t.forgetMm(mmTag);
        }
        perMm.remove(mmTag);
    }

    // ------------------------------------------------------------------ counters and views

    /** The {@code CONFIG_DEBUG_TLBFLUSH} vmstat counters by their /proc/vmstat names, in vm_event_item order. */
    public Map<String, Long> vmEvents() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("nr_tlb_remote_flush", nrTlbRemoteFlush);
        m.put("nr_tlb_remote_flush_received", nrTlbRemoteFlushReceived);
        m.put("nr_tlb_local_flush_all", nrTlbLocalFlushAll);
        m.put("nr_tlb_local_flush_one", nrTlbLocalFlushOne);
        return m;
    }

    /** Hits and misses of mm {@code mmTag}'s touches, on every CPU: {@code {hits, misses}}. */
    public long[] mmCounters(long mmTag) {
        long[] c = perMm.get(mmTag);
        return c == null ? new long[2] : c.clone();
    }

    /** One cached translation: its slot, the mm tag, the page and the PTE it caches. */
    public record Entry(int set, int way, long mmTag, long vpn, long pte) {
    }

    /** A CPU's TLB: what it has loaded, its counters and its valid entries ({@code mmTag} −1: all of them), slot order. */
    public record CpuView(int cpu, long loadedMm, int loadedPcid, long hits, long misses, long contextSwitches,
                          long switchFlushes, int nrValid, List<Entry> entries) {
    }

    public CpuView view(int cpu, long mmTag) {
        Tlb t = tlbs[cpu];
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < t.vpn.length; i++) {
            if (t.vpn[i] != Tlb.INVALID && (mmTag == Tlb.NO_MM || t.tag[i] == mmTag)) {
                entries.add(new Entry(i / t.ways, i % t.ways, t.tag[i], t.vpn[i], t.pte[i]));
            }
        }
        int pcid = config.pcid() && t.loadedMm != Tlb.NO_MM ? t.pcidOf(t.loadedMm) : 0;
        return new CpuView(cpu, t.loadedMm, pcid, t.hits, t.misses, t.contextSwitches, t.switchFlushes, t.nrValid(),
                entries);
    }

    // ------------------------------------------------------------------ invariants

    /**
     * Every valid entry belongs to a live mm ({@code pgdByTag} answers null for none) and agrees
     * with its current PTE: present, the same frame, no permission the PTE lacks (writable,
     * user, executable), dirty only if the PTE is.
     */
    public void checkInvariants(LongFunction<PageTable> pgdByTag) {
        for (Tlb t : tlbs) {
            for (int i = 0; i < t.vpn.length; i++) {
                if (t.vpn[i] == Tlb.INVALID) {
                    continue;
                }
                String where = "cpu " + t.cpu + " TLB entry " + i + " (vpn 0x" + Long.toHexString(t.vpn[i]) + ", mm "
                        + t.tag[i] + ")";
                PageTable pgd = pgdByTag.apply(t.tag[i]);
                if (pgd == null) {
                    throw new IllegalStateException(where + " belongs to no live mm");
                }
                long cur = pgd.get(t.vpn[i] << Arch.PAGE_SHIFT);
                long e = t.pte[i];
                if (!Pte.present(cur) || Pte.protnone(cur)) {
                    throw new IllegalStateException(where + " caches a page whose PTE is not present: 0x"
                            + Long.toHexString(cur));
                }
                if (Pte.pfn(cur) != Pte.pfn(e)) {
                    throw new IllegalStateException(where + " maps pfn " + Pte.pfn(e) + " but the PTE maps "
                            + Pte.pfn(cur));
                }
                long widened = (e & ~cur & (Pte._PAGE_RW | Pte._PAGE_USER | Pte._PAGE_DIRTY))
                        | (cur & ~e & Pte._PAGE_NX);
                if (widened != 0) {
                    throw new IllegalStateException(where + " allows more than its PTE: entry 0x" + Long.toHexString(e)
                            + ", PTE 0x" + Long.toHexString(cur));
                }
            }
            if (t.loadedMm != Tlb.NO_MM && pgdByTag.apply(t.loadedMm) == null) {
                throw new IllegalStateException("cpu " + t.cpu + " has a dead mm loaded: " + t.loadedMm);
            }
        }
    }

    // ------------------------------------------------------------------ snapshot

    /** Writes the config, the counters and every CPU's state and valid entries. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(config.entries());
        out.writeInt(config.ways());
        out.writeBoolean(config.pcid());
        out.writeInt(tlbs.length);
        out.writeInt(current);
        out.writeLong(nrTlbRemoteFlush);
        out.writeLong(nrTlbRemoteFlushReceived);
        out.writeLong(nrTlbLocalFlushAll);
        out.writeLong(nrTlbLocalFlushOne);
        for (Tlb t : tlbs) {
            out.writeLong(t.loadedMm);
            out.writeInt(t.nextAsid);
            out.writeInt(t.loadedMmAsid);
            for (long c : t.ctxs) {
                out.writeLong(c);
            }
            out.writeLong(t.clock);
            out.writeLong(t.hits);
            out.writeLong(t.misses);
            out.writeLong(t.contextSwitches);
            out.writeLong(t.switchFlushes);
            out.writeInt(t.nrValid());
            for (int i = 0; i < t.vpn.length; i++) {
                if (t.vpn[i] != Tlb.INVALID) {
                    out.writeInt(i);
                    out.writeLong(t.vpn[i]);
                    out.writeLong(t.tag[i]);
                    out.writeLong(t.pte[i]);
                    out.writeLong(t.lru[i]);
                }
            }
        }
        out.writeInt(perMm.size());
        for (Map.Entry<Long, long[]> e : perMm.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static CpuTlbs readFrom(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a TLB section");
        }
        TlbConfig config = new TlbConfig(in.readInt(), in.readInt(), in.readBoolean());
        CpuTlbs s = new CpuTlbs(config, in.readInt());
        s.current = in.readInt();
        s.nrTlbRemoteFlush = in.readLong();
        s.nrTlbRemoteFlushReceived = in.readLong();
        s.nrTlbLocalFlushAll = in.readLong();
        s.nrTlbLocalFlushOne = in.readLong();
        for (Tlb t : s.tlbs) {
            t.loadedMm = in.readLong();
            t.nextAsid = in.readInt();
            t.loadedMmAsid = in.readInt();
            for (int a = 0; a < t.ctxs.length; a++) {
                t.ctxs[a] = in.readLong();
            }
            t.clock = in.readLong();
            t.hits = in.readLong();
            t.misses = in.readLong();
            t.contextSwitches = in.readLong();
            t.switchFlushes = in.readLong();
            for (int n = in.readInt(); n > 0; n--) {
                int i = in.readInt();
                t.vpn[i] = in.readLong();
                t.tag[i] = in.readLong();
                t.pte[i] = in.readLong();
                t.lru[i] = in.readLong();
            }
        }
        for (int n = in.readInt(); n > 0; n--) {
            s.perMm.put(in.readLong(), new long[] {in.readLong(), in.readLong()});
        }
        return s;
    }
}
