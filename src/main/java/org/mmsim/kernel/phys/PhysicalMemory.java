package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.numa.MemPolicyMode;
import org.mmsim.kernel.numa.TaskContext;

/**
 * The physical memory of a machine: nodes ({@code pglist_data}), zones, their buddy allocators and
 * the page allocator entry points {@code alloc_pages_mpol}, {@code __alloc_pages} and
 * {@code __free_pages} (mm/page_alloc.c, mm/mempolicy.c). The session service calls only this
 * class and its view records.
 *
 * <p>Sections: boot; allocation (policy → fast path at WMARK_LOW → slow path at WMARK_MIN →
 * failure as a value); freeing; views; invariants; snapshot.
 */
public final class PhysicalMemory {
    public static final int MAX_PAGE_ORDER = BuddyAllocator.MAX_PAGE_ORDER;
    public static final int NR_PAGE_ORDERS = BuddyAllocator.NR_PAGE_ORDERS;
    public static final int PAGEBLOCK_ORDER = BuddyAllocator.PAGEBLOCK_ORDER;
    public static final long NO_PFN = -1;
    /** {@code HPAGE_PMD_ORDER}. */
    public static final int HPAGE_PMD_ORDER = 9;
    /** {@code MAX_NUMNODES} of the kernel build (CONFIG_NODES_SHIFT 10), the scale of {@code find_next_best_node}. */
    static final int KERNEL_MAX_NUMNODES = 1024;
    /** {@code PENALTY_FOR_NODE_WITH_CPUS}. */
    static final int PENALTY_FOR_NODE_WITH_CPUS = 1;

    static final int ALLOC_MIN_RESERVE = 0x8;
    static final int ALLOC_NON_BLOCK = 0x10;
    static final int ALLOC_HIGHATOMIC = 0x20;
    static final int ALLOC_RESERVES = ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC;
    private static final int SNAPSHOT_MAGIC = 0x4D4D5048;
    private static final int SNAPSHOT_VERSION = 1;

    static final String NO_ZONE = "no populated zone allowed by the GFP mask on the allowed nodes";
    static final String NO_MEMORY = "no zone above its watermark on the allowed nodes";

    private final MachineConfig config;
    private final BootLayout layout;
    /** {@code layout.maxPfn}, read on every free. */
    private final long maxPfn;
    private final int nrNodes;
    private final ZoneType[] zoneTypes;
    private final int[] zoneIdxOfType = new int[ZoneType.values().length];
    private final Zone[][] zones;
    private final List<Zone> allZones = new ArrayList<>();
    private final Zone[] populatedByPfn;
    private final long[] populatedStarts;
    private final Zone[][] zonelistFallback;
    private final Zone[][] zonelistNofallback;
    private final int[] cpuNode;
    private final PageStore pages = new PageStore();
    /** The swap device of {@code config.swapBytes()} (mm/swapfile.c); swapped in by the format-3 snapshot section. */
    private org.mmsim.kernel.swap.SwapInfo swap;
    private final TaskContext machineTask = new TaskContext();
    private final long minFreeKbytes;
    private final int policyZone;
    /**
     * {@code zoneIdxOfType[gfp_zone(gfp)]} by the mask's zone modifier bits, computed at boot so
     * the fast path does not redo the GFP_ZONE_TABLE lookup; {@link #BAD_ZONE_BITS} where
     * {@link Gfp#gfpZone} throws (it is then called to throw the same error).
     */
    private final int[] highestIdxByZoneBits = new int[Gfp.GFP_ZONEMASK + 1];
    private static final int BAD_ZONE_BITS = Integer.MIN_VALUE;
    /**
     * The zonelist {@code first_zones_zonelist}/{@code for_next_zone_zonelist_nodemask} walk
     * without a nodemask, precomputed at boot: entry {@code (nid * 2 + thisNode) * 16 + zone
     * modifier bits} holds the zones of {@code nid}'s fallback (or, with {@code __GFP_THISNODE},
     * own) zonelist whose {@code zone_idx} is at most {@code gfp_zone}'s, in zonelist order; its
     * first is the preferred zone. {@code null} where the modifier bits are invalid.
     */
    private final Zone[][] eligibleZones;
    private static final int ZONE_BITS = Gfp.GFP_ZONEMASK + 1;
    /** The zone the last freed block was in: consecutive frees mostly hit the same zone, so this skips the search. */
    private Zone freeZoneHint;

    private long pgfree;
    private long allocFailures;
    private long allocCount;
    private long kswapdWakeups;
    /** Every node's LRU lists ({@code pgdat->__lruvec}). */
    private final Lru lru;
    /** The reclaim events vmscan counts. */
    private final ReclaimStats reclaimStats;
    /** The teaching LRU policy: every access makes its page the youngest ({@link #pageAccessed}). */
    private boolean trackAccess;
    /** Page reclaim (org.mmsim.kernel.reclaim); null until the machine installs it: then nothing is reclaimed. */
    private Reclaimer reclaimer;
    /** {@code memalloc_noreclaim_save} depth: while positive, allocations do not enter direct reclaim. */
    private int noReclaimDepth;
    /** Per node: kswapd was woken and has not run yet ({@code waitqueue_active} false). */
    private final boolean[] kswapdPending;
    /** Per node: {@code pgdat->kswapd_order} and {@code kswapd_highest_zoneidx} of the pending wakeups. */
    private final int[] kswapdOrder;
    private final int[] kswapdHighestIdx;
    /** Per node: {@code pgdat->kswapd_failures}, balance_pgdat runs that reclaimed nothing. */
    private final int[] kswapdFailures;
    private Zone lastZone;
    private String lastFailure;

    // ================================================================ boot

    /** Boots the machine: memory map, zones, free lists, watermarks and zonelists. */
    public PhysicalMemory(MachineConfig config) {
        this.config = config.validate();
        this.swap = new org.mmsim.kernel.swap.SwapInfo(config.swapBytes());
        this.layout = new BootLayout(config);
        this.maxPfn = layout.maxPfn;
        this.nrNodes = config.nodes().size();
        this.zoneTypes = layout.zoneTypes;
        this.lru = new Lru(config.nodes().size(), zoneTypes.length);
        this.reclaimStats = new ReclaimStats(zoneTypes.length);
        this.kswapdPending = new boolean[config.nodes().size()];
        this.kswapdOrder = new int[config.nodes().size()];
        this.kswapdHighestIdx = new int[config.nodes().size()];
        this.kswapdFailures = new int[config.nodes().size()];
        Arrays.fill(zoneIdxOfType, -1);
        for (int i = 0; i < zoneTypes.length; i++) {
            zoneIdxOfType[zoneTypes[i].ordinal()] = i;
        }
        zones = new Zone[nrNodes][];
        List<Zone> populated = new ArrayList<>();
        for (int nid = 0; nid < nrNodes; nid++) {
            List<BootLayout.ZoneSpan> spans = layout.zones.get(nid);
            zones[nid] = new Zone[spans.size()];
            for (int i = 0; i < spans.size(); i++) {
                BootLayout.ZoneSpan span = spans.get(i);
                long present = layout.presentIn(span.start(), span.end());
                long reserved = layout.reservedIn(span.start(), span.end());
                Zone z = new Zone(nid, span.type(), i, span.start(), span.end() - span.start(), present,
                        present - reserved, pages);
                for (BootLayout.Range r : layout.freeRanges(span.start(), span.end())) {
                    z.buddy.bootFreeRange(r.start(), r.end());
                }
                zones[nid][i] = z;
                allZones.add(z);
                if (z.populated()) {
                    populated.add(z);
                }
            }
        }
        populated.sort(Comparator.comparingLong(z -> z.zoneStartPfn));
        populatedByPfn = populated.toArray(new Zone[0]);
        populatedStarts = new long[populatedByPfn.length];
        for (int i = 0; i < populatedByPfn.length; i++) {
            populatedStarts[i] = populatedByPfn[i].zoneStartPfn;
        }
        minFreeKbytes = Watermarks.setup(allZones, config.tunables().minFreeKbytes(),
                config.tunables().thpEnabled(), config.tunables().watermarkScaleFactor());
        cpuNode = new int[config.totalCpus()];
        for (int cpu = 0; cpu < cpuNode.length; cpu++) {
            cpuNode[cpu] = config.cpuToNode(cpu);
        }
        zonelistFallback = new Zone[nrNodes][];
        zonelistNofallback = new Zone[nrNodes][];
        buildAllZonelists();
        int pz = 0;
        for (Zone z : populated) {
            if (z.type != ZoneType.MOVABLE && z.zoneIdx > pz) {
                pz = z.zoneIdx;
            }
        }
        policyZone = pz;
        for (int bits = 0; bits <= Gfp.GFP_ZONEMASK; bits++) {
            int idx;
            try {
                idx = zoneIdxOfType[Gfp.gfpZone(bits, config.arch()).ordinal()];
            } catch (KernelInputException e) {
                idx = BAD_ZONE_BITS;
            }
            highestIdxByZoneBits[bits] = idx;
        }
        freeZoneHint = populatedByPfn.length > 0 ? populatedByPfn[0] : null;
        eligibleZones = new Zone[nrNodes * 2 * ZONE_BITS][];
        for (int nid = 0; nid < nrNodes; nid++) {
            for (int thisNode = 0; thisNode < 2; thisNode++) {
                Zone[] zl = thisNode == 1 ? zonelistNofallback[nid] : zonelistFallback[nid];
                for (int bits = 0; bits < ZONE_BITS; bits++) {
                    int idx = highestIdxByZoneBits[bits];
                    if (idx != BAD_ZONE_BITS) {
                        eligibleZones[(nid * 2 + thisNode) * ZONE_BITS + bits] =
                                Arrays.stream(zl).filter(z -> z.zoneIdx <= idx).toArray(Zone[]::new);
                    }
                }
            }
        }
    }

