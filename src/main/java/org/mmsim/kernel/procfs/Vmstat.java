package org.mmsim.kernel.procfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.VmCounters;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code /proc/vmstat}: {@code vmstat_start}/{@code vmstat_show}, mm/vmstat.c — one {@code name
 * value} line per entry of {@code vmstat_text[]}, in its order, as Linux 6.18 prints it (LINUX.md:
 * formats follow the live 6.18 output): 6.12's list for Debian's x86 config (ZSMALLOC,
 * UNACCEPTED_MEMORY on x86_64, IOMMU_SUPPORT, SWAP, NUMA_BALANCING, MIGRATION, COMPACTION,
 * HUGETLB_PAGE, TRANSPARENT_HUGEPAGE, MEMORY_BALLOON + BALLOON_COMPACTION, KSM, ZSWAP; no CMA,
 * DEBUG_TLBFLUSH, PER_VMA_LOCK_STATS, DEBUG_STACK_USAGE) with what changed by 6.18:
 * {@code nr_free_pages_blocks}, {@code pgpromote_candidate_nrl}, {@code pgdemote_proactive},
 * {@code nr_hugetlb}, {@code nr_balloon_pages}, {@code nr_kernel_file_pages},
 * {@code pgsteal_proactive}, {@code pgscan_proactive} and the {@code direct_map_level?_collapses}
 * added, {@code nr_bounce} and {@code nr_writeback_temp} gone; then the deprecated
 * {@code nr_unstable 0} that {@code vmstat_show} appends after the last item. Counters of
 * subsystems not simulated yet print 0, as they would on a machine that never used them.
 */
public final class Vmstat {
    /** {@code enum vm_stat_item}: the system-wide counters between the node stats and the events. */
    static final String[] VM_STATS = {
        "nr_dirty_threshold", "nr_dirty_background_threshold", "nr_memmap_pages", "nr_memmap_boot_pages",
    };
    /** {@code enum vm_event_item} names before the per-zone {@code TEXTS_FOR_ZONES} groups. */
    static final String[] EVENTS_HEAD = {"pgpgin", "pgpgout", "pswpin", "pswpout"};
    /** {@code enum vm_event_item} names after {@code pgskip_*} up to {@code thp_split_pmd}. */
    static final String[] EVENTS_MID = {
        "pgfree", "pgactivate", "pgdeactivate", "pglazyfree",
        "pgfault", "pgmajfault", "pglazyfreed",
        "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged", "pgsteal_proactive",
        "pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged", "pgscan_proactive", "pgscan_direct_throttle",
        "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
        "zone_reclaim_success", "zone_reclaim_failed",
        "pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
        "kswapd_high_wmark_hit_quickly", "pageoutrun",
        "pgrotated",
        "drop_pagecache", "drop_slab", "oom_kill",
        "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
        "numa_pages_migrated",
        "pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail", "thp_migration_split",
        "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall", "compact_fail",
        "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned", "compact_daemon_free_scanned",
        "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
        "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued", "unevictable_pgs_mlocked",
        "unevictable_pgs_munlocked", "unevictable_pgs_cleared", "unevictable_pgs_stranded",
        "thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc",
        "thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback", "thp_file_fallback_charge",
        "thp_file_mapped", "thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
        "thp_underused_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte",
        "thp_scan_exceed_share_pte",
    };
    /** After {@code thp_split_pud} (CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD, x86_64 only) to the end. */
    static final String[] EVENTS_TAIL = {
        "thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback",
        "balloon_inflate", "balloon_deflate", "balloon_migrate",
        "swap_ra", "swap_ra_hit", "swpin_zero", "swpout_zero", "ksm_swpin_copy",
        "cow_ksm",
        "zswpin", "zswpout", "zswpwb",
        "direct_map_level2_splits", "direct_map_level3_splits", "direct_map_level2_collapses",
        "direct_map_level3_collapses",
    };
    /** {@code vm_dirty_ratio} and {@code dirty_background_ratio} defaults (mm/page-writeback.c). */
    static final int VM_DIRTY_RATIO = 20;
    static final int DIRTY_BACKGROUND_RATIO = 10;

    private Vmstat() {
    }

    /** The names {@code /proc/vmstat} prints for this machine's architecture, in order. */
    public static List<String> names(PhysicalMemory pm) {
        List<String> out = new ArrayList<>();
        boolean x86_64 = pm.config().arch().is64Bit();
        out.addAll(List.of(Zoneinfo.zoneStats(x86_64)));
        out.addAll(List.of(Zoneinfo.NUMA_STATS));
        out.addAll(List.of(Zoneinfo.NODE_STATS));
        out.addAll(List.of(VM_STATS));
        out.addAll(List.of(EVENTS_HEAD));
        for (String group : new String[] {"pgalloc", "allocstall", "pgskip"}) {
            for (String zone : pm.zoneNames()) {
                out.add(group + "_" + eventZoneName(zone));
            }
        }
        out.addAll(List.of(EVENTS_MID));
        if (x86_64) {
            out.add("thp_split_pud");
        }
        out.addAll(List.of(EVENTS_TAIL));
        out.add("nr_unstable");
        return out;
    }

    public static String render(PhysicalMemory pm) {
        return render(pm, KernelCounters.NONE);
    }

    public static String render(PhysicalMemory pm, KernelCounters k) {
        return render(pm, k, new VmCounters());
    }

