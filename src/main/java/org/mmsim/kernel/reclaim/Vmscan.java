package org.mmsim.kernel.reclaim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.mmsim.kernel.machine.ReclaimPolicy;
import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.Lru;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ReclaimStats;
import org.mmsim.kernel.swap.SwapInfo;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;

/**
 * Page reclaim, mm/vmscan.c (LINUX.md §7), without MGLRU: kswapd ({@code balance_pgdat}) and
 * direct reclaim ({@code try_to_free_pages}) shrink a node's LRU lists ({@code shrink_node} →
 * {@code shrink_lruvec}); {@code get_scan_count} splits the scan between anon and file by
 * {@code vm.swappiness}; {@code shrink_active_list} deactivates pages, {@code shrink_inactive_list}
 * checks references ({@code folio_check_references}: a page whose PTEs were young is kept once and
 * activated on a second reference) and reclaims the rest — an anonymous page is written to a swap
 * slot and every PTE mapping it gets the swap entry ({@code try_to_unmap}), a clean page-cache page
 * is unmapped and dropped from its file's cache.
 *
 * <p>The reverse map ({@code rmap_walk}) finds a page's PTEs from what its LRU entry keeps: an
 * anonymous page's virtual address (every mapper maps it there: no mremap), a cached page's file
 * and index (every VMA of that file maps it at {@code vm_start + (index − vm_pgoff) · 4 KiB}).
 * A page whose mappers cannot all be found, or that holds a reference besides its mappings and
 * its cache (a fault in progress pins it), is not reclaimed.
 *
 * <p>When: kswapd is woken by the allocator's slow path below the low watermark and runs when the
 * operation that woke it returns ({@link #runKswapds}), until a zone is above its high watermark;
 * an allocation that fails at min reclaims directly, 32 pages at a time.
 *
 * <p>Simplifications: no reclaim cost tracking ({@code lru_note_cost}: anon_cost = file_cost = 0,
 * so the split is swappiness : 200 − swappiness), no refault/workingset detection, no swap cache
 * (a page is written and freed at once), shmem pages are not swapped (they are activated), no
 * slab shrinkers, no compaction, no memcg, no writeback throttling.
 */
public final class Vmscan {
    /** {@code SWAP_CLUSTER_MAX}. */
    public static final int SWAP_CLUSTER_MAX = 32;
    /** {@code DEF_PRIORITY}: scan 1/4096 of a list first. */
    public static final int DEF_PRIORITY = 12;
    /** {@code SWAP_CLUSTER_MAX_SKIPPED}. */
    static final int SWAP_CLUSTER_MAX_SKIPPED = SWAP_CLUSTER_MAX << 10;
    private static final int DEACTIVATE_ANON = 1;
    private static final int DEACTIVATE_FILE = 2;

    private enum Ref { ACTIVATE, KEEP, RECLAIM, RECLAIM_CLEAN }

    private final PhysicalMemory phys;
    private final Processes processes;
    private final ReclaimPolicy policy;
    private final int swappiness;
    private final Lru lru;
    private final ReclaimStats stats;
    /** The seeded generator of the teaching {@code random} policy (splitmix64), saved in snapshots. */
    private long randomState;

    public Vmscan(PhysicalMemory phys, Processes processes) {
        this.phys = phys;
        this.processes = processes;
        this.policy = phys.config().reclaim();
        this.swappiness = phys.config().tunables().swappiness();
        this.lru = phys.lru();
        this.stats = phys.reclaimStats();
        this.randomState = phys.config().seed() ^ 0x5DEECE66DL;
        phys.setTrackAccess(policy == ReclaimPolicy.LRU);
    }

    public ReclaimPolicy policy() {
        return policy;
    }

    /** {@code struct scan_control}. */
    private static final class ScanControl {
        final boolean kswapd;
        int reclaimIdx;
        int order;
        int priority = DEF_PRIORITY;
        long nrToReclaim;
        long nrReclaimed;
        long nrScanned;
        int mayDeactivate;
        boolean cacheTrimMode;
        boolean fileIsTiny;