    /** {@code zone_idx} of {@code gfp_zone(gfp)}; throws as {@link Gfp#gfpZone} for a bad combination. */
    int highestZoneIdx(int gfp) {
        int idx = highestIdxByZoneBits[gfp & Gfp.GFP_ZONEMASK];
        if (idx == BAD_ZONE_BITS) {
            return zoneIdxOfType[Gfp.gfpZone(gfp, config.arch()).ordinal()];
        }
        return idx;
    }

    /**
     * {@code __build_all_zonelists}: for each node in turn {@code build_zonelists}, which orders
     * nodes by {@code find_next_best_node} (distance, +1 below the local node, +1 with CPUs,
     * ×MAX_NUMNODES, + {@code node_load}) and bumps {@code node_load} of the first node of each
     * distance group so ties rotate between nodes.
     */
    private void buildAllZonelists() {
        int[] nodeLoad = new int[nrNodes];
        for (int local = 0; local < nrNodes; local++) {
            boolean[] used = new boolean[nrNodes];
            List<Zone> list = new ArrayList<>();
            int prev = local;
            int node;
            while ((node = findNextBestNode(local, used, nodeLoad)) >= 0) {
                if (config.distance(local, node) != config.distance(local, prev)) {
                    nodeLoad[node] += 1;
                }
                addNodeZones(list, node);
                prev = node;
            }
            zonelistFallback[local] = list.toArray(new Zone[0]);
            List<Zone> own = new ArrayList<>();
            addNodeZones(own, local);
            zonelistNofallback[local] = own.toArray(new Zone[0]);
        }
    }

    /** {@code build_zonerefs_node}: populated zones, highest first. */
    private void addNodeZones(List<Zone> list, int nid) {
        for (int i = zones[nid].length - 1; i >= 0; i--) {
            if (zones[nid][i].populated()) {
                list.add(zones[nid][i]);
            }
        }
    }

    /** {@code find_next_best_node}. */
    private int findNextBestNode(int node, boolean[] used, int[] nodeLoad) {
        if (!used[node]) {
            used[node] = true;
            return node;
        }
        int best = -1;
        long minVal = Long.MAX_VALUE;
        for (int n = 0; n < nrNodes; n++) {
            if (used[n]) {
                continue;
            }
            long val = config.distance(node, n);
            val += n < node ? 1 : 0;
            if (config.nodes().get(n).cpus() > 0) {
                val += PENALTY_FOR_NODE_WITH_CPUS;
            }
            val *= KERNEL_MAX_NUMNODES;
            val += nodeLoad[n];
            if (val < minVal) {
                minVal = val;
                best = n;
            }
        }
        if (best >= 0) {
            used[best] = true;
        }
        return best;
    }

    // ================================================================ allocation

    /**
     * Allocates {@code 2^order} pages as {@code alloc_pages_mpol()} (or {@code alloc_pages_node()}
     * when a node and no policy is given). Bad input throws {@link KernelInputException} before
     * anything changes; an allocation the machine cannot satisfy is a result with a reason.
     */
    public AllocResult allocPages(AllocRequest req) {
        validateOrder(req.order());
        Gfp.validate(req.gfp());
        if (req.cpu() < 0 || req.cpu() >= cpuNode.length) {
            throw new KernelInputException("cpu", "cpu " + req.cpu() + " does not exist: the machine has "
                    + cpuNode.length + " CPUs");
        }
        if (req.nid() < -1 || req.nid() >= nrNodes) {
            throw new KernelInputException("node", "node " + req.nid() + " does not exist: the machine has "
                    + nrNodes + " nodes");
        }
        MemPolicy policy = req.policy() == null ? null : req.policy().validate(nrNodes);
        int local = cpuNode[req.cpu()];
        TaskContext task = req.task() != null ? req.task() : machineTask;
        long pfn;
        if (req.nid() >= 0 && policy == null) {
            pfn = allocCore(req.order(), req.gfp(), req.nid(), 0, local);
        } else {
            if (policy == null && (req.gfp() & Gfp.__GFP_THISNODE) == 0) {
                policy = task.mempolicy();
            }
            if (policy == null) {
                policy = MemPolicy.LOCAL;
            }
            pfn = allocPagesMpol(req.gfp(), req.order(), policy, req.ilx(), req.nid() >= 0 ? req.nid() : local,
                    local, task);
        }
        if (pfn == NO_PFN) {
            return AllocResult.failed(req.order(), lastFailure);
        }
        return new AllocResult(pfn, lastZone.nid, lastZone.type.procName(), req.order(), null);
    }

    /**
     * {@code alloc_pages_node(node, gfp, order)} from the first CPU of {@code node} (or CPU 0
     * with {@code node == -1}, which then applies the machine-wide task policy).
     */
    public AllocResult allocPages(int order, String gfp, int node) {
        int mask = Gfp.parse(gfp);
        int cpu = 0;
        if (node >= 0 && node < nrNodes) {
            cpu = firstCpuOf(node);
        }
        return allocPages(new AllocRequest(order, mask, node, cpu, null, MemPolicy.NO_INTERLEAVE_INDEX, null));
    }

    /**
     * The allocation-free primitive behind {@link #allocPages(AllocRequest)} for {@code alloc_pages_node}
     * without a policy: answers the pfn or {@link #NO_PFN}. Inputs must be valid (benchmarks, inner loops).
     */
    public long allocPfn(int order, int gfp, int nid, int cpu) {
        return allocCore(order, gfp, nid, 0, cpuNode[cpu]);
    }

    private int firstCpuOf(int node) {
        for (int cpu = 0; cpu < cpuNode.length; cpu++) {
            if (cpuNode[cpu] == node) {
                return cpu;
            }
        }
        return 0;
    }

