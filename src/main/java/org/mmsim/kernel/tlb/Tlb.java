package org.mmsim.kernel.tlb;

import java.util.Arrays;

/**
 * One CPU's TLB and its {@code cpu_tlbstate} (arch/x86/include/asm/tlbflush.h): the cached
 * translations, the mm whose page table CR3 points at ({@code loaded_mm}) and, with PCID, the
 * {@code TLB_NR_DYN_ASIDS} dynamic address-space ids of the mms that ran here last
 * ({@code ctxs[]}, {@code next_asid}).
 *
 * <p>The TLB is {@code nrSets} sets of {@code ways} entries; a page's set is the low bits of its
 * virtual page number ({@code vpn & (nrSets - 1)}: with 16 sets, vpn 0x7ffff and 0x8000f share
 * set 15), a set replaces its least recently used entry, invalid ways first, lowest way on a
 * tie — deterministic (an invalid way's age is 0). An entry is tagged with the mm it belongs to (the pgd's pfn, which is what
 * the PCID stands for here) and holds the PTE it was filled from, so a hit knows the frame and
 * the permissions. Sections: look-up and fill, invalidation, context switch, snapshot.
 */
public final class Tlb {
    /** No mm loaded (the CPU runs the kernel's {@code init_mm}). */
    public static final long NO_MM = -1;
    /** An invalid entry's vpn. */
    static final long INVALID = -1;

    final int cpu;
    final int nrSets;
    final int ways;
    final long[] vpn;
    final long[] tag;
    final long[] pte;
    final long[] lru;
    long clock;
    /** Scratch: the victim way of the last missing look-up (not state: every fill follows its own look-up). */
    private int missVictim;
    /** Scratch: bumped by every invalidation, so a fill can tell whether its look-up's choice still stands. */
    private long invalidations;
    /** {@code cpu_tlbstate.loaded_mm}: the mm tag CR3 points at, or {@link #NO_MM}. */
    long loadedMm = NO_MM;
    /** {@code cpu_tlbstate.ctxs[].ctx_id}: which mm owns each dynamic ASID (PCID only). */
    final long[] ctxs = new long[CpuTlbs.TLB_NR_DYN_ASIDS];
    /** {@code cpu_tlbstate.next_asid}. */
    int nextAsid = 1;
    /** {@code cpu_tlbstate.loaded_mm_asid}. */
    int loadedMmAsid;
    long hits;
    long misses;
    long contextSwitches;
    long switchFlushes;

    Tlb(int cpu, TlbConfig config) {
        this.cpu = cpu;
        this.nrSets = config.nrSets();
        this.ways = config.ways();
        int n = config.entries();
        vpn = new long[n];
        tag = new long[n];
        pte = new long[n];
        lru = new long[n];
        Arrays.fill(vpn, INVALID);
        Arrays.fill(ctxs, NO_MM);
    }

    public int cpu() {
        return cpu;
    }

