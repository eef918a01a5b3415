package org.mmsim.kernel.procfs;

import java.util.List;
import java.util.function.IntFunction;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.MigrateType;
import org.mmsim.kernel.phys.NodeView;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code /proc/zoneinfo}: {@code zoneinfo_show_print}, mm/vmstat.c, in the 6.18 layout of
 * LINUX.md 10.3 (pagesets with {@code high_min}/{@code high_max}). Every zone is printed, empty
 * ones stopping after {@code protection}; the node's stats precede its first populated zone.
 * No per-cpu page lists are simulated, so {@code count} and {@code high} are 0; {@code batch},
 * {@code high_min}, {@code high_max} and the stat threshold follow {@code zone_batchsize},
 * {@code zone_highsize} and {@code calculate_normal_threshold}.
 */
public final class Zoneinfo {
    static final String[] NODE_STATS = {
        "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
        "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
        "workingset_nodes", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
        "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
        "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem",
        "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped",
        "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied",
        "nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
        "nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages", "nr_sec_page_table_pages",
        "nr_iommu_pages", "nr_swapcached", "pgpromote_success", "pgpromote_candidate", "pgpromote_candidate_nrl",
        "pgdemote_kswapd", "pgdemote_direct", "pgdemote_khugepaged", "pgdemote_proactive", "nr_hugetlb",
        "nr_balloon_pages", "nr_kernel_file_pages",
    };
    static final String[] ZONE_STATS = {
        "nr_free_pages", "nr_free_pages_blocks", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
        "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
        "nr_zspages", "nr_free_cma",
    };
    /** {@code nr_unaccepted}: CONFIG_UNACCEPTED_MEMORY, selected only by x86_64's TDX/SEV guest support. */
    static final String NR_UNACCEPTED = "nr_unaccepted";
    static final String[] NUMA_STATS = {"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other"};

    /**
     * {@code pcp->high}: {@code per_cpu_pages_init} zeroes it and {@code pageset_update} sets only batch,
     * high_min and high_max; it moves into [high_min, high_max] only when pages are freed to the pcp list
     * ({@code nr_pcp_high}), which the simulator does not model. A live idle zone shows {@code high: 0}.
     */
    static final int PCP_HIGH = 0;

    private Zoneinfo() {
    }

    /** {@code enum zone_stat_item} names ({@code vmstat_text[]}, 6.18): {@code nr_unaccepted} last on x86_64. */
    static String[] zoneStats(boolean x86_64) {
        if (!x86_64) {
            return ZONE_STATS.clone();
        }
        String[] out = java.util.Arrays.copyOf(ZONE_STATS, ZONE_STATS.length + 1);
        out[ZONE_STATS.length] = NR_UNACCEPTED;
        return out;
    }

    public static String render(PhysicalMemory pm) {
        return render(pm, KernelCounters.NONE);
    }

    /** Node counters for node 0 only (the machine-wide record); zone LRU counters 0. */
    public static String render(PhysicalMemory pm, KernelCounters k) {
        return render(pm, nid -> nid == 0 ? k : KernelCounters.NONE, (nid, zoneIdx, name) -> 0L);
    }

    /** The whole machine: each node's stats and each zone's {@code nr_zone_*} LRU counters from {@link PageCounters}. */
    public static String render(Machine machine) {
        PageCounters pc = PageCounters.of(machine);
        return render(machine.phys(), pc::node, (nid, zoneIdx, name) -> switch (name) {
            case "nr_zone_inactive_anon" -> pc.zone(nid, zoneIdx, PageCounters.ZONE_INACTIVE_ANON);
            case "nr_zone_active_anon" -> pc.zone(nid, zoneIdx, PageCounters.ZONE_ACTIVE_ANON);
            case "nr_zone_inactive_file" -> pc.zone(nid, zoneIdx, PageCounters.ZONE_INACTIVE_FILE);
            case "nr_zone_active_file" -> pc.zone(nid, zoneIdx, PageCounters.ZONE_ACTIVE_FILE);
            default -> 0L;
        });
    }

    /** A zone counter other than {@code nr_free_pages}, by node, zone index and name. */
    private interface ZoneStat {
        long value(int nid, int zoneIdx, String name);
    }

