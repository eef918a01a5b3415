package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.Fragmentation;
import org.mmsim.kernel.phys.NodeView;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/** The physical machine as {@code GET …/machine} shows it: nodes, and in each its zones. */
@Schema(description = "Physical memory: NUMA nodes (pglist_data) and their zones, with the buddy allocator's "
        + "counts. Pages are 4 KiB frames; pfn = physical address >> 12.")
record MachineView(
        @Schema(example = "x86_64") String arch,
        @Schema(description = "vm.min_free_kbytes as the kernel computed it at boot (or as configured).")
        long minFreeKbytes,
        @Schema(description = "totalram_pages(): managed pages of every zone.") long totalramPages,
        @Schema(description = "NR_FREE_PAGES over the machine.") long nrFreePages,
        List<Node> nodes) {

    @Schema(description = "A NUMA node.")
    record Node(
            @Schema(description = "Node id.", example = "0") int id,
            @Schema(description = "CPU ids on this node.") List<Integer> cpus,
            @Schema(description = "Memory of the node.", example = "4GiB") String memory,
            long memoryBytes,
            @Schema(description = "node_distance(id, n) for every node n (the SLIT row).") List<Integer> distances,
            long startPfn, long spannedPages, long presentPages, long managedPages, long freePages,
            @Schema(description = "Populated zones, lowest first.") List<Zone> zones) {
    }

    @Schema(description = "A zone (struct zone). spanned = end - start (holes included); present = spanned - holes; "
            + "managed = present - boot reservations. Watermarks are in pages.")
    record Zone(
            @Schema(description = "Zone name as /proc shows it.", example = "DMA32") String name,
            @Schema(example = "4096") long startPfn,
            long spannedPages, long presentPages, long managedPages, long freePages,
            @Schema(description = "WMARK_MIN in pages.") long min,
            @Schema(description = "WMARK_LOW in pages: kswapd wakes below it.") long low,
            @Schema(description = "WMARK_HIGH in pages: kswapd sleeps above it.") long high,
            @Schema(description = "WMARK_PROMO in pages.") long promo,
            @Schema(description = "lowmem_reserve[] in pages, one entry per zone type of the node (the protection: "
                    + "line of /proc/zoneinfo).") List<Long> protection,
            @Schema(description = "nr_free per order 0..10 (what /proc/buddyinfo prints).") List<Long> nrFree,
            @Schema(description = "numa_hit, numa_miss, numa_foreign, numa_interleave, numa_local, numa_other, "
                    + "pgalloc.") Counters counters,
            @Schema(description = "Unusable free space index per order 0..10 (mm/vmstat.c unusable_free_index, "
                    + "debugfs extfrag/unusable_index): the share of free memory in blocks too small for the order, "
                    + "0 (none) to 1 (all, or nothing free); the kernel's thousandths as a 3-decimal number.")
            List<BigDecimal> unusableIndex,
            @Schema(description = "External fragmentation index per order 0..10 (__fragmentation_index, debugfs "
                    + "extfrag/extfrag_index): -1.000 where an allocation of the order would find a block; otherwise "
                    + "towards 0 a failure for lack of memory, towards 1 for fragmentation (above 0.500, "
                    + "extfrag_threshold, compaction is the remedy); 0 when nothing is free.")
            List<BigDecimal> extfragIndex) {
    }

    static List<BigDecimal> thousandths(int[] indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(i -> BigDecimal.valueOf(i, 3)).toList();
    }

    @Schema(description = "Allocation counters of a zone, by their /proc/vmstat names.")
    record Counters(long numa_hit, long numa_miss, long numa_foreign, long numa_interleave, long numa_local,
            long numa_other, long pgalloc) {
    }

    static MachineView from(Machine machine) {
        PhysicalMemory phys = machine.phys();
        List<Node> nodes = phys.nodes().stream().map(n -> node(phys, n)).toList();
        return new MachineView(machine.config().arch().id(), phys.minFreeKbytes(), phys.totalramPages(),
                phys.nrFreePages(), nodes);
    }

    private static Node node(PhysicalMemory phys, NodeView n) {
        List<Zone> zones = phys.zones(n.nid()).stream().map(MachineView::zone).toList();
        return new Node(n.nid(), n.cpus(), Sizes.human(n.memoryBytes()), n.memoryBytes(), n.distances(), n.startPfn(),
                n.spannedPages(), n.presentPages(), n.managedPages(), n.freePages(), zones);
    }

    private static Zone zone(ZoneView z) {
        return new Zone(z.name(), z.startPfn(), z.spannedPages(), z.presentPages(), z.managedPages(), z.freePages(),
                z.min(), z.low(), z.high(), z.promo(), z.protection(), z.nrFree(),
                new Counters(z.numaHit(), z.numaMiss(), z.numaForeign(), z.numaInterleave(), z.numaLocal(),
                        z.numaOther(), z.pgalloc()),
                thousandths(Fragmentation.unusableIndexes(z.nrFree())),
                thousandths(Fragmentation.fragmentationIndexes(z.nrFree())));
    }
}