        ScanControl(boolean kswapd, int reclaimIdx, int order, long nrToReclaim) {
            this.kswapd = kswapd;
            this.reclaimIdx = reclaimIdx;
            this.order = order;
            this.nrToReclaim = nrToReclaim;
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * {@code try_to_free_pages} → {@code do_try_to_free_pages}: {@code ALLOCSTALL} once, then
     * {@code shrink_zones} at falling priority until {@code SWAP_CLUSTER_MAX} pages are reclaimed.
     */
    public long tryToFreePages(int[] nids, int reclaimIdx, int order) {
        stats.allocstall[reclaimIdx]++;
        ScanControl sc = new ScanControl(false, reclaimIdx, order, SWAP_CLUSTER_MAX);
        do {
            sc.nrScanned = 0;
            for (int nid : nids) {
                shrinkNode(nid, sc);
            }
            if (sc.nrReclaimed >= sc.nrToReclaim) {
                break;
            }
        } while (--sc.priority >= 0);
        return sc.nrReclaimed;
    }

    /**
     * Every kswapd that was woken runs {@code balance_pgdat} for the order and zone index it was
     * woken for, node by node: the simulator's kswapd gets the CPU when an operation returns.
     * Answers the pages reclaimed.
     */
    public long runKswapds() {
        long total = 0;
        for (int nid = phys.pendingKswapd(); nid >= 0; nid = phys.pendingKswapd()) {
            int[] wake = phys.takeKswapdWakeup(nid);
            total += balancePgdat(nid, wake[0], wake[1]);
        }
        return total;
    }

    /**
     * {@code balance_pgdat}: from DEF_PRIORITY down to 1, stop once the node is balanced; each
     * round ages the anon lists and shrinks the node by the zones' high watermarks
     * ({@code kswapd_shrink_node}); the priority is raised when the round scanned less than its
     * target or reclaimed nothing. A run that reclaims nothing counts a {@code kswapd_failures}.
     */
    long balancePgdat(int nid, int order, int highestIdx) {
        stats.pageoutrun++;
        ScanControl sc = new ScanControl(true, highestIdx, order, 0);
        boolean balanced = false;
        do {
            long before = sc.nrReclaimed;
            if (phys.pgdatBalanced(nid, sc.order, highestIdx)) {
                balanced = true;
                break;
            }
            if (policy == ReclaimPolicy.KERNEL && canAgeAnon() && inactiveIsLow(nid, Lru.LRU_INACTIVE_ANON)) {
                shrinkActiveList(SWAP_CLUSTER_MAX, nid, sc, Lru.LRU_ACTIVE_ANON); // kswapd_age_node
            }
            boolean raisePriority = !kswapdShrinkNode(nid, sc);
            if (raisePriority || sc.nrReclaimed == before) {
                sc.priority--;
            }
        } while (sc.priority >= 1);
        if (!balanced && sc.nrReclaimed == 0) {
            phys.setKswapdFailures(nid, phys.kswapdFailures(nid) + 1);
        }
        return sc.nrReclaimed;
    }

    /** {@code kswapd_shrink_node}: answers whether it scanned at least its target. */
    private boolean kswapdShrinkNode(int nid, ScanControl sc) {
        sc.nrToReclaim = 0;
        for (int z = 0; z <= sc.reclaimIdx && z < phys.nrZonesPerNode(); z++) {
            if (phys.zoneManaged(nid, z)) {
                sc.nrToReclaim += Math.max(phys.zoneHighWmark(nid, z), SWAP_CLUSTER_MAX);
            }
        }
        sc.nrScanned = 0;
        shrinkNode(nid, sc);
        if (sc.order > 0 && sc.nrReclaimed >= 2L << sc.order) { // compact_gap
            sc.order = 0;
        }
        return sc.nrScanned >= sc.nrToReclaim;
    }

    /** {@code shrink_node}: one node's lists; any progress resets its kswapd failures. */
    private void shrinkNode(int nid, ScanControl sc) {
        long before = sc.nrReclaimed;
        if (policy == ReclaimPolicy.KERNEL) {
            prepareScanControl(nid, sc);
            shrinkLruvec(nid, sc);
        } else {
            shrinkNodeTeaching(nid, sc);
        }
        if (sc.nrReclaimed > before) {
            phys.setKswapdFailures(nid, 0);
        }
    }

    // ------------------------------------------------------------------ the kernel's LRU

    /** {@code can_reclaim_anon_pages}: swap has a free slot. */
    private boolean canReclaimAnon() {
        return phys.swap().freePages() > 0;
    }

    /** {@code can_age_anon_pages}: there is swap at all. */
    private boolean canAgeAnon() {
        return phys.swap().totalPages() > 0;
    }

    /** {@code inactive_is_low}: inactive × {@code inactive_ratio} below active, the ratio √(10 · GiB) or 1. */
    boolean inactiveIsLow(int nid, int inactiveLru) {
        long inactive = lru.size(nid, inactiveLru);
        long active = lru.size(nid, inactiveLru + 1);
        long gb = (inactive + active) >> (30 - 12);
        long ratio = gb != 0 ? (long) Math.sqrt(10.0 * gb) : 1;
        return inactive * ratio < active;
    }

    /** {@code lru_prepare_scan_control}: may_deactivate, cache_trim_mode and file_is_tiny (no refault tracking). */
    private void prepareScanControl(int nid, ScanControl sc) {
        sc.mayDeactivate = (inactiveIsLow(nid, Lru.LRU_INACTIVE_ANON) ? DEACTIVATE_ANON : 0)
                | (inactiveIsLow(nid, Lru.LRU_INACTIVE_FILE) ? DEACTIVATE_FILE : 0);
        long inactiveFile = lru.size(nid, Lru.LRU_INACTIVE_FILE);
        sc.cacheTrimMode = (inactiveFile >> sc.priority) != 0 && (sc.mayDeactivate & DEACTIVATE_FILE) == 0;
        long free = 0;
        long totalHigh = 0;
        for (int z = 0; z < phys.nrZonesPerNode(); z++) {
            if (phys.zoneManaged(nid, z)) {
                free += phys.zoneFreePages(nid, z);
                totalHigh += phys.zoneHighWmark(nid, z);
            }
        }
        long file = inactiveFile + lru.size(nid, Lru.LRU_ACTIVE_FILE);
        sc.fileIsTiny = file + free <= totalHigh && (sc.mayDeactivate & DEACTIVATE_ANON) == 0
                && (lru.size(nid, Lru.LRU_INACTIVE_ANON) >> sc.priority) != 0;
    }

    /**
     * {@code get_scan_count}: how many pages of each evictable list to scan at this priority —
     * file only without free swap, both by size at priority 0, anon only when file is tiny,
     * file only in cache-trim mode, else by {@code calculate_pressure_balance} (no costs:
     * swappiness for anon, 200 − swappiness for file, out of 200).
     */
    long[] getScanCount(int nid, ScanControl sc) {
        final int equal = 0;
        final int fract = 1;
        final int anonOnly = 2;
        final int fileOnly = 3;
        int balance;
        if (!canReclaimAnon()) {
            balance = fileOnly;
        } else if (sc.priority == 0 && swappiness != 0) {
            balance = equal;
        } else if (sc.fileIsTiny) {
            balance = anonOnly;
        } else if (sc.cacheTrimMode) {
            balance = fileOnly;
        } else {
            balance = fract;
        }
        long ap = swappiness;
        long fp = 200 - swappiness;
        long denominator = ap + fp;
        long[] nr = new long[4];
        for (int l = 0; l < 4; l++) {
            boolean file = l >= Lru.LRU_INACTIVE_FILE;
            long scan = lru.sizeUpTo(nid, l, sc.reclaimIdx) >> sc.priority;
            switch (balance) {
                case fract -> scan = scan * (file ? fp : ap) / denominator;
                case anonOnly -> scan = file ? 0 : scan;
                case fileOnly -> scan = file ? scan : 0;
                default -> {
                }
            }
            nr[l] = scan;
        }
        return nr;
    }

    /**
     * {@code shrink_lruvec}: the lists in SWAP_CLUSTER_MAX batches until the scan targets are used
     * up or enough is reclaimed (direct reclaim at DEF_PRIORITY does the whole batch; kswapd then
     * scales the other type's remaining scan to the same share, {@code proportional} adjustment),
     * then one more anon deactivation if the inactive anon list is low.
     */
    private void shrinkLruvec(int nid, ScanControl sc) {
        long[] nr = getScanCount(nid, sc);
        long[] targets = nr.clone();
        boolean proportional = !sc.kswapd && sc.priority == DEF_PRIORITY;
        long reclaimed = 0;
        while (nr[Lru.LRU_INACTIVE_ANON] != 0 || nr[Lru.LRU_ACTIVE_FILE] != 0 || nr[Lru.LRU_INACTIVE_FILE] != 0) {
            for (int l = 0; l < 4; l++) {
                if (nr[l] != 0) {
                    long n = Math.min(nr[l], SWAP_CLUSTER_MAX);
                    nr[l] -= n;
                    reclaimed += shrinkList(l, n, nid, sc);
                }
            }
            if (reclaimed < sc.nrToReclaim || proportional) {
                continue;
            }
            long nrFile = nr[Lru.LRU_INACTIVE_FILE] + nr[Lru.LRU_ACTIVE_FILE];
            long nrAnon = nr[Lru.LRU_INACTIVE_ANON] + nr[Lru.LRU_ACTIVE_ANON];
            if (nrFile == 0 || nrAnon == 0) {
                break;
            }
            int stop;
            long percentage;
            if (nrFile > nrAnon) {
                long scanTarget = targets[Lru.LRU_INACTIVE_ANON] + targets[Lru.LRU_ACTIVE_ANON] + 1;
                stop = Lru.LRU_INACTIVE_ANON;
                percentage = nrAnon * 100 / scanTarget;
            } else {
                long scanTarget = targets[Lru.LRU_INACTIVE_FILE] + targets[Lru.LRU_ACTIVE_FILE] + 1;
                stop = Lru.LRU_INACTIVE_FILE;
                percentage = nrFile * 100 / scanTarget;
            }
            nr[stop] = 0;
            nr[stop + 1] = 0;
            int other = stop == Lru.LRU_INACTIVE_FILE ? Lru.LRU_INACTIVE_ANON : Lru.LRU_INACTIVE_FILE;
            for (int l = other; l <= other + 1; l++) {
                long scanned = targets[l] - nr[l];
                nr[l] = targets[l] * (100 - percentage) / 100;
                nr[l] -= Math.min(nr[l], scanned);
            }
        }
        sc.nrReclaimed += reclaimed;
        if (canAgeAnon() && inactiveIsLow(nid, Lru.LRU_INACTIVE_ANON)) {
            shrinkActiveList(SWAP_CLUSTER_MAX, nid, sc, Lru.LRU_ACTIVE_ANON);
        }
    }

    /** {@code shrink_list}: an active list is only deactivated (when may_deactivate allows), an inactive one reclaimed. */
    private long shrinkList(int l, long n, int nid, ScanControl sc) {
        if (l == Lru.LRU_ACTIVE_ANON || l == Lru.LRU_ACTIVE_FILE) {
            if ((sc.mayDeactivate & (l == Lru.LRU_ACTIVE_FILE ? DEACTIVATE_FILE : DEACTIVATE_ANON)) != 0) {
                shrinkActiveList(n, nid, sc, l);
            }
            return 0;
        }
        return shrinkInactiveList(n, nid, sc, l);
    }

    /**
     * {@code isolate_lru_folios}: up to {@code n} eligible pages from the tail, oldest first; pages
     * of zones above reclaim_idx are passed over ({@code pgskip_*}) and go back to the head.
     * {@code scanned[0]} gets every page looked at.
     */
    private long[] isolate(int nid, int l, long n, ScanControl sc, long[] scanned) {
        long[] taken = new long[(int) Math.min(n, lru.size(nid, l))];
        long[] skipped = new long[16];
        int nrTaken = 0;
        int nrSkipped = 0;
        long scan = 0;
        long total = 0;
        while (scan < n && lru.size(nid, l) > 0) {
            long p = lru.tailPfn(nid, l);
            total++;
            lru.isolate(p);
            int zone = lru.zoneOf(p);
            if (nrSkipped < SWAP_CLUSTER_MAX_SKIPPED && zone > sc.reclaimIdx) {
                stats.pgskip[zone]++;
                if (nrSkipped == skipped.length) {
                    skipped = java.util.Arrays.copyOf(skipped, nrSkipped * 2);
                }
                skipped[nrSkipped++] = p;
                continue;
            }
            scan++;
            taken[nrTaken++] = p;
        }
        for (int i = 0; i < nrSkipped; i++) {
            lru.putback(skipped[i], l);
        }
        scanned[0] = total;
        return nrTaken == taken.length ? taken : java.util.Arrays.copyOf(taken, nrTaken);
    }

    /**
     * {@code shrink_active_list}: the isolated pages lose PG_active and go to the inactive head
     * ({@code pgdeactivate}), except referenced executable file pages, which stay active; their
     * young PTEs are cleared either way ({@code folio_referenced}).
     */
    private void shrinkActiveList(long n, int nid, ScanControl sc, int l) {
        long[] scanned = new long[1];
        long[] taken = isolate(nid, l, n, sc, scanned);
        stats.pgrefill += scanned[0];
        boolean file = l == Lru.LRU_ACTIVE_FILE;
        for (long p : taken) {
            long[] ref = referenced(mappers(p));
            if (ref[0] > 0 && (ref[1] & VmFlags.VM_EXEC) != 0 && file) {
                lru.putback(p, l);
                continue;
            }
            lru.setFlags(p, lru.flagsOf(p) | Lru.PG_WORKINGSET);
            lru.putback(p, l - 1);
            stats.pgdeactivate++;
        }
    }

    /** {@code shrink_inactive_list}: isolate, count {@code pgscan_*}, {@code shrink_folio_list}, count {@code pgsteal_*}. */
    private long shrinkInactiveList(long n, int nid, ScanControl sc, int l) {
        long[] scanned = new long[1];
        long[] taken = isolate(nid, l, n, sc, scanned);
        boolean file = l == Lru.LRU_INACTIVE_FILE;
        countScan(sc, file, scanned[0]);
        long reclaimed = 0;
        for (long p : taken) {
            sc.nrScanned++;
            Mapper[] mappers = mappers(p); // one rmap walk serves the reference check and the unmap
            Ref r = checkReferences(p, mappers, file);
            if (r == Ref.ACTIVATE) {
                activate(p, l);
            } else if (r == Ref.KEEP) {
                lru.putback(p, l);
            } else {
                reclaimed += reclaimOrPutBack(p, l, mappers, true);
            }
        }
        countSteal(sc, file, reclaimed);
        return reclaimed;
    }

    private void countScan(ScanControl sc, boolean file, long n) {
        if (sc.kswapd) {
            stats.pgscanKswapd += n;
        } else {
            stats.pgscanDirect += n;
        }
        if (file) {
            stats.pgscanFile += n;
        } else {
            stats.pgscanAnon += n;
        }
    }

    private void countSteal(ScanControl sc, boolean file, long n) {
        if (sc.kswapd) {
            stats.pgstealKswapd += n;
        } else {
            stats.pgstealDirect += n;
        }
        if (file) {
            stats.pgstealFile += n;
        } else {
            stats.pgstealAnon += n;
        }
    }

    /** {@code activate_locked}: PG_active, to the active list's head, {@code pgactivate}. */
    private void activate(long p, int inactiveList) {
        lru.putback(p, inactiveList + 1);
        stats.pgactivate++;
    }

    /**
     * {@code folio_check_references}: young PTEs set PG_referenced; a second reference (the flag
     * was already set, or two young PTEs), or one on an executable file page, activates; one
     * reference keeps the page for another trip; none reclaims it.
     */
    private Ref checkReferences(long p, Mapper[] mappers, boolean file) {
        long[] ref = referenced(mappers);
        if ((ref[1] & VmFlags.VM_LOCKED) != 0) {
            return Ref.ACTIVATE;
        }
        int flags = lru.flagsOf(p);
        boolean referencedFolio = (flags & Lru.PG_REFERENCED) != 0;
        // folio_test_clear_referenced, then folio_set_referenced again when a PTE was young
        lru.setFlags(p, ref[0] > 0 ? flags | Lru.PG_REFERENCED : flags & ~Lru.PG_REFERENCED);
        if (ref[0] > 0) {
            if (referencedFolio || ref[0] > 1) {
                return Ref.ACTIVATE;
            }
            if ((ref[1] & VmFlags.VM_EXEC) != 0 && file) {
                return Ref.ACTIVATE;
            }
            return Ref.KEEP;
        }
        return referencedFolio && file ? Ref.RECLAIM_CLEAN : Ref.RECLAIM;
    }

    /**
     * The reclaim branch of {@code shrink_folio_list} for one isolated page: answers 1 when the
     * page was freed; otherwise it is back on a list (activated when swap is full or it is shmem,
     * kept when something pins it). {@code mappers} is the page's reverse-map walk ({@link #mappers}).
     */
    private int reclaimOrPutBack(long p, int l, Mapper[] mappers, boolean canActivate) {
        int owner = phys.pageOwner(p);
        if (owner == PageStore.OWNER_SHMEM) {
            activateOrKeep(p, l, canActivate);
            return 0;
        }
        int mapcount = phys.pageMapcount(p);
        boolean anon = owner == PageStore.OWNER_ANON;
        int extraRefs = anon ? 0 : 1; // a cached page's own reference
        if (mappers == null || (anon && mapcount == 0) || phys.pageRefcount(p) != mapcount + extraRefs) {
            lru.putback(p, l);
            return 0;
        }
        if (anon) {
            SwapInfo si = phys.swap();
            long slot = si.allocSlot();
            if (slot == SwapInfo.NO_SLOT) {
                activateOrKeep(p, l, canActivate); // add_to_swap failed: activate_locked
                return 0;
            }
            for (int i = 1; i < mappers.length; i++) {
                si.duplicate(slot);
            }
            for (Mapper m : mappers) {
                PageTable pt = m.mm.pgd();
                pt.set(m.address, Pte.swpEntry(SwapInfo.TYPE, slot, pt.arch()));
                m.mm.flushTlbPage(m.address);
                m.mm.addCounter(MmStruct.MM_ANONPAGES, -1);
                m.mm.addCounter(MmStruct.MM_SWAPENTS, 1);
                phys.pageUnmapAndPut(p); // the last one frees the page (and its isolated LRU entry)
            }
            si.countSwapOut();
            return 1;
        }
        for (Mapper m : mappers) {
            m.mm.pgd().clear(m.address);
            m.mm.flushTlbPage(m.address);
            m.mm.addCounter(MmStruct.MM_FILEPAGES, -1);
            phys.pageUnmapAndPut(p);
        }
        AddressSpace file = processes.files().byId(lru.mappingOf(p));
        file.removePage(lru.keyOf(p));
        phys.putPage(p); // __remove_mapping: the page cache's reference, the last one
        return 1;
    }

    /** {@link #activate}, or back to the same inactive list for the teaching policies, which have no active side. */
    private void activateOrKeep(long p, int l, boolean canActivate) {
        if (canActivate) {
            activate(p, l);
        } else {
            lru.putback(p, l);
        }
    }

    // ------------------------------------------------------------------ reverse map

    /** A PTE mapping a page: its mm, VMA and address. */
    private record Mapper(MmStruct mm, Vma vma, long address, long pte) {
    }

    /**
     * {@code rmap_walk}: every PTE mapping {@code p} in the live processes (pid order), or null when
     * fewer than its mapcount are found (a mapper outside the task table: an mm being built).
     */
    private Mapper[] mappers(long p) {
        int mapcount = phys.pageMapcount(p);
        Mapper[] out = new Mapper[mapcount];
        int n = 0;
        int mapping = lru.mappingOf(p);
        long key = lru.keyOf(p);
        for (Task t : processes.tasks().alive()) {
            MmStruct mm = t.mm();
            if (mm == null || mm.pgd() == null || n == mapcount) {
                continue;
            }
            if (mapping == Lru.ANON) {
                Vma v = mm.vmas().findVma(key);
                if (v != null && v.vmStart() <= key) {
                    long pte = mm.pgd().get(key);
                    if (maps(pte, p)) {
                        out[n++] = new Mapper(mm, v, key, pte);
                    }
                }
                continue;
            }
            for (Vma v : mm.vmas()) {
                AddressSpace f = v.vmFile();
                if (f == null || f.id() != mapping || key < v.vmPgoff() || key >= v.vmPgoff() + v.nrPages()) {
                    continue;
                }
                long address = v.vmStart() + ((key - v.vmPgoff()) << 12);
                long pte = mm.pgd().get(address);
                if (maps(pte, p) && n < mapcount) {
                    out[n++] = new Mapper(mm, v, address, pte);
                }
            }
        }
        return n == mapcount ? out : null;
    }

    private static boolean maps(long pte, long p) {
        return Pte.present(pte) && !Pte.special(pte) && Pte.pfn(pte) == p; // PROT_NONE pages are mapped too
    }

    /**
     * {@code folio_referenced}: the young PTEs mapping {@code p}, each cleared
     * ({@code ptep_clear_flush_young}, which on x86 does not flush the TLB), and the mappers'
     * VMA flags. Answers {young count, vm_flags}; none for {@code ms} null (mappers not all found).
     */
    private long[] referenced(Mapper[] ms) {
        long young = 0;
        long vmFlags = 0;
        if (ms == null) {
            return new long[] {0, 0};
        }
        for (Mapper m : ms) {
            vmFlags |= m.vma.vmFlags();
            if (Pte.young(m.pte)) {
                m.mm.pgd().set(m.address, Pte.mkold(m.pte));
                young++;
            }
        }
        return new long[] {young, vmFlags};
    }

    // ------------------------------------------------------------------ teaching policies

    /**
     * A teaching policy's {@code shrink_node}: every page stays on an inactive list ordered by
     * its stamp (fifo: when it was added; lru: its last access; clock: its last pass of the
     * hand), and victims are taken one at a time — the oldest of both lists, or a random one —
     * until {@code nr_to_reclaim} pages are freed or the priority's scan budget
     * (eligible pages >> priority, at least SWAP_CLUSTER_MAX) is spent.
     */
    private void shrinkNodeTeaching(int nid, ScanControl sc) {
        long eligible = lru.sizeUpTo(nid, Lru.LRU_INACTIVE_ANON, sc.reclaimIdx)
                + lru.sizeUpTo(nid, Lru.LRU_INACTIVE_FILE, sc.reclaimIdx);
        long budget = Math.max(SWAP_CLUSTER_MAX, eligible >> sc.priority);
        boolean anonOk = canReclaimAnon();
        for (long scanned = 0; scanned < budget && sc.nrReclaimed < sc.nrToReclaim; scanned++) {
            long p = policy == ReclaimPolicy.RANDOM ? randomVictim(nid, sc, anonOk) : oldestVictim(nid, sc, anonOk);
            if (p < 0) {
                return;
            }
            int l = lru.listOf(p);
            boolean file = l == Lru.LRU_INACTIVE_FILE;
            countScan(sc, file, 1);
            sc.nrScanned++;
            lru.isolate(p);
            Mapper[] mappers = mappers(p);
            if (policy == ReclaimPolicy.CLOCK && referenced(mappers)[0] > 0) {
                lru.restamp(p); // second chance: the hand clears the bit and passes
                lru.putback(p, l);
                continue;
            }
            int freed = reclaimOrPutBack(p, l, mappers, false);
            if (freed == 0) {
                lru.restamp(p); // passed over: behind every page still waiting
                lru.moveToHead(p, l);
            }
            sc.nrReclaimed += freed;
            countSteal(sc, file, freed);
        }
    }

    /** The eligible page with the smallest stamp: the tails of the inactive lists, past ineligible zones. */
    private long oldestVictim(int nid, ScanControl sc, boolean anonOk) {
        long a = anonOk ? eligibleFromTail(lru.tailPfn(nid, Lru.LRU_INACTIVE_ANON), sc) : -1;
        long f = eligibleFromTail(lru.tailPfn(nid, Lru.LRU_INACTIVE_FILE), sc);
        if (a < 0) {
            return f;
        }
        if (f < 0) {
            return a;
        }
        return lru.stampOf(a) <= lru.stampOf(f) ? a : f;
    }

    private long eligibleFromTail(long p, ScanControl sc) {
        while (p >= 0 && lru.zoneOf(p) > sc.reclaimIdx) {
            p = lru.towardsHead(p);
        }
        return p;
    }

    /** A uniformly random eligible page of the inactive lists (splitmix64 from the machine's seed). */
    private long randomVictim(int nid, ScanControl sc, boolean anonOk) {
        long anon = anonOk ? lru.sizeUpTo(nid, Lru.LRU_INACTIVE_ANON, sc.reclaimIdx) : 0;
        long file = lru.sizeUpTo(nid, Lru.LRU_INACTIVE_FILE, sc.reclaimIdx);
        if (anon + file == 0) {
            return -1;
        }
        long k = Long.remainderUnsigned(nextRandom(), anon + file);
        int l = k < anon ? Lru.LRU_INACTIVE_ANON : Lru.LRU_INACTIVE_FILE;
        long index = k < anon ? k : k - anon;
        for (long p = lru.tailPfn(nid, l); p >= 0; p = lru.towardsHead(p)) {
            if (lru.zoneOf(p) <= sc.reclaimIdx && index-- == 0) {
                return p;
            }
        }
        return -1;
    }

    private long nextRandom() {
        long z = (randomState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ invariants and snapshots

    /**
     * The LRU lists are consistent; every user page (anonymous, shmem, page cache) is on exactly
     * one list, of its own node, no other page is; and the reverse map finds exactly
     * {@code page_mapcount} PTEs for each listed page.
     */
    public void checkInvariants() {
        lru.checkInvariants();
        long userPages = 0;
        for (long p : phys.allocatedHeads()) {
            int owner = phys.pageOwner(p);
            boolean user = owner == PageStore.OWNER_ANON || owner == PageStore.OWNER_SHMEM
                    || owner == PageStore.OWNER_FILE;
            if (user != lru.contains(p)) {
                throw new IllegalStateException("pfn " + p + " (owner " + owner + ") is "
                        + (user ? "on no LRU list" : "on an LRU list but not a user page"));
            }
            if (!user) {
                continue;
            }
            userPages++;
            int l = lru.listOf(p);
            boolean anonList = l == Lru.LRU_INACTIVE_ANON || l == Lru.LRU_ACTIVE_ANON;
            if (anonList != (owner != PageStore.OWNER_FILE) || l == Lru.ISOLATED) {
                throw new IllegalStateException("pfn " + p + " is on the " + (l < 0 ? "isolated" : Lru.NAMES[l])
                        + " list");
            }
            if (lru.zoneOf(p) != phys.zoneIdxOf(p)) {
                throw new IllegalStateException("pfn " + p + " is listed in zone " + lru.zoneOf(p));
            }
            if (phys.pageMapcount(p) > 0 && mappers(p) == null) {
                throw new IllegalStateException("the reverse map of pfn " + p + " does not find its "
                        + phys.pageMapcount(p) + " mappings");
            }
        }
        if (userPages != lru.totalPages()) {
            throw new IllegalStateException(lru.totalPages() + " LRU pages, " + userPages + " user pages");
        }
    }

    /** The LRU lists, the reclaim counters, kswapd's failures and the random policy's state. */
    public void writeTo(DataOutputStream out) throws IOException {
        lru.writeTo(out);
        stats.writeTo(out);
        for (int nid = 0; nid < phys.nrNodes(); nid++) {
            out.writeInt(phys.kswapdFailures(nid));
        }
        out.writeLong(randomState);
    }

    public void readFrom(DataInputStream in) throws IOException {
        lru.readFrom(in);
        stats.readFrom(in);
        for (int nid = 0; nid < phys.nrNodes(); nid++) {
            phys.setKswapdFailures(nid, in.readInt());
        }
        randomState = in.readLong();
    }

    /**
     * A snapshot from before the LRU lists (format 3 or older): every user page goes on the
     * inactive list of its type, in pfn order, with its reverse-map keys found by a page-table
     * scan (anonymous pages) or from the page caches.
     */
    public void rebuildLists() {
        java.util.Map<Long, Long> anonAddress = new java.util.HashMap<>();
        for (Task t : processes.tasks().alive()) {
            MmStruct mm = t.mm();
            if (mm == null || mm.pgd() == null) {
                continue;
            }
            for (Vma v : mm.vmas()) {
                mm.pgd().forEachPte(v.vmStart(), v.vmEnd(), (va, pte) -> {
                    if (Pte.present(pte) && !Pte.special(pte)) {
                        anonAddress.putIfAbsent(Pte.pfn(pte), va);
                    }
                });
            }
        }
        java.util.Map<Long, long[]> cached = new java.util.HashMap<>();
        for (AddressSpace f : processes.files().all()) {
            for (long[] e : f.sortedPages()) {
                cached.put(e[1], new long[] {f.id(), e[0]});
            }
        }
        for (long p : phys.allocatedHeads()) {
            int owner = phys.pageOwner(p);
            if (owner == PageStore.OWNER_ANON) {
                Long va = anonAddress.get(p);
                phys.lruAdd(p, Lru.LRU_INACTIVE_ANON, Lru.ANON, va == null ? 0 : va);
            } else if (owner == PageStore.OWNER_SHMEM || owner == PageStore.OWNER_FILE) {
                long[] c = cached.get(p);
                phys.lruAdd(p, owner == PageStore.OWNER_SHMEM ? Lru.LRU_INACTIVE_ANON : Lru.LRU_INACTIVE_FILE,
                        c == null ? 0 : (int) c[0], c == null ? 0 : c[1]);
            }
        }
    }
}