    /** {@code alloc_pages_mpol()} with {@code policy_nodemask()}. */
    private long allocPagesMpol(int gfp, int order, MemPolicy pol, long ilx, int nid, int local, TaskContext task) {
        long nodemask = 0;
        switch (pol.mode()) {
            case PREFERRED -> nid = MemPolicy.firstNode(pol.nodes());
            case PREFERRED_MANY -> {
                nodemask = pol.nodes();
                if (pol.homeNode() != MemPolicy.NUMA_NO_NODE) {
                    nid = pol.homeNode();
                }
            }
            case BIND -> {
                if (applyPolicyZone(pol, highestZoneIdx(gfp))) {
                    nodemask = pol.nodes();
                }
                if (pol.homeNode() != MemPolicy.NUMA_NO_NODE) {
                    nid = pol.homeNode();
                }
            }
            case INTERLEAVE -> nid = ilx == MemPolicy.NO_INTERLEAVE_INDEX
                    ? pol.interleaveNodes(task) : pol.interleaveNid(ilx, local);
            case WEIGHTED_INTERLEAVE -> nid = ilx == MemPolicy.NO_INTERLEAVE_INDEX
                    ? pol.weightedInterleaveNodes(task) : pol.weightedInterleaveNid(ilx, local);
            default -> {
            }
        }
        if (pol.mode() == MemPolicyMode.PREFERRED_MANY) {
            int preferredGfp = (gfp | Gfp.__GFP_NOWARN) & ~(Gfp.__GFP_DIRECT_RECLAIM | Gfp.__GFP_NOFAIL);
            long pfn = allocCore(order, preferredGfp, nid, nodemask, local);
            return pfn != NO_PFN ? pfn : allocCore(order, gfp, nid, 0, local);
        }
        boolean interleave = pol.mode() == MemPolicyMode.INTERLEAVE || pol.mode() == MemPolicyMode.WEIGHTED_INTERLEAVE;
        if (order == HPAGE_PMD_ORDER && ilx != MemPolicy.NO_INTERLEAVE_INDEX && !interleave
                && (nodemask == 0 || (nodemask & (1L << nid)) != 0)) {
            long pfn = allocCore(order, gfp | Gfp.__GFP_THISNODE | Gfp.__GFP_NORETRY, nid, 0, local);
            if (pfn != NO_PFN || (gfp & Gfp.__GFP_DIRECT_RECLAIM) == 0) {
                return pfn;
            }
        }
        long pfn = allocCore(order, gfp, nid, nodemask, local);
        if (pfn != NO_PFN && pol.mode() == MemPolicyMode.INTERLEAVE && lastZone.nid == nid) {
            lastZone.numa[Zone.NUMA_INTERLEAVE_HIT]++;
        }
        return pfn;
    }

    /** {@code apply_policy_zone()}: BIND restricts only allocations that may use {@code policy_zone} or above. */
    private boolean applyPolicyZone(MemPolicy pol, int gfpZoneIdx) {
        int dynamicPolicyZone = policyZone;
        boolean intersectsHighMemory = false;
        for (int nid : pol.nodeList()) {
            for (Zone z : zones[nid]) {
                if (z.populated() && z.type != ZoneType.MOVABLE) {
                    intersectsHighMemory = true;
                }
            }
        }
        if (!intersectsHighMemory) {
            dynamicPolicyZone = zoneIdxOfType[ZoneType.MOVABLE.ordinal()];
        }
        return gfpZoneIdx >= dynamicPolicyZone;
    }

    /**
     * {@code __alloc_pages()}: fast path at WMARK_LOW over the zonelist, then
     * {@code __alloc_pages_slowpath}: kswapd wakeup, WMARK_MIN with the GFP's reserve access, an
     * atomic retry without the nodemask, and the direct-reclaim seam. Answers the pfn or
     * {@link #NO_PFN} with {@link #lastFailure} set.
     */
    private long allocCore(int order, int gfp, int nid, long nodemask, int local) {
        if (nodemask == 0) {
            Zone[] eligible = eligibleZones[(nid * 2 + ((gfp & Gfp.__GFP_THISNODE) != 0 ? 1 : 0)) * ZONE_BITS
                    + (gfp & Gfp.GFP_ZONEMASK)];
            if (eligible != null) {
                return allocFast(order, gfp, nid, local, eligible);
            }
        }
        return allocGeneral(order, gfp, nid, nodemask, local);
    }

    /**
     * {@link #allocGeneral} without a nodemask and with valid zone modifier bits: the same
     * {@code get_page_from_freelist} at WMARK_LOW over the precomputed eligible zones, so the
     * loop skips the zone_idx and nodemask filters.
     */
    private long allocFast(int order, int gfp, int nid, int local, Zone[] eligible) {
        if (eligible.length == 0) {
            return fail(NO_ZONE);
        }
        int highestIdx = highestIdxByZoneBits[gfp & Gfp.GFP_ZONEMASK];
        int mt = Gfp.gfpMigratetype(gfp);
        Zone preferred = eligible[0];
        for (Zone z : eligible) {
            long freePages = z.buddy.freePages() - ((1L << order) - 1);
            if (freePages <= z.watermark[Zone.WMARK_LOW] + z.lowmemReserve[highestIdx]
                    || (order > 0 && !z.buddy.hasFreeBlockAtOrAbove(order))) {
                continue;
            }
            long pfn = z.buddy.rmqueue(order, mt);
            if (pfn == NO_PFN) {
                continue;
            }
            allocated(z, pfn, order, mt, gfp, preferred, local);
            return pfn;
        }
        Zone[] zl = (gfp & Gfp.__GFP_THISNODE) != 0 ? zonelistNofallback[nid] : zonelistFallback[nid];
        return allocSlowpath(order, gfp, nid, 0, local, highestIdx, zl, mt, preferred);
    }

    /** {@code __alloc_pages} with a nodemask or invalid zone modifiers (which throw here). */
    private long allocGeneral(int order, int gfp, int nid, long nodemask, int local) {
        int highestIdx = highestZoneIdx(gfp);
        Zone[] zl = (gfp & Gfp.__GFP_THISNODE) != 0 ? zonelistNofallback[nid] : zonelistFallback[nid];
        int mt = Gfp.gfpMigratetype(gfp);
        Zone preferred = firstZone(zl, highestIdx, nodemask);
        if (preferred == null) {
            return fail(NO_ZONE);
        }
        long pfn = getPageFromFreelist(zl, highestIdx, nodemask, order, mt, gfp, Zone.WMARK_LOW, preferred, local);
        if (pfn != NO_PFN) {
            return pfn;
        }
        return allocSlowpath(order, gfp, nid, nodemask, local, highestIdx, zl, mt, preferred);
    }

    /**
     * {@code __alloc_pages_slowpath}, split from {@link #allocCore} so the fast path stays small
     * enough for the JIT to inline.
     */
    private long allocSlowpath(int order, int gfp, int nid, long nodemask, int local, int highestIdx, Zone[] zl,
            int mt, Zone preferred) {
        long pfn;
        boolean canDirectReclaim = (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0;
        int allocFlags = Zone.WMARK_MIN;
        if ((gfp & Gfp.__GFP_HIGH) != 0) {
            allocFlags |= ALLOC_MIN_RESERVE;
        }
        if (!canDirectReclaim) {
            if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                allocFlags |= ALLOC_NON_BLOCK;
            }
            if (order > 0 && (allocFlags & ALLOC_MIN_RESERVE) != 0) {
                allocFlags |= ALLOC_HIGHATOMIC;
            }
        }
        boolean kswapd = (gfp & Gfp.__GFP_KSWAPD_RECLAIM) != 0;
        if (kswapd) {
            wakeAllKswapds(zl, highestIdx, nodemask, order, gfp);
        }
        pfn = getPageFromFreelist(zl, highestIdx, nodemask, order, mt, gfp, allocFlags, preferred, local);
        if (pfn != NO_PFN) {
            return pfn;
        }
        if (!canDirectReclaim) {
            // without ALLOC_CPUSET the retry drops the nodemask
            if (nodemask != 0) {
                preferred = firstZone(zl, highestIdx, 0);
                pfn = getPageFromFreelist(zl, highestIdx, 0, order, mt, gfp, allocFlags, preferred, local);
                if (pfn != NO_PFN) {
                    return pfn;
                }
            }
            return fail(NO_MEMORY);
        }
        if (reclaimer == null || noReclaimDepth > 0) {
            return fail(NO_MEMORY);
        }
        int noProgressLoops = 0;
        while (true) {
            long progress = directReclaim(zl, highestIdx, nodemask, order);
            pfn = getPageFromFreelist(zl, highestIdx, nodemask, order, mt, gfp, allocFlags, preferred, local);
            if (pfn != NO_PFN) {
                return pfn;
            }
            if (progress > 0 && order <= PAGE_ALLOC_COSTLY_ORDER) {
                noProgressLoops = 0;
            } else {
                noProgressLoops++;
            }
            if (!shouldReclaimRetry(zl, highestIdx, nodemask, order, allocFlags, noProgressLoops)) {
                return fail(NO_MEMORY);
            }
            // retry: the slow path wakes kswapd again and tries the freelists before reclaiming
            if (kswapd) {
                wakeAllKswapds(zl, highestIdx, nodemask, order, gfp);
            }
            pfn = getPageFromFreelist(zl, highestIdx, nodemask, order, mt, gfp, allocFlags, preferred, local);
            if (pfn != NO_PFN) {
                return pfn;
            }
        }
    }