    public long loadedMm() {
        return loadedMm;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    // ------------------------------------------------------------------ look-up and fill

    /**
     * The entry caching {@code vpn} of mm {@code mmTag}, or -1; a hit makes it the most recently
     * used. A miss leaves the way a fill would take in {@link #missVictim()}.
     */
    public int lookup(long mmTag, long vpn) {
        int base = ((int) vpn & (nrSets - 1)) * ways;
        int victim = base;
        long oldest = Long.MAX_VALUE;
        for (int i = base, end = base + ways; i < end; i++) {
            if (this.vpn[i] == vpn && tag[i] == mmTag) {
                lru[i] = ++clock;
                return i;
            }
            // an invalid way has age 0, so the oldest is an invalid way if there is one
            long age = lru[i];
            boolean older = age < oldest;
            victim = older ? i : victim;
            oldest = older ? age : oldest;
        }
        missVictim = victim;
        return -1;
    }

    /** How many invalidations this TLB has seen (compare two readings: equal means no entry went in between). */
    public long invalidations() {
        return invalidations;
    }

    /** The way the last missing {@link #lookup} chose: the set's first invalid way, else its least recently used. */
    public int missVictim() {
        return missVictim;
    }

    /**
     * Fills entry {@code i} — what {@link #lookup} answered or chose — when nothing changed the
     * TLB since (no fault in between); {@link #fill} otherwise.
     */
    public void fillAt(int i, long mmTag, long vpn, long pte) {
        this.vpn[i] = vpn;
        tag[i] = mmTag;
        this.pte[i] = pte;
        lru[i] = ++clock;
    }

    /** The PTE entry {@code i} was filled from (with the Dirty bit the CPU has set through it since). */
    public long entryPte(int i) {
        return pte[i];
    }

    /** The CPU set Dirty in the PTE through entry {@code i}: the entry now caches {@code newPte}. */
    public void setEntryPte(int i, long newPte) {
        pte[i] = newPte;
    }

    /**
     * A walk found {@code pte} for {@code vpn}: caches it, replacing an entry of the same page
     * (one with fewer permissions) or else the set's invalid or least recently used way.
     */
    public void fill(long mmTag, long vpn, long pte) {
        int base = ((int) vpn & (nrSets - 1)) * ways;
        int victim = base;
        long oldest = Long.MAX_VALUE;
        for (int i = base, end = base + ways; i < end; i++) {
            if (this.vpn[i] == vpn && tag[i] == mmTag) {
                victim = i;
                break;
            }
            // an invalid way has lru 0, so the oldest is an invalid way if there is one
            long age = lru[i];
            boolean older = age < oldest;
            victim = older ? i : victim;
            oldest = older ? age : oldest;
        }
        this.vpn[victim] = vpn;
        tag[victim] = mmTag;
        this.pte[victim] = pte;
        lru[victim] = ++clock;
    }

    // ------------------------------------------------------------------ invalidation

    /** {@code INVLPG} of each page {@code [startVpn, endVpn)} of mm {@code mmTag}: answers how many entries went. */
    int invalidatePages(long mmTag, long startVpn, long endVpn) {
        int gone = 0;
        for (long v = startVpn; v < endVpn; v++) {
            int base = ((int) v & (nrSets - 1)) * ways;
            for (int i = base, end = base + ways; i < end; i++) {
                if (vpn[i] == v && tag[i] == mmTag) {
                    vpn[i] = INVALID;
                    lru[i] = 0;
                    gone++;
                }
            }
        }
        invalidations += gone;
        return gone;
    }

    /** Every entry of mm {@code mmTag} ({@code flush_tlb_local} of its PCID; without PCID, a CR3 write). */
    int invalidateMm(long mmTag) {
        int gone = 0;
        for (int i = 0; i < vpn.length; i++) {
            if (vpn[i] != INVALID && tag[i] == mmTag) {
                vpn[i] = INVALID;
                lru[i] = 0;
                gone++;
            }
        }
        invalidations += gone;
        return gone;
    }

    /** Every entry ({@code __flush_tlb_all}; no global kernel entries are modelled). */
    void invalidateAll() {
        Arrays.fill(vpn, INVALID);
        Arrays.fill(lru, 0);
        invalidations++;
    }

    /** Entries holding a translation. */
    public int nrValid() {
        int n = 0;
        for (long v : vpn) {
            if (v != INVALID) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ context switch

    /**
     * {@code switch_mm_irqs_off()} to mm {@code next}: without PCID the CR3 write flushes the
     * TLB; with PCID {@code choose_new_asid()} finds {@code next}'s dynamic ASID on this CPU and
     * keeps its entries, or takes the next slot round robin, flushing what the previous owner
     * of that slot left. Answers whether entries were flushed.
     */
    boolean switchMm(long next, boolean pcid) {
        if (loadedMm == next) {
            return false;
        }
        contextSwitches++;
        loadedMm = next;
        if (!pcid) {
            boolean flushed = nrValid() > 0;
            invalidateAll();
            if (flushed) {
                switchFlushes++;
            }
            return flushed;
        }
        for (int asid = 0; asid < ctxs.length; asid++) {
            if (ctxs[asid] == next) {
                loadedMmAsid = asid;
                return false;
            }
        }
        // choose_new_asid: this_cpu_add_return(next_asid, 1) - 1, next_asid starting at 1 — 1, 2, …, then 0
        int asid = nextAsid++;
        if (asid >= ctxs.length) {
            asid = 0;
            nextAsid = 1;
        }
        boolean flushed = ctxs[asid] != NO_MM && invalidateMm(ctxs[asid]) > 0;
        if (flushed) {
            switchFlushes++;
        }
        ctxs[asid] = next;
        loadedMmAsid = asid;
        return flushed;
    }

    /** The mm is gone: it is no longer loaded here and its ASID slot is free (its ctx_id never comes back). */
    void forgetMm(long mmTag) {
        if (loadedMm == mmTag) {
            loadedMm = NO_MM;
        }
        for (int asid = 0; asid < ctxs.length; asid++) {
            if (ctxs[asid] == mmTag) {
                ctxs[asid] = NO_MM;
            }
        }
    }

    /** The PCID CR3 carries for mm {@code mmTag} here ({@code kern_pcid(asid) = asid + 1}), or 0 for none. */
    public int pcidOf(long mmTag) {
        for (int asid = 0; asid < ctxs.length; asid++) {
            if (ctxs[asid] == mmTag) {
                return asid + 1;
            }
        }
        return 0;
    }
}
