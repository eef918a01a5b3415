package org.mmsim.kernel.procfs;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.Task;

/**
 * The node and zone page counters of {@code enum node_stat_item} / {@code enum zone_stat_item}
 * (include/linux/mmzone.h) that the user-memory layer moves, recounted from the machine's state
 * instead of being kept incrementally: every allocated frame is classified by its owner, mapcount
 * and node/zone.
 *
 * <ul>
 * <li>{@code NR_ANON_MAPPED} (AnonPages): anonymous folios with a mapcount, each frame once
 *     ({@code folio_add_new_anon_rmap} counts the first mapping only).</li>
 * <li>{@code NR_FILE_MAPPED} (Mapped): page-cache and shmem folios mapped at least once.</li>
 * <li>{@code NR_FILE_PAGES} (Cached + …): every page-cache page, shmem included; {@code NR_SHMEM} the
 *     shmem ones.</li>
 * <li>{@code NR_PAGETABLE} (PageTables): every page-table page, the pgd included — since 6.14 the
 *     generic {@code __pgd_alloc} runs {@code pagetable_pgd_ctor}, so every level is accounted
 *     (VmPTE, {@code mm_pgtables_bytes}, still counts only pte/pmd/pud pages).</li>
 * <li>LRU lists: the list each page is on ({@link org.mmsim.kernel.phys.Lru}). A new folio is added by
 *     {@code folio_add_lru()} with PG_active clear (only MGLRU activates in the fault path), so
 *     anonymous and shmem pages ({@code folio_is_file_lru} is false for swap-backed folios) start on
 *     the inactive anon list and program-image pages on the inactive file list; reclaim activates
 *     and deactivates them (org.mmsim.kernel.reclaim). The per-CPU {@code lru_add} batches are taken
 *     as drained.</li>
 * <li>{@code Committed_AS}: {@code vm_committed_as}, the sum of the mms' {@code VM_ACCOUNT} charges.</li>
 * <li>{@code NR_SLAB_UNRECLAIMABLE_B} (SUnreclaim): every page of a slab and of a large kmalloc
 *     (org.mmsim.kernel.slab); none of the simulated caches is {@code SLAB_RECLAIM_ACCOUNT}, so
 *     {@code NR_SLAB_RECLAIMABLE_B} stays 0. {@code init_mm}'s page tables count in NR_PAGETABLE, the
 *     pages of vmalloc areas in VmallocUsed ({@code vmalloc_nr_pages}).</li>
 * </ul>
 * Unevictable/mlocked pages, dirty or writeback file pages (shmem dirtying goes through
 * {@code noop_dirty_folio}, which does not count NR_FILE_DIRTY), kernel stacks and swap are
 * not simulated and stay 0.
 */
public final class PageCounters {
    /** Per-zone items, the {@code nr_zone_*} lines: indexes into {@link #zone}. */
    static final int ZONE_INACTIVE_ANON = 0;
    static final int ZONE_ACTIVE_ANON = 1;
    static final int ZONE_INACTIVE_FILE = 2;
    static final int ZONE_ACTIVE_FILE = 3;
    static final int NR_ZONE_ITEMS = 4;
    /** The node item of each LRU list, by {@code enum lru_list}. */
    private static final NodeItem[] LRU_ITEMS = {NodeItem.INACTIVE_ANON, NodeItem.ACTIVE_ANON,
        NodeItem.INACTIVE_FILE, NodeItem.ACTIVE_FILE, NodeItem.UNEVICTABLE};

    private final KernelCounters total;
    private final KernelCounters[] nodes;
    private final long[][][] zone;

    private PageCounters(KernelCounters total, KernelCounters[] nodes, long[][][] zone) {
        this.total = total;
        this.nodes = nodes;
        this.zone = zone;
    }