    /** {@code PAGE_ALLOC_COSTLY_ORDER}. */
    static final int PAGE_ALLOC_COSTLY_ORDER = 3;
    /** {@code MAX_RECLAIM_RETRIES}. */
    public static final int MAX_RECLAIM_RETRIES = 16;

    /**
     * {@code __alloc_pages_direct_reclaim} → {@code try_to_free_pages}: the allocating task reclaims
     * from the nodes of its zonelist, in zonelist order, each once ({@code shrink_zones}). Answers
     * the pages reclaimed ({@code did_some_progress}).
     */
    private long directReclaim(Zone[] zl, int highestIdx, long nodemask, int order) {
        noReclaimDepth++; // PF_MEMALLOC: reclaim's own allocations do not recurse into reclaim
        try {
            return reclaimer.tryToFreePages(zonelistNodes(zl, highestIdx, nodemask), highestIdx, order);
        } finally {
            noReclaimDepth--;
        }
    }

    /**
     * {@code should_reclaim_retry}: give up after {@code MAX_RECLAIM_RETRIES} rounds without
     * progress, or when no zone could pass its min watermark even with every reclaimable page
     * freed ({@code zone_reclaimable_pages}: the file LRU, and the anon LRU while swap has room).
     */
    private boolean shouldReclaimRetry(Zone[] zl, int highestIdx, long nodemask, int order, int allocFlags,
            int noProgressLoops) {
        if (noProgressLoops > MAX_RECLAIM_RETRIES) {
            return false;
        }
        for (Zone z : zl) {
            if (z.zoneIdx > highestIdx || (nodemask != 0 && (nodemask & (1L << z.nid)) == 0)) {
                continue;
            }
            long available = zoneReclaimablePages(z.nid, z.zoneIdx) + z.buddy.freePages();
            if (watermarkOk(z, available, order, z.watermark[Zone.WMARK_MIN], highestIdx, allocFlags)) {
                return true;
            }
        }
        return false;
    }

    /** {@code zone_reclaimable_pages}: the zone's file LRU pages, plus its anon LRU pages while swap has free slots. */
    public long zoneReclaimablePages(int nid, int zoneIdx) {
        long n = lru.zoneSize(nid, zoneIdx, Lru.LRU_INACTIVE_FILE) + lru.zoneSize(nid, zoneIdx, Lru.LRU_ACTIVE_FILE);
        if (swap.freePages() > 0) {
            n += lru.zoneSize(nid, zoneIdx, Lru.LRU_INACTIVE_ANON) + lru.zoneSize(nid, zoneIdx, Lru.LRU_ACTIVE_ANON);
        }
        return n;
    }

    private long fail(String reason) {
        lastFailure = reason;
        allocFailures++;
        return NO_PFN;
    }

    /**
     * {@code wake_all_kswapds}: {@code wakeup_kswapd} once per node met on the zonelist. The node
     * records the largest order and zone index asked for; kswapd is woken unless the node is
     * balanced for them or has failed {@code MAX_RECLAIM_RETRIES} times (hopeless: left to direct
     * reclaim). A woken kswapd runs when the current operation returns (see org.mmsim.kernel.reclaim).
     */
    private void wakeAllKswapds(Zone[] zl, int highestIdx, long nodemask, int order, int gfp) {
        for (int nid : zonelistNodes(zl, highestIdx, nodemask)) {
            wakeupKswapd(nid, order, highestIdx);
        }
    }

    /** The nodes of the zones of {@code zl} the allocation may use, each once, in zonelist order. */
    private int[] zonelistNodes(Zone[] zl, int highestIdx, long nodemask) {
        int[] nids = new int[nrNodes];
        int n = 0;
        long seen = 0;
        for (Zone z : zl) {
            if (z.zoneIdx > highestIdx || (nodemask != 0 && (nodemask & (1L << z.nid)) == 0)) {
                continue;
            }
            if ((seen & (1L << z.nid)) == 0) {
                seen |= 1L << z.nid;
                nids[n++] = z.nid;
            }
        }
        return n == nids.length ? nids : Arrays.copyOf(nids, n);
    }

    private void wakeupKswapd(int nid, int order, int highestIdx) {
        if (kswapdPending[nid]) {
            kswapdHighestIdx[nid] = Math.max(kswapdHighestIdx[nid], highestIdx);
            kswapdOrder[nid] = Math.max(kswapdOrder[nid], order);
            return;
        }
        if (kswapdFailures[nid] >= MAX_RECLAIM_RETRIES || pgdatBalanced(nid, order, highestIdx)) {
            return;
        }
        kswapdPending[nid] = true;
        kswapdHighestIdx[nid] = highestIdx;
        kswapdOrder[nid] = order;
        kswapdWakeups++;
    }

    /**
     * {@code pgdat_balanced}: some managed zone of the node up to {@code highestIdx} is above its
     * high watermark for {@code order} (bottom-up; one balanced zone is enough); a node with no
     * managed zone there needs no balancing.
     */
    public boolean pgdatBalanced(int nid, int order, int highestIdx) {
        boolean any = false;
        for (Zone z : zones[nid]) {
            if (z.zoneIdx > highestIdx || z.managedPages == 0) {
                continue;
            }
            any = true;
            if (zoneWatermarkOk(z, order, z.watermark[Zone.WMARK_HIGH], highestIdx, 0)) {
                return true;
            }
        }
        return !any;
    }

    /** The node whose kswapd is woken and waiting to run, lowest first, or -1. */
    public int pendingKswapd() {
        for (int nid = 0; nid < nrNodes; nid++) {
            if (kswapdPending[nid]) {
                return nid;
            }
        }
        return -1;
    }

    /** kswapd of {@code nid} takes its wakeup: answers {order, highest zone index} and clears it. */
    public int[] takeKswapdWakeup(int nid) {
        kswapdPending[nid] = false;
        return new int[] {kswapdOrder[nid], kswapdHighestIdx[nid]};
    }

    /** {@code pgdat->kswapd_failures}. */
    public int kswapdFailures(int nid) {
        return kswapdFailures[nid];
    }

    public void setKswapdFailures(int nid, int failures) {
        kswapdFailures[nid] = failures;
    }

    /** Installs page reclaim: from now on allocations below min reclaim directly. */
    public void setReclaimer(Reclaimer r) {
        this.reclaimer = r;
    }

    /** Whether an allocation that may block would enter direct reclaim here (reclaim is installed and allowed). */
    boolean canDirectReclaim() {
        return reclaimer != null && noReclaimDepth == 0;
    }

    /** {@code memalloc_noreclaim_save}: allocations until the matching restore do not reclaim. */
    public void noReclaimSave() {
        noReclaimDepth++;
    }