    private static String render(PhysicalMemory pm, IntFunction<KernelCounters> nodeCounters,
            ZoneStat zoneStat) {
        StringBuilder sb = new StringBuilder();
        int onlineCpus = pm.config().totalCpus();
        for (NodeView node : pm.nodes()) {
            boolean first = true;
            for (ZoneView z : pm.allZones(node.nid())) {
                sb.append(String.format("Node %d, zone %8s", node.nid(), z.name()));
                if (z.populated() && first) {
                    first = false;
                    sb.append("\n  per-node stats");
                    KernelCounters k = nodeCounters.apply(node.nid());
                    for (String name : NODE_STATS) {
                        stat(sb, name, nodeStat(name, k));
                    }
                }
                sb.append(String.format("\n  pages free     %d\n        boost    %d\n        min      %d"
                        + "\n        low      %d\n        high     %d\n        promo    %d\n        spanned  %d"
                        + "\n        present  %d\n        managed  %d\n        cma      %d",
                        z.freePages(), 0, z.min(), z.low(), z.high(), z.promo(), z.spannedPages(), z.presentPages(),
                        z.managedPages(), 0));
                List<Long> p = z.protection();
                sb.append("\n        protection: (").append(p.get(0));
                for (int i = 1; i < p.size(); i++) {
                    sb.append(", ").append(p.get(i));
                }
                sb.append(')');
                if (!z.populated()) {
                    sb.append('\n');
                    continue;
                }
                for (String name : zoneStats(pm.config().arch().is64Bit())) {
                    long value = switch (name) {
                        case "nr_free_pages" -> z.freePages();
                        case "nr_free_pages_blocks" -> freePagesBlocks(z);
                        default -> zoneStat.value(node.nid(), z.zoneIdx(), name);
                    };
                    stat(sb, name, value);
                }
                long[] numa = {z.numaHit(), z.numaMiss(), z.numaForeign(), z.numaInterleave(), z.numaLocal(), z.numaOther()};
                for (int i = 0; i < NUMA_STATS.length; i++) {
                    stat(sb, NUMA_STATS[i], numa[i]);
                }
                sb.append("\n  pagesets");
                int batch = zoneBatchsize(z.managedPages());
                int nodeCpus = node.cpus().size();
                long highMin = zoneHighsize(z.low(), batch, nodeCpus, onlineCpus);
                long highMax = zoneHighsize(z.managedPages() / 8, batch, nodeCpus, onlineCpus);
                int threshold = normalThreshold(z.managedPages(), onlineCpus);
                for (int cpu = 0; cpu < onlineCpus; cpu++) {
                    sb.append(String.format("\n    cpu: %d\n              count:    %d\n              high:     %d"
                            + "\n              batch:    %d\n              high_min: %d\n              high_max: %d"
                            + "\n  vm stats threshold: %d", cpu, 0, PCP_HIGH, batch, highMin, highMax, threshold));
                }
                sb.append(String.format("\n  node_unreclaimable:  %d\n  start_pfn:           %d\n", 0, z.startPfn()));
            }
        }
        return sb.toString();
    }

    /**
     * {@code NR_FREE_PAGES_BLOCKS} (6.15+): the free pages in blocks of at least pageblock order
     * outside ISOLATE pageblocks, as {@code __add_to_free_list} and {@code __del_page_from_free_list}
     * account them.
     */
    static long freePagesBlocks(ZoneView z) {
        long n = 0;
        for (int mt = 0; mt < z.nrFreeByType().size(); mt++) {
            if (mt == MigrateType.ISOLATE) {
                continue;
            }
            List<Long> byOrder = z.nrFreeByType().get(mt);
            for (int order = PhysicalMemory.PAGEBLOCK_ORDER; order < byOrder.size(); order++) {
                n += byOrder.get(order) << order;
            }
        }
        return n;
    }

    static long nodeStat(String name, KernelCounters k) {
        return switch (name) {
            case "nr_inactive_anon" -> k.nrInactiveAnon();
            case "nr_active_anon" -> k.nrActiveAnon();
            case "nr_inactive_file" -> k.nrInactiveFile();
            case "nr_active_file" -> k.nrActiveFile();
            case "nr_unevictable" -> k.nrUnevictable();
            case "nr_slab_reclaimable" -> k.nrSlabReclaimable();
            case "nr_slab_unreclaimable" -> k.nrSlabUnreclaimable();
            case "nr_anon_pages" -> k.nrAnonPages();
            case "nr_mapped" -> k.nrMapped();
            case "nr_file_pages" -> k.nrFilePages();
            case "nr_dirty" -> k.nrDirty();
            case "nr_writeback" -> k.nrWriteback();
            case "nr_shmem" -> k.nrShmem();
            case "nr_kernel_stack" -> k.nrKernelStackKb();
            case "nr_page_table_pages" -> k.nrPageTablePages();
            case "nr_swapcached" -> k.nrSwapcached();
            default -> 0;
        };
    }

    private static void stat(StringBuilder sb, String name, long value) {
        sb.append(String.format("\n      %-12s %d", name, value));
    }

    /**
     * The pcp batch {@code zone_set_pageset_high_and_batch} stores: {@code max(1, zone_batchsize(zone))}, where
     * {@code zone_batchsize} takes a quarter of managed/1024 (at most 1 MiB of pages) and clamps it to a
     * {@code 2^n - 1} value: {@code rounddown_pow_of_two(batch + batch/2) - 1} (mm/page_alloc.c).
     */
    static int zoneBatchsize(long managed) {
        long batch = Math.min(managed >> 10, (1L << 20) / 4096);
        batch /= 4;
        if (batch < 1) {
            batch = 1;
        }
        int clamped = Integer.highestOneBit((int) (batch + batch / 2)) - 1;
        return Math.max(1, clamped);
    }

    /** {@code zone_highsize}: the pages split between the node's CPUs, at least 4 batches. */
    static long zoneHighsize(long totalPages, int batch, int nodeCpus, int onlineCpus) {
        int split = nodeCpus > 0 ? nodeCpus : onlineCpus;
        return Math.max(totalPages / split, (long) batch << 2);
    }

    /** {@code calculate_normal_threshold}. */
    static int normalThreshold(long managed, int onlineCpus) {
        long mem = managed >> (27 - 12);
        int threshold = 2 * fls(onlineCpus) * (1 + fls(mem));
        return Math.min(125, threshold);
    }

    private static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }
}
