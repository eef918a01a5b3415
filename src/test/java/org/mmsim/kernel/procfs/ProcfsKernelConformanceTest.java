package org.mmsim.kernel.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * Each test pins bytes that a discrepancy against the kernel sources got wrong, and names the kernel
 * code that settles it (Linux 6.12, Debian's linux-source-6.12 and amd64 config; text formats as 6.18 prints them).
 */
class ProcfsKernelConformanceTest {

    static PhysicalMemory boot(String preset) {
        return new Machine(Presets.byName(preset).orElseThrow().machine()).phys();
    }

    /**
     * mm/page_alloc.c {@code zone_batchsize}: {@code batch = rounddown_pow_of_two(batch + batch/2) - 1}
     * (a 2^n − 1 value), stored as {@code max(1, zone_batchsize(zone))}; {@code pcp->high} is zeroed by
     * {@code per_cpu_pages_init} and never set by {@code pageset_update}, so it prints 0 without pcp frees.
     * zoneinfo_show_print: {@code "\n    cpu: %i\n              count:    %i\n              high:     %i ..."}.
     */
    @Test
    void zoneinfoPagesetShouldPrintZoneBatchsizeAs2nMinus1AndPcpHighZero() {
        PhysicalMemory pm = boot("x86_64-1node-1g");
        ZoneView dma32 = pm.zone(0, "DMA32");
        assertThat(dma32.managedPages()).isEqualTo(245761);
        // min(245761 >> 10, 256) = 240; /4 = 60; rounddown_pow_of_two(60 + 30) - 1 = 63
        long highMin = Math.max(dma32.low() / 2, 63 * 4);
        long highMax = Math.max(dma32.managedPages() / 8 / 2, 63 * 4);
        StringBuilder expected = new StringBuilder("\n  pagesets");
        for (int cpu = 0; cpu < 2; cpu++) {
            expected.append(String.format("\n    cpu: %d\n              count:    %d\n              high:     %d"
                    + "\n              batch:    %d\n              high_min: %d\n              high_max: %d"
                    + "\n  vm stats threshold: %d", cpu, 0, 0, 63, highMin, highMax, 16));
        }
        expected.append(String.format("\n  node_unreclaimable:  %d\n  start_pfn:           %d\n", 0, 4096));
        String out = Zoneinfo.render(pm);
        String dma32Block = out.substring(out.indexOf("Node 0, zone    DMA32\n"), out.indexOf("Node 0, zone   Normal\n"));
        assertThat(dma32Block).endsWith(expected.toString());
        assertThat(Zoneinfo.zoneBatchsize(3840)).isEqualTo(1);           // DMA: rounddown_pow_of_two(1) - 1 = 0 -> max(1, 0)
        assertThat(Zoneinfo.zoneBatchsize(772808)).isEqualTo(63);        // LINUX.md live DMA32 size
        assertThat(Zoneinfo.zoneBatchsize(8L << 20)).isEqualTo(63);      // capped at SZ_1M / PAGE_SIZE = 256
        assertThat(Zoneinfo.zoneBatchsize(40_000)).isEqualTo(7);         // 39 / 4 = 9 -> 13 -> 8 - 1
    }

    /**
     * /proc/vmstat of Linux 6.18 as printed live (192 lines on the x86-64 machine LINUX.md captured,
     * a kernel without CONFIG_UNACCEPTED_MEMORY), with Debian's amd64 config's {@code nr_unaccepted}
     * after {@code nr_free_cma}; vmstat_show's trailing "nr_unstable 0" last.
     */
    static final List<String> X86_64_VMSTAT_6_18 = List.of(
            "nr_free_pages", "nr_free_pages_blocks", "nr_zone_inactive_anon", "nr_zone_active_anon",
            "nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
            "nr_zspages", "nr_free_cma", "nr_unaccepted", "numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
            "numa_local", "numa_other", "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
            "nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
            "workingset_nodes", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
            "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
            "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem", "nr_shmem_hugepages",
            "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
            "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written", "nr_throttled_written",
            "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack",
            "nr_page_table_pages", "nr_sec_page_table_pages", "nr_iommu_pages", "nr_swapcached", "pgpromote_success",
            "pgpromote_candidate", "pgpromote_candidate_nrl", "pgdemote_kswapd", "pgdemote_direct",
            "pgdemote_khugepaged", "pgdemote_proactive", "nr_hugetlb", "nr_balloon_pages", "nr_kernel_file_pages",
            "nr_dirty_threshold", "nr_dirty_background_threshold", "nr_memmap_pages", "nr_memmap_boot_pages", "pgpgin",
            "pgpgout", "pswpin", "pswpout", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
            "pgalloc_device", "allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_movable",
            "allocstall_device", "pgskip_dma", "pgskip_dma32", "pgskip_normal", "pgskip_movable", "pgskip_device",
            "pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed", "pgrefill",
            "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged", "pgsteal_proactive", "pgscan_kswapd",
            "pgscan_direct", "pgscan_khugepaged", "pgscan_proactive", "pgscan_direct_throttle", "pgscan_anon",
            "pgscan_file", "pgsteal_anon", "pgsteal_file", "zone_reclaim_success", "zone_reclaim_failed",
            "pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
            "kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill",
            "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
            "numa_pages_migrated", "pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail",
            "thp_migration_split", "compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
            "compact_stall", "compact_fail", "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
            "compact_daemon_free_scanned", "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
            "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued", "unevictable_pgs_mlocked",
            "unevictable_pgs_munlocked", "unevictable_pgs_cleared", "unevictable_pgs_stranded", "thp_fault_alloc",
            "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc", "thp_collapse_alloc_failed",
            "thp_file_alloc", "thp_file_fallback", "thp_file_fallback_charge", "thp_file_mapped", "thp_split_page",
            "thp_split_page_failed", "thp_deferred_split_page", "thp_underused_split_page", "thp_split_pmd",
            "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte", "thp_split_pud",
            "thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback", "balloon_inflate",
            "balloon_deflate", "balloon_migrate", "swap_ra", "swap_ra_hit", "swpin_zero", "swpout_zero",
            "ksm_swpin_copy", "cow_ksm", "zswpin", "zswpout", "zswpwb", "direct_map_level2_splits",
            "direct_map_level3_splits", "direct_map_level2_collapses", "direct_map_level3_collapses", "nr_unstable");

    /** vmstat_show: every vmstat_text[] item in order, then "nr_unstable 0" after the last (deprecated counter). */
    @Test
    void vmstatShouldPrintThe618VmstatTextInOrderEndingWithNrUnstable() {
        PhysicalMemory pm = boot("x86_64-1node-1g");
        String out = Vmstat.render(pm);
        assertThat(out.lines().map(l -> l.substring(0, l.indexOf(' '))).toList()).isEqualTo(X86_64_VMSTAT_6_18);
        assertThat(out).startsWith("nr_free_pages " + pm.nrFreePages() + "\nnr_free_pages_blocks ");
        assertThat(out).endsWith("\ndirect_map_level3_collapses 0\nnr_unstable 0\n");
        assertThat(out).contains("\nnr_sec_page_table_pages 0\nnr_iommu_pages 0\nnr_swapcached 0\n");
        assertThat(out).contains("\npgdemote_proactive 0\nnr_hugetlb 0\nnr_balloon_pages 0\nnr_kernel_file_pages 0\nnr_dirty_threshold ");
        assertThat(out).contains("\nnr_memmap_boot_pages 0\npgpgin 0\n");
    }

    /** TEXTS_FOR_ZONES on i386 (CONFIG_HIGHMEM, no ZONE_DMA32/ZONE_DEVICE); no nr_unaccepted or thp_split_pud (x86_64-only). */
    @Test
    void vmstatOnI386ShouldUseHighmemZoneTextsAndDropX86_64OnlyItems() {
        List<String> expected = new ArrayList<>(X86_64_VMSTAT_6_18);
        expected.remove("nr_unaccepted");
        expected.remove("thp_split_pud");
        for (String g : new String[] {"pgalloc", "allocstall", "pgskip"}) {
            int at = expected.indexOf(g + "_dma32");
            expected.set(at, g + "_normal");
            expected.set(at + 1, g + "_high");
            expected.remove(at + 3);
        }
        PhysicalMemory pm = boot("i386-1node-2g");
        assertThat(Vmstat.render(pm).lines().map(l -> l.substring(0, l.indexOf(' '))).toList()).isEqualTo(expected);
    }

    /**
     * mm/page-writeback.c {@code global_dirty_limits}: dirtyable = free − min(free, totalreserve_pages)
     * + file LRU − highmem dirtyable + 1; {@code thresh = (20 * PAGE_SIZE / 100) * avail / PAGE_SIZE},
     * {@code bg_thresh = (10 * PAGE_SIZE / 100) * avail / PAGE_SIZE}.
     */
    @Test
    void vmstatDirtyThresholdsShouldFollowGlobalDirtyLimits() {
        PhysicalMemory pm = boot("x86_64-1node-1g");
        long avail = pm.nrFreePages() - pm.totalreservePages() + 1;
        String out = Vmstat.render(pm);
        assertThat(out).contains("\nnr_dirty_threshold " + (819 * avail / 4096) + "\nnr_dirty_background_threshold "
                + (409 * avail / 4096) + "\n");
        PhysicalMemory i386 = boot("i386-1node-2g");
        ZoneView high = i386.zone(0, "HighMem");
        long a = i386.nrFreePages() - i386.totalreservePages() - (high.freePages() - high.high()) + 1;
        assertThat(Vmstat.render(i386)).contains("\nnr_dirty_threshold " + (819 * a / 4096) + "\n");
    }

    /** zone_stat_item on x86_64 ends with nr_unaccepted (CONFIG_UNACCEPTED_MEMORY); node stats carry nr_iommu_pages. */
    @Test
    void zoneinfoShouldListNrUnacceptedAndNrIommuPagesWhereTheKernelDoes() {
        String out = Zoneinfo.render(boot("x86_64-1node-1g"));
        assertThat(out).contains("\n      nr_free_cma  0\n      nr_unaccepted 0\n      numa_hit     0\n");
        assertThat(out).contains("\n      nr_sec_page_table_pages 0\n      nr_iommu_pages 0\n      nr_swapcached 0\n");
        assertThat(Zoneinfo.render(boot("i386-1node-2g"))).contains("\n      nr_free_cma  0\n      numa_hit     0\n");
    }

    /** mm/swapfile.c: {@code si->pages = maxpages - 1} (page 0 is the header); CommitLimit adds total_swap_pages. */
    @Test
    void meminfoSwapTotalShouldOmitTheSwapHeaderPage() {
        PhysicalMemory pm = boot("x86_64-64m-swap64m");
        String out = Meminfo.render(pm);
        assertThat(out).contains(String.format("%-16s%8d kB\n%-16s%8d kB\n", "SwapTotal:", 65532, "SwapFree:", 65532));
        long commitLimit = pm.totalramPages() * 50 / 100 + 16383;
        assertThat(out).contains(String.format("%-16s%8d kB\n", "CommitLimit:", commitLimit * 4));
        assertThat(Meminfo.render(boot("x86_64-1node-1g"))).contains("SwapTotal:             0 kB\n");
    }

    /**
     * mm/page_alloc.c (6.15+) {@code __add_to_free_list}: {@code NR_FREE_PAGES_BLOCKS} counts the pages of free
     * blocks of order ≥ pageblock_order outside ISOLATE; an order-0 allocation that splits a 2 MiB block takes
     * a whole pageblock out of it, and freeing the page merges it back.
     */
    @Test
    void nrFreePagesBlocksShouldCountFreeBlocksOfPageblockOrderOrMore() {
        PhysicalMemory pm = boot("x86_64-1node-1g");
        long blocks = 0;
        for (ZoneView z : pm.allZones(0)) {
            blocks += ProcfsGoldenPresetsTest.blockPages(z);
        }
        assertThat(blocks).isPositive().isLessThanOrEqualTo(pm.nrFreePages());
        assertThat(Vmstat.render(pm)).contains("\nnr_free_pages_blocks " + blocks + "\n");
        // take every MOVABLE block below order 9 out of DMA32 (no split: each list is drained from its
        // own blocks), so the next movable order-0 request has to split a pageblock
        ZoneView dma32 = pm.zone(0, "DMA32");
        int gfp = org.mmsim.kernel.phys.Gfp.GFP_HIGHUSER_MOVABLE;
        List<Long> held = new ArrayList<>();
        for (int order = 0; order < 9; order++) {
            for (long n = dma32.nrFreeByType().get(org.mmsim.kernel.phys.MigrateType.MOVABLE).get(order); n > 0; n--) {
                held.add(pm.allocPfn(order, gfp, 0, 0) << 4 | order);
            }
        }
        long before = Long.parseLong(Vmstat.render(pm).lines().filter(l -> l.startsWith("nr_free_pages_blocks "))
                .findFirst().orElseThrow().split(" ")[1]);
        long pfn = pm.allocPfn(0, gfp, 0, 0);
        String after = Vmstat.render(pm);
        assertThat(pm.zoneIdxOf(pfn)).isEqualTo(dma32.zoneIdx());
        assertThat(after).contains("\nnr_free_pages_blocks " + (before - 512) + "\n");
        pm.freePages(pfn, 0);
        for (long h : held) {
            pm.freePages(h >>> 4, (int) (h & 15));
        }
        pm.checkInvariants();
        assertThat(Vmstat.render(pm)).contains("\nnr_free_pages_blocks " + blocks + "\n");
    }
}