    /**
     * The whole machine: the node and zone counters of its processes ({@link KernelCounters#of}) and
     * the fault events ({@code pgfault}, {@code pgmajfault}) they counted.
     */
    public static String render(Machine machine) {
        return render(machine.phys(), KernelCounters.of(machine), machine.processes().events());
    }

    private static String render(PhysicalMemory pm, KernelCounters k, VmCounters events) {
        long[] numa = new long[6];
        long highmemDirtyable = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.allZones(nid)) {
                numa[0] += z.numaHit();
                numa[1] += z.numaMiss();
                numa[2] += z.numaForeign();
                numa[3] += z.numaInterleave();
                numa[4] += z.numaLocal();
                numa[5] += z.numaOther();
                if (z.name().equals("HighMem") && z.populated()) {
                    highmemDirtyable += z.freePages() - Math.min(z.freePages(), z.high());
                }
            }
        }
        long[] dirty = globalDirtyLimits(pm, k, highmemDirtyable);
        StringBuilder sb = new StringBuilder();
        for (String name : names(pm)) {
            line(sb, name, value(pm, k, events, name, numa, dirty));
        }
        return sb.toString();
    }

    private static long value(PhysicalMemory pm, KernelCounters k, VmCounters events, String name, long[] numa,
            long[] dirty) {
        for (int i = 0; i < Zoneinfo.NUMA_STATS.length; i++) {
            if (Zoneinfo.NUMA_STATS[i].equals(name)) {
                return numa[i];
            }
        }
        Long reclaim = pm.reclaimStats().event(name);
        if (reclaim != null) {
            return reclaim;
        }
        if (name.startsWith("allocstall_") || name.startsWith("pgskip_")) {
            boolean stall = name.startsWith("allocstall_");
            List<String> zones = pm.zoneNames();
            for (int i = 0; i < zones.size(); i++) {
                if (((stall ? "allocstall_" : "pgskip_") + eventZoneName(zones.get(i))).equals(name)) {
                    return stall ? pm.reclaimStats().allocstall[i] : pm.reclaimStats().pgskip[i];
                }
            }
        }
        if (name.startsWith("pgalloc_")) {
            long sum = 0;
            for (int nid = 0; nid < pm.nrNodes(); nid++) {
                for (ZoneView z : pm.allZones(nid)) {
                    if (("pgalloc_" + eventZoneName(z.name())).equals(name)) {
                        sum += z.pgalloc();
                    }
                }
            }
            return sum;
        }
        return switch (name) {
            case "nr_free_pages" -> pm.nrFreePages();
            case "nr_free_pages_blocks" -> freePagesBlocks(pm);
            case "nr_dirty_threshold" -> dirty[0];
            case "nr_dirty_background_threshold" -> dirty[1];
            case "pgfree" -> pm.vmEvents().pgfree();
            case "pgfault" -> events.pgfault;
            case "pgmajfault" -> events.pgmajfault;
            case "oom_kill" -> events.oomKill;
            case "pswpin" -> pm.swap().pswpin();
            case "pswpout" -> pm.swap().pswpout();
            case "nr_mlock" -> k.nrMlock();
            case "nr_zone_inactive_anon" -> k.nrInactiveAnon();
            case "nr_zone_active_anon" -> k.nrActiveAnon();
            case "nr_zone_inactive_file" -> k.nrInactiveFile();
            case "nr_zone_active_file" -> k.nrActiveFile();
            case "nr_zone_unevictable" -> k.nrUnevictable();
            case "nr_zone_write_pending" -> k.nrDirty() + k.nrWriteback();
            default -> Zoneinfo.nodeStat(name, k);
        };
    }

    /** {@code NR_FREE_PAGES_BLOCKS} summed over every zone. */
    private static long freePagesBlocks(PhysicalMemory pm) {
        long n = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.allZones(nid)) {
                if (z.populated()) {
                    n += Zoneinfo.freePagesBlocks(z);
                }
            }
        }
        return n;
    }

    /**
     * {@code global_dirty_limits} for a normal (not RT) task with the default ratios: the dirtyable memory
     * of {@code global_dirtyable_memory} (free − totalreserve, + file LRU, − highmem dirtyable, + 1)
     * scaled by {@code ratio = vm_dirty_ratio * PAGE_SIZE / 100} per page ({@code domain_dirty_limits}).
     *
     * @return {dirty threshold, background threshold}
     */
    static long[] globalDirtyLimits(PhysicalMemory pm, KernelCounters k, long highmemDirtyable) {
        long x = pm.nrFreePages();
        x -= Math.min(x, pm.totalreservePages());
        x += k.nrInactiveFile() + k.nrActiveFile();
        x -= Math.min(highmemDirtyable, x);
        long avail = x + 1;
        long pageSize = 4096;
        long ratio = VM_DIRTY_RATIO * pageSize / 100;
        long bgRatio = DIRTY_BACKGROUND_RATIO * pageSize / 100;
        long thresh = Math.min(ratio * avail / pageSize, 0xFFFFFFFFL);
        long bgThresh = bgRatio * avail / pageSize;
        if (bgThresh >= thresh) {
            bgThresh = thresh / 2;
        }
        return new long[] {thresh, bgThresh};
    }

    /** {@code TEXT_FOR_HIGHMEM}: the event suffix of HighMem is {@code high}; the others are lower-cased zone names. */
    public static String eventZoneName(String zone) {
        return zone.equals("HighMem") ? "high" : zone.toLowerCase(Locale.ROOT);
    }

    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }
}