    public void noReclaimRestore() {
        noReclaimDepth--;
    }

    /** The LRU lists of every node. */
    public Lru lru() {
        return lru;
    }

    /** The reclaim events ({@code pgscan_*}, {@code pgsteal_*}, {@code allocstall_*} …). */
    public ReclaimStats reclaimStats() {
        return reclaimStats;
    }

    /** Whether {@link #pageAccessed} must be called on every access (the teaching {@code lru} policy). */
    public boolean tracksAccess() {
        return trackAccess;
    }

    public void setTrackAccess(boolean track) {
        this.trackAccess = track;
    }

    /** A user access reached {@code pfn}: under exact LRU it becomes its list's youngest page. */
    public void pageAccessed(long pfn) {
        int list = lru.listOf(pfn);
        if (list >= 0) {
            lru.restamp(pfn);
            lru.moveToHead(pfn, list);
        }
    }

    /**
     * {@code folio_add_lru()}: the user page {@code pfn}, just mapped or cached, goes to the head of
     * {@code list} of its node; {@code mappingId} and {@code key} are what the reverse map needs
     * ({@link Lru#ANON} and the virtual address, or the file's id and the page index).
     */
    public void lruAdd(long pfn, int list, int mappingId, long key) {
        Zone z = lastZone != null && lastZone.spans(pfn) ? lastZone : zoneOfPopulated(pfn); // mostly just allocated there
        lru.add(pfn, z.nid, z.zoneIdx, list, mappingId, key);
    }

    /** The zone index ({@code zone_idx}) of the populated zone holding {@code pfn}. */
    public int zoneIdxOf(long pfn) {
        return zoneOfPopulated(pfn).zoneIdx;
    }

    /** The type names of zone indexes 0.. of each node ({@code DMA}, {@code DMA32}, …). */
    public ZoneType zoneTypeOfIdx(int zoneIdx) {
        return zoneTypes[zoneIdx];
    }

    /** How many zones a node has ({@code MAX_NR_ZONES} here). */
    public int nrZonesPerNode() {
        return zoneTypes.length;
    }

    /** The free pages of a zone, by node and zone index. */
    public long zoneFreePages(int nid, int zoneIdx) {
        return zones[nid][zoneIdx].buddy.freePages();
    }

    /** {@code high_wmark_pages} of a zone, by node and zone index. */
    public long zoneHighWmark(int nid, int zoneIdx) {
        return zones[nid][zoneIdx].watermark[Zone.WMARK_HIGH];
    }

    /** {@code managed_zone}. */
    public boolean zoneManaged(int nid, int zoneIdx) {
        return zones[nid][zoneIdx].managedPages > 0;
    }

    /** {@code first_zones_zonelist}. */
    private static Zone firstZone(Zone[] zl, int highestIdx, long nodemask) {
        for (Zone z : zl) {
            if (z.zoneIdx <= highestIdx && (nodemask == 0 || (nodemask & (1L << z.nid)) != 0)) {
                return z;
            }
        }
        return null;
    }

    /** {@code get_page_from_freelist}: the first zone that passes its watermark and has a block. */
    private long getPageFromFreelist(Zone[] zl, int highestIdx, long nodemask, int order, int mt, int gfp,
            int allocFlags, Zone preferred, int local) {
        for (Zone z : zl) {
            if (z.zoneIdx > highestIdx || (nodemask != 0 && (nodemask & (1L << z.nid)) == 0)) {
                continue;
            }
            long mark = z.watermark[allocFlags & 3];
            if (!zoneWatermarkOk(z, order, mark, highestIdx, allocFlags)) {
                continue;
            }
            long pfn = z.buddy.rmqueue(order, mt);
            if (pfn == NO_PFN) {
                continue;
            }
            allocated(z, pfn, order, mt, gfp, preferred, local);
            return pfn;
        }
        return NO_PFN;
    }

    /** The bookkeeping after {@code rmqueue} took {@code pfn} from {@code z}: struct page, zone and numa counters. */
    private void allocated(Zone z, long pfn, int order, int mt, int gfp, Zone preferred, int local) {
        pages.add(pfn, order, mt, gfp, PageStore.OWNER_KERNEL);
        z.allocatedPages += 1L << order;
        z.pgalloc += 1L << order;
        zoneStatistics(preferred, z, local);
        allocCount++;
        if (lastZone != z) {
            lastZone = z;
        }
    }

    /** {@code zone_watermark_ok}: {@link #watermarkOk} with the zone's free pages. */
    static boolean zoneWatermarkOk(Zone z, int order, long mark, int highestIdx, int allocFlags) {
        return watermarkOk(z, z.buddy.freePages(), order, mark, highestIdx, allocFlags);
    }

    /**
     * {@code __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages)} (no
     * highatomic reserve, no CMA): {@code free} less the request's other pages must stay above the
     * mark (reduced for the reserves the flags grant) plus {@code lowmem_reserve}, and for order > 0
     * a block of the order must be free.
     */
    static boolean watermarkOk(Zone z, long free, int order, long mark, int highestIdx, int allocFlags) {
        long freePages = free - ((1L << order) - 1);
        long min = mark;
        if ((allocFlags & ALLOC_RESERVES) != 0 && (allocFlags & ALLOC_MIN_RESERVE) != 0) {
            min -= min / 2;
            if ((allocFlags & ALLOC_NON_BLOCK) != 0) {
                min -= min / 4;
            }
        }
        if (freePages <= min + z.lowmemReserve[highestIdx]) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        return z.buddy.hasFreeBlockAtOrAbove(order);
    }

    /** {@code zone_statistics}: one event per allocation, hit/miss against the preferred zone's node, local/other against the CPU's. */
    private static void zoneStatistics(Zone preferred, Zone z, int local) {
        if (z.nid == preferred.nid) {
            z.numa[Zone.NUMA_HIT]++;
        } else {
            z.numa[Zone.NUMA_MISS]++;
            preferred.numa[Zone.NUMA_FOREIGN]++;
        }
        z.numa[z.nid == local ? Zone.NUMA_LOCAL : Zone.NUMA_OTHER]++;
    }

    /** Installs {@code policy} as {@code task}'s policy ({@code set_mempolicy}), validating it first. */
    public void setMempolicy(TaskContext task, MemPolicy policy) {
        MemPolicy valid = policy == null ? null : policy.validate(nrNodes);
        (task == null ? machineTask : task).setMempolicy(valid);
    }

    // ================================================================ freeing

    /**
     * {@code __free_pages(page, order)}: validates that {@code pfn} heads an allocated block of
     * exactly {@code order}, then gives it back to the buddy allocator.
     */
    public void freePages(long pfn, int order) {
        if (order < 0 || order > MAX_PAGE_ORDER || pfn < 0 || pfn >= maxPfn) {
            rejectFree(pfn, order);
        }
        // one radix walk: the chunk holding pfn's record serves the check, the removal and the
        // buddy allocator's merge probes and list insertion
        long[] c = pages.memMap().lookup(pfn);
        if (!PageStore.isHeadOfOrder(c, pfn, order)) {
            rejectFree(pfn, order);
        }
        Zone z = freeZoneHint;
        if (!z.spans(pfn)) {
            z = zoneOfPopulated(pfn);
            freeZoneHint = z;
        }
        pages.removeAt(c, pfn);
        z.allocatedPages -= 1L << order;
        z.buddy.free(c, pfn, order);
        pgfree += 1L << order;
    }

    /** Throws the {@link KernelInputException} {@link #freePages} owes bad input; kept out of its fast path. */
    private void rejectFree(long pfn, int order) {
        validateOrder(order);
        validatePfn(pfn);
        int allocatedOrder = pages.headOrder(pfn);
        if (allocatedOrder < 0) {
            throw new KernelInputException("pfn", describeUnfreeable(pfn));
        }
        throw new KernelInputException("order", "the block at pfn " + pfn + " was allocated with order "
                + allocatedOrder + ", not " + order);
    }