    /** Counts the machine's pages now. */
    public static PageCounters of(Machine machine) {
        PhysicalMemory pm = machine.phys();
        PfnLocator where = new PfnLocator(pm);
        int nrNodes = pm.nrNodes();
        long[][] node = new long[nrNodes][NodeItem.values().length];
        long[][][] zone = new long[nrNodes][where.nrZonesPerNode()][NR_ZONE_ITEMS];
        for (long pfn : pm.allocatedHeads()) {
            int owner = pm.pageOwner(pfn);
            if (owner == PageStore.OWNER_KERNEL) {
                continue;
            }
            int nid = where.nid(pfn);
            long[] n = node[nid];
            long[] z = zone[nid][where.zoneIdx(pfn)];
            boolean mapped = pm.pageMapcount(pfn) > 0;
            int list = pm.lru().listOf(pfn);
            if (list >= 0) {
                n[LRU_ITEMS[list].ordinal()]++;
                if (list < NR_ZONE_ITEMS) {
                    z[list]++;
                }
            }
            switch (owner) {
                case PageStore.OWNER_ANON -> {
                    if (mapped) {
                        n[NodeItem.ANON_MAPPED.ordinal()]++;
                    }
                }
                case PageStore.OWNER_SHMEM -> {
                    n[NodeItem.FILE_PAGES.ordinal()]++;
                    n[NodeItem.SHMEM.ordinal()]++;
                    if (mapped) {
                        n[NodeItem.FILE_MAPPED.ordinal()]++;
                    }
                }
                case PageStore.OWNER_FILE -> {
                    n[NodeItem.FILE_PAGES.ordinal()]++;
                    if (mapped) {
                        n[NodeItem.FILE_MAPPED.ordinal()]++;
                    }
                }
                case PageStore.OWNER_PGTABLE, PageStore.OWNER_KERNEL_PGTABLE -> n[NodeItem.PAGETABLE.ordinal()]++;
                case PageStore.OWNER_SLAB, PageStore.OWNER_KMALLOC_LARGE ->
                    n[NodeItem.SLAB_UNRECLAIMABLE.ordinal()] += 1L << pm.pageOrder(pfn);
                case PageStore.OWNER_VMALLOC -> n[NodeItem.VMALLOC.ordinal()]++;
                default -> {
                }
            }
        }
        long committed = 0;
        for (Task t : machine.processes().tasks().alive()) {
            if (t.mm() != null) {
                committed += t.mm().committedPages();
            }
        }
        KernelCounters[] perNode = new KernelCounters[nrNodes];
        long[] sum = new long[NodeItem.values().length];
        for (int nid = 0; nid < nrNodes; nid++) {
            perNode[nid] = counters(node[nid], 0);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += node[nid][i];
            }
        }
        return new PageCounters(counters(sum, committed), perNode, zone);
    }

    private static KernelCounters counters(long[] v, long committedAsPages) {
        return new KernelCounters(v[NodeItem.ACTIVE_ANON.ordinal()], v[NodeItem.INACTIVE_ANON.ordinal()],
                v[NodeItem.ACTIVE_FILE.ordinal()], v[NodeItem.INACTIVE_FILE.ordinal()], v[NodeItem.UNEVICTABLE.ordinal()],
                0, v[NodeItem.ANON_MAPPED.ordinal()], v[NodeItem.FILE_MAPPED.ordinal()],
                v[NodeItem.FILE_PAGES.ordinal()], v[NodeItem.SHMEM.ordinal()], 0, 0, 0,
                v[NodeItem.SLAB_UNRECLAIMABLE.ordinal()], 0, v[NodeItem.PAGETABLE.ordinal()], 0, 0, -1,
                committedAsPages, v[NodeItem.VMALLOC.ordinal()], 0, 0);
    }

    /** The machine-wide counters ({@code global_node_page_state}, {@code vm_committed_as}). */
    public KernelCounters total() {
        return total;
    }

    /** One node's counters ({@code node_page_state}); {@code committedAsPages} is 0 there. */
    public KernelCounters node(int nid) {
        return nodes[nid];
    }

    /** A per-zone LRU counter ({@code zone_page_state}): one of the {@code ZONE_*} items. */
    long zone(int nid, int zoneIdx, int item) {
        return zone[nid][zoneIdx][item];
    }

    /** The node items this census fills. */
    private enum NodeItem {
        INACTIVE_ANON, ACTIVE_ANON, INACTIVE_FILE, ACTIVE_FILE, UNEVICTABLE, ANON_MAPPED, FILE_MAPPED, FILE_PAGES, SHMEM, PAGETABLE, SLAB_UNRECLAIMABLE,
        /** Not a node item: {@code vmalloc_nr_pages()} is global; summed over nodes it is the machine's figure. */
        VMALLOC
    }
}