    // ================================================================ user pages (struct page counters)

    /**
     * {@code alloc_pages_mpol()} for a page the mm layer maps (an anonymous folio, a page-table
     * page): validated inputs only, no result object. The block is recorded with
     * {@code owner}; answers its pfn or {@link #NO_PFN}.
     */
    public long allocPagesMpol(int order, int gfp, MemPolicy policy, long ilx, int cpu, TaskContext task, int owner) {
        return allocPagesMpol(order, gfp, policy, ilx, cpu, task, owner, false);
    }

    /**
     * {@link #allocPagesMpol(int, int, MemPolicy, long, int, TaskContext, int)} for a page a PTE
     * maps at once when {@code mapped}: it starts with refcount 1 and mapcount 1 (one store, as
     * {@code folio_add_new_anon_rmap} on a fresh folio).
     */
    public long allocPagesMpol(int order, int gfp, MemPolicy policy, long ilx, int cpu, TaskContext task, int owner,
                               boolean mapped) {
        int local = cpuNode[cpu];
        TaskContext t = task != null ? task : machineTask;
        MemPolicy pol = policy != null ? policy : t.mempolicy() != null ? t.mempolicy() : MemPolicy.LOCAL;
        long pfn = allocPagesMpol(gfp, order, pol, ilx, local, local, t);
        if (pfn != NO_PFN && owner != PageStore.OWNER_KERNEL) {
            pages.setPageCounters(pfn, 1, mapped ? 0 : -1, owner);
        }
        return pfn;
    }

    /**
     * Marks the freshly allocated block at {@code pfn} as the kernel's {@code owner} (a slab, a
     * vmalloc page, a kernel page table: one of {@link PageStore}'s kernel owners), as
     * {@code __folio_set_slab} / the vmalloc page type do; refcount 1, unmapped.
     */
    public void setKernelPageOwner(long pfn, int owner) {
        if (!PageStore.isKernelOwner(owner)) {
            throw new IllegalArgumentException("owner " + owner + " is not a kernel owner");
        }
        pages.setPageCounters(pfn, 1, -1, owner);
    }

    /** A PTE now maps the page: {@code folio_get} and {@code folio_add_file_rmap_pte} in one store. */
    public void pageGetAndMap(long pfn) {
        pages.addPageCounters(pfn, 1, 1);
    }

    /**
     * {@link #pageGetAndMap} for each of {@code pfns[0..n)} (order-0 heads): fork copying one
     * leaf table's PTEs.
     */
    public void pagesGetAndMap(long[] pfns, int n) {
        pages.getAndMapAll(pfns, n);
    }

    /** The swap device ({@code swap_info[0]}); a machine without swap has one of 0 slots. */
    public org.mmsim.kernel.swap.SwapInfo swap() {
        return swap;
    }

    /** Installs the swap device a snapshot restored (MachineCodec format 3). */
    public void restoreSwap(org.mmsim.kernel.swap.SwapInfo restored) {
        this.swap = restored;
    }

    /** The heads of every allocated block, in pfn order (invariant checks, views). */
    public long[] allocatedHeads() {
        return pages.sortedHeads();
    }

    /** {@code page_ref_count()} of the allocated block headed at {@code pfn}. */
    public int pageRefcount(long pfn) {
        return pages.refcount(pfn);
    }

    /** {@code page_mapcount()}: how many PTEs map the page (0 when unmapped). */
    public int pageMapcount(long pfn) {
        return pages.mapcount(pfn) + 1;
    }

    /** The order the block headed at {@code pfn} was allocated with. */
    public int pageOrder(long pfn) {
        return pages.order(pfn);
    }

    /** Who the page belongs to: one of {@link PageStore}'s {@code OWNER_*}. */
    public int pageOwner(long pfn) {
        return pages.owner(pfn);
    }

    /** {@code get_page()} ({@code folio_get}): one more reference. */
    public void getPage(long pfn) {
        pages.addPageCounters(pfn, 1, 0);
    }

    /** Adds {@code delta} to {@code _mapcount} ({@code folio_add_*_rmap} / {@code folio_remove_rmap_pte}). */
    public void pageAddMapcount(long pfn, int delta) {
        pages.addPageCounters(pfn, 0, delta);
    }

    /**
     * {@code put_page()} ({@code folio_put}): drops a reference; the last one frees the block
     * to the buddy allocator ({@code __folio_put} → {@code free_unref_page}). Answers whether it did.
     */
    public boolean putPage(long pfn) {
        return dropRefs(pfn, 0);
    }

    /**
     * A PTE stops mapping the page: {@code folio_remove_rmap_pte} and {@code folio_put} in one
     * store ({@code zap_present_ptes}); the last reference frees it. Answers whether it did.
     */
    public boolean pageUnmapAndPut(long pfn) {
        return dropRefs(pfn, -1);
    }

    private boolean dropRefs(long pfn, int mapDelta) {
        if (pages.addAndGetRefcount(pfn, -1, mapDelta) <= 0) {
            lru.remove(pfn); // __folio_put → lruvec_del_folio of a page still on a list
            freePages(pfn, pages.order(pfn));
            return true;
        }
        return false;
    }

    /**
     * The shared zero page ({@code empty_zero_page}, {@code my_zero_pfn()}): a page of the kernel
     * image's .bss, mapped read-only by every first read of anonymous memory.
     */
    public long zeroPfn() {
        return layout.zeroPfn();
    }

    private String describeUnfreeable(long pfn) {
        if (!layout.isPresent(pfn)) {
            return "pfn " + pfn + " is in a memory hole";
        }
        BootLayout.Range r = layout.reservationOf(pfn);
        if (r != null) {
            return "pfn " + pfn + " is a reserved frame (" + r.what() + ")";
        }
        long head = pages.headContaining(pfn);
        if (head != NO_PFN) {
            return "pfn " + pfn + " is inside the allocated block at pfn " + head + " of order " + pages.order(head);
        }
        return "pfn " + pfn + " is already free";
    }

    void validateOrder(int order) {
        if (order < 0 || order > MAX_PAGE_ORDER) {
            throw new KernelInputException("order", "order must be between 0 and " + MAX_PAGE_ORDER + " (MAX_PAGE_ORDER), got " + order);
        }
    }

    private void validatePfn(long pfn) {
        if (pfn < 0 || pfn >= layout.maxPfn) {
            throw new KernelInputException("pfn", "pfn " + pfn + " is outside physical memory (0.." + (layout.maxPfn - 1) + ")");
        }
    }

    private Zone zoneOfPopulated(long pfn) {
        int i = Arrays.binarySearch(populatedStarts, pfn);
        if (i < 0) {
            i = -i - 2;
        }
        if (i >= 0 && populatedByPfn[i].spans(pfn)) {
            return populatedByPfn[i];
        }
        return null;
    }

    // ================================================================ views

    public MachineConfig config() {
        return config;
    }

    public int nrNodes() {
        return nrNodes;
    }

    /** {@code max_pfn}: one past the highest pfn. */
    public long maxPfn() {
        return layout.maxPfn;
    }

    /** {@code vm.min_free_kbytes} in force. */
    public long minFreeKbytes() {
        return minFreeKbytes;
    }

    /** {@code totalreserve_pages}. */
    public long totalreservePages() {
        return Watermarks.totalreservePages(allZones);
    }

    /** The machine-wide task context the kernel-level API uses. */
    public TaskContext machineTask() {
        return machineTask;
    }

    /** The node a CPU belongs to ({@code cpu_to_node}). */
    public int cpuToNode(int cpu) {
        return config.cpuToNode(cpu);
    }

    public List<NodeView> nodes() {
        List<NodeView> out = new ArrayList<>();
        for (int nid = 0; nid < nrNodes; nid++) {
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < cpuNode.length; cpu++) {
                if (cpuNode[cpu] == nid) {
                    cpus.add(cpu);
                }
            }
            long present = 0;
            long managed = 0;
            long free = 0;
            for (Zone z : zones[nid]) {
                present += z.presentPages;
                managed += z.managedPages;
                free += z.buddy.freePages();
            }
            out.add(new NodeView(nid, List.copyOf(cpus), config.nodes().get(nid).memoryBytes(),
                    config.distances().get(nid), layout.nodeStart[nid], layout.nodeEnd[nid] - layout.nodeStart[nid],
                    present, managed, free));
        }
        return out;
    }

    /** The zones that exist (are populated) on {@code nid}, lowest first. */
    public List<ZoneView> zones(int nid) {
        return allZones(nid).stream().filter(ZoneView::populated).toList();
    }

    /** Every zone of {@code nid}, empty ones included, as {@code /proc/zoneinfo} lists them. */
    public List<ZoneView> allZones(int nid) {
        validateNode(nid);
        List<ZoneView> out = new ArrayList<>();
        for (Zone z : zones[nid]) {
            out.add(view(z));
        }
        return out;
    }

    private ZoneView view(Zone z) {
        List<Long> protection = new ArrayList<>();
        for (long r : z.lowmemReserve) {
            protection.add(r);
        }
        List<Long> nrFree = new ArrayList<>();
        List<List<Long>> byType = new ArrayList<>();
        for (int o = 0; o < NR_PAGE_ORDERS; o++) {
            nrFree.add(z.buddy.nrFree(o));
        }
        for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
            List<Long> row = new ArrayList<>();
            for (int o = 0; o < NR_PAGE_ORDERS; o++) {
                row.add(z.buddy.nrFree(o, mt));
            }
            byType.add(List.copyOf(row));
        }
        List<Long> blocks = new ArrayList<>();
        for (long c : z.buddy.pageblockCounts()) {
            blocks.add(c);
        }
        return new ZoneView(z.nid, z.type.procName(), z.zoneIdx, z.populated(), z.zoneStartPfn, z.spannedPages,
                z.presentPages, z.managedPages, z.buddy.freePages(),
                z.watermark[Zone.WMARK_MIN], z.watermark[Zone.WMARK_LOW], z.watermark[Zone.WMARK_HIGH],
                z.watermark[Zone.WMARK_PROMO], List.copyOf(protection),
                z.numa[Zone.NUMA_HIT], z.numa[Zone.NUMA_MISS], z.numa[Zone.NUMA_FOREIGN],
                z.numa[Zone.NUMA_INTERLEAVE_HIT], z.numa[Zone.NUMA_LOCAL], z.numa[Zone.NUMA_OTHER],
                z.pgalloc, List.copyOf(nrFree), List.copyOf(byType), List.copyOf(blocks));
    }

    /** A zone by node and {@code /proc} name ({@code "DMA32"}), or a KernelInputException. */
    public ZoneView zone(int nid, String zoneName) {
        return view(findZone(nid, zoneName));
    }

    private Zone findZone(int nid, String zoneName) {
        validateNode(nid);
        for (Zone z : zones[nid]) {
            if (z.type.procName().equalsIgnoreCase(zoneName) || z.type.name().equalsIgnoreCase(zoneName)) {
                return z;
            }
        }
        throw new KernelInputException("zone", "node " + nid + " has no zone '" + zoneName + "'");
    }

    void validateNode(int nid) {
        if (nid < 0 || nid >= nrNodes) {
            throw new KernelInputException("node", "node " + nid + " does not exist: the machine has " + nrNodes + " nodes");
        }
    }

    /** The zonelist an allocation on {@code nid} walks ({@code ZONELIST_NOFALLBACK} for {@code __GFP_THISNODE}). */
    Zone[] zonelistFor(int nid, boolean thisNode) {
        return thisNode ? zonelistNofallback[nid] : zonelistFallback[nid];
    }

    /**
     * "Could an order-{@code order} allocation with {@code gfp} on {@code node} succeed now, and
     * if not, why": {@link AllocCheck}. Changes nothing.
     */
    public AllocCheck allocCheck(int order, String gfp, int node) {
        return AllocCheck.check(this, order, gfp, node);
    }

    /** The zonelist of {@code nid}: {@code ZONELIST_FALLBACK}, or {@code ZONELIST_NOFALLBACK} for {@code __GFP_THISNODE}. */
    public List<ZoneRef> zonelist(int nid, boolean thisNode) {
        validateNode(nid);
        List<ZoneRef> out = new ArrayList<>();
        for (Zone z : thisNode ? zonelistNofallback[nid] : zonelistFallback[nid]) {
            out.add(new ZoneRef(z.nid, z.type.procName()));
        }
        return out;
    }

    /** A zone's free_area: every order's nr_free and at most {@code limit} block pfns from {@code offset}. */
    public FreeAreaView freeArea(int nid, String zoneName, long offset, int limit) {
        if (offset < 0) {
            throw new KernelInputException("offset", "offset must not be negative");
        }
        if (limit < 0 || limit > 100_000) {
            throw new KernelInputException("limit", "limit must be between 0 and 100000");
        }
        Zone z = findZone(nid, zoneName);
        List<FreeAreaView.Order> orders = new ArrayList<>();
        for (int o = 0; o < NR_PAGE_ORDERS; o++) {
            List<Long> pfns = new ArrayList<>();
            long skip = offset;
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES && pfns.size() < limit; mt++) {
                long n = z.buddy.nrFree(o, mt);
                if (skip >= n) {
                    skip -= n;
                    continue;
                }
                pfns.addAll(z.buddy.listPfns(o, mt, skip, limit - pfns.size()));
                skip = 0;
            }
            orders.add(new FreeAreaView.Order(o, z.buddy.nrFree(o), List.copyOf(pfns)));
        }
        return new FreeAreaView(nid, z.type.procName(), List.copyOf(orders));
    }

    public FreeAreaView freeArea(int nid, String zoneName) {
        return freeArea(nid, zoneName, 0, 64);
    }

    /** {@code struct page} of any pfn: stored metadata for allocated frames, derived for the rest. */
    public FrameView frame(long pfn) {
        validatePfn(pfn);
        int nid = nodeOfPfn(pfn);
        Zone z = null;
        for (Zone c : zones[nid]) {
            if (c.spannedPages > 0 && c.spans(pfn)) {
                z = c;
            }
        }
        if (z == null) {
            for (Zone c : zones[nid]) {
                if (c.populated()) {
                    z = c;
                    break;
                }
            }
        }
        String zoneName = z.type.procName();
        String mtName = MigrateType.name(z.buddy.pageblockMigratetype(pfn));
        if (!layout.isPresent(pfn)) {
            return new FrameView(pfn, nid, zoneName, "hole", List.of("reserved"), 1, -1, -1, -1, "", mtName, "");
        }
        if (layout.reservationOf(pfn) != null) {
            return new FrameView(pfn, nid, zoneName, "reserved", List.of("reserved"), 1, -1, -1, -1, "", mtName, "");
        }
        long allocatedHead = pages.headContaining(pfn);
        if (allocatedHead != NO_PFN) {
            boolean isHead = allocatedHead == pfn;
            // PG_slab (KPF_SLAB in /proc/kpageflags) on every page of a slab
            List<String> flags = pages.owner(allocatedHead) == PageStore.OWNER_SLAB ? List.of("slab") : lruFlags(pfn);
            return new FrameView(pfn, nid, zoneName, "allocated", flags, isHead ? pages.refcount(allocatedHead) : 0,
                    pages.mapcount(allocatedHead), isHead ? pages.order(allocatedHead) : -1, allocatedHead, ownerName(pages.owner(allocatedHead)),
                    mtName, Gfp.format(pages.gfp(allocatedHead)));
        }
        long head = z.buddy.freeBlockContaining(pfn);
        boolean isHead = head == pfn;
        return new FrameView(pfn, nid, zoneName, "free", isHead ? List.of("buddy") : List.of(), 0, -1,
                isHead ? z.buddy.freeHeadOrder(pfn) : -1, head, "", mtName, "");
    }

    /** The LRU page flags of a user page, as /proc/kpageflags names them: lru, active, referenced, workingset, swapbacked. */
    private List<String> lruFlags(long pfn) {
        int list = lru.listOf(pfn);
        if (list < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add("lru");
        if (list == Lru.LRU_ACTIVE_ANON || list == Lru.LRU_ACTIVE_FILE) {
            out.add("active");
        }
        int f = lru.flagsOf(pfn);
        if ((f & Lru.PG_REFERENCED) != 0) {
            out.add("referenced");
        }
        if ((f & Lru.PG_WORKINGSET) != 0) {
            out.add("workingset");
        }
        if (list == Lru.LRU_INACTIVE_ANON || list == Lru.LRU_ACTIVE_ANON) {
            out.add("swapbacked");
        }
        return out;
    }

    private static String ownerName(int owner) {
        return switch (owner) {
            case PageStore.OWNER_ANON -> "anon";
            case PageStore.OWNER_PGTABLE -> "pagetable";
            case PageStore.OWNER_SHMEM -> "shmem";
            case PageStore.OWNER_FILE -> "file";
            case PageStore.OWNER_SLAB -> "slab";
            case PageStore.OWNER_VMALLOC -> "vmalloc";
            case PageStore.OWNER_KMALLOC_LARGE -> "kmalloc";
            case PageStore.OWNER_KERNEL_PGTABLE -> "kernel-pagetable";
            default -> "kernel";
        };
    }

    private int nodeOfPfn(long pfn) {
        for (int nid = nrNodes - 1; nid >= 0; nid--) {
            if (pfn >= layout.nodeStart[nid] || nid == 0) {
                return nid;
            }
        }
        return 0;
    }

    public VmEvents vmEvents() {
        return new VmEvents(pgfree, allocFailures, kswapdWakeups);
    }

    /** Σ NR_FREE_PAGES over all zones. */
    public long nrFreePages() {
        long sum = 0;
        for (Zone z : allZones) {
            sum += z.buddy.freePages();
        }
        return sum;
    }

    /** {@code totalram_pages()}: Σ managed pages. */
    public long totalramPages() {
        long sum = 0;
        for (Zone z : allZones) {
            sum += z.managedPages;
        }
        return sum;
    }

    /** The architecture's zone types in {@code zone_idx} order. */
    public List<String> zoneNames() {
        return Arrays.stream(zoneTypes).map(ZoneType::procName).toList();
    }

    // ================================================================ invariants

    /** Checks every invariant of the physical memory state; throws {@link IllegalStateException} naming the first violation. */
    public void checkInvariants() {
        swap.checkInvariants();
        long hitMiss = 0;
        long localOther = 0;
        long miss = 0;
        long foreign = 0;
        long allocatedTotal = 0;
        for (Zone z : allZones) {
            z.buddy.checkInvariants(z.label(), pfn -> pages.headContaining(pfn) != NO_PFN
                    || layout.reservationOf(pfn) != null || !layout.isPresent(pfn));
            if (z.buddy.freePages() + z.allocatedPages != z.managedPages) {
                throw new IllegalStateException(z.label() + ": free " + z.buddy.freePages() + " + allocated "
                        + z.allocatedPages + " != managed " + z.managedPages);
            }
            long reserved = layout.reservedIn(z.zoneStartPfn, z.endPfn());
            if (z.buddy.freePages() + z.allocatedPages + reserved != z.presentPages) {
                throw new IllegalStateException(z.label() + ": free + used + reserved != present");
            }
            hitMiss += z.numa[Zone.NUMA_HIT] + z.numa[Zone.NUMA_MISS];
            localOther += z.numa[Zone.NUMA_LOCAL] + z.numa[Zone.NUMA_OTHER];
            miss += z.numa[Zone.NUMA_MISS];
            foreign += z.numa[Zone.NUMA_FOREIGN];
            allocatedTotal += z.allocatedPages;
        }
        long allocatedByStore = 0;
        for (long head : pages.sortedHeads()) {
            int order = pages.order(head);
            allocatedByStore += 1L << order;
            Zone z = zoneOfPopulated(head);
            if (z == null || head + (1L << order) > z.endPfn() || (head & ((1L << order) - 1)) != 0) {
                throw new IllegalStateException("allocated block " + head + " of order " + order + " is misplaced");
            }
            if (z.buddy.freeBlockContaining(head) != NO_PFN || layout.reservationOf(head) != null) {
                throw new IllegalStateException("allocated block " + head + " is also free or reserved");
            }
        }
        if (allocatedByStore != allocatedTotal) {
            throw new IllegalStateException("struct page store holds " + allocatedByStore
                    + " allocated pages but the zones count " + allocatedTotal);
        }
        if (hitMiss != allocCount || localOther != allocCount) {
            throw new IllegalStateException("numastat: hit+miss " + hitMiss + ", local+other " + localOther
                    + ", allocations " + allocCount);
        }
        if (miss != foreign) {
            throw new IllegalStateException("numastat: numa_miss " + miss + " != numa_foreign " + foreign);
        }
    }

    // ================================================================ snapshot

    /** Encodes the whole state compactly; size grows with used state, not machine size. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeInt(allZones.size());
        for (Zone z : allZones) {
            z.buddy.writeTo(out);
            for (long c : z.numa) {
                out.writeLong(c);
            }
            out.writeLong(z.pgalloc);
            out.writeLong(z.allocatedPages);
        }
        pages.writeTo(out);
        out.writeLong(pgfree);
        out.writeLong(allocFailures);
        out.writeLong(allocCount);
        out.writeLong(kswapdWakeups);
        writePolicy(out, machineTask.mempolicy());
        out.writeInt(machineTask.ilPrev());
        out.writeInt(machineTask.ilWeight());
    }

    /** Decodes a snapshot of a machine booted from {@code config}. */
    public static PhysicalMemory readFrom(DataInputStream in, MachineConfig config) throws IOException {
        PhysicalMemory pm = new PhysicalMemory(config);
        if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
            throw new IOException("not a physical memory snapshot of version " + SNAPSHOT_VERSION);
        }
        int n = in.readInt();
        if (n != pm.allZones.size()) {
            throw new IOException("snapshot has " + n + " zones, the config boots " + pm.allZones.size());
        }
        for (Zone z : pm.allZones) {
            z.buddy.readFrom(in);
            for (int i = 0; i < z.numa.length; i++) {
                z.numa[i] = in.readLong();
            }
            z.pgalloc = in.readLong();
            z.allocatedPages = in.readLong();
        }
        pm.pages.readFrom(in);
        pm.pgfree = in.readLong();
        pm.allocFailures = in.readLong();
        pm.allocCount = in.readLong();
        pm.kswapdWakeups = in.readLong();
        MemPolicy policy = readPolicy(in);
        pm.machineTask.restore(policy, in.readInt(), in.readInt());
        return pm;
    }

    /** A policy (or null) in the snapshot encoding. */
    public static void writePolicy(DataOutputStream out, MemPolicy p) throws IOException {
        if (p == null) {
            out.writeByte(-1);
            return;
        }
        out.writeByte(p.mode().value());
        out.writeLong(p.nodes());
        out.writeInt(p.homeNode());
        out.writeInt(p.weights().size());
        for (int w : p.weights()) {
            out.writeInt(w);
        }
    }

    public static MemPolicy readPolicy(DataInputStream in) throws IOException {
        int mode = in.readByte();
        if (mode < 0) {
            return null;
        }
        long nodes = in.readLong();
        int home = in.readInt();
        int nw = in.readInt();
        List<Integer> weights = new ArrayList<>();
        for (int i = 0; i < nw; i++) {
            weights.add(in.readInt());
        }
        MemPolicyMode m = null;
        for (MemPolicyMode c : MemPolicyMode.values()) {
            if (c.value() == mode) {
                m = c;
            }
        }
        return new MemPolicy(m, nodes, home, weights);
    }
}
