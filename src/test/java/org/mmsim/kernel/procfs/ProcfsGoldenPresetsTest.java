package org.mmsim.kernel.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.kernel.phys.NodeView;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * Golden structure of every view on a freshly booted preset, line by line: each line is rebuilt
 * from the kernel's printf format with the numbers parsed back out of it, so widths, column
 * positions, trailing spaces and the label sequence must all match the kernel's.
 */
class ProcfsGoldenPresetsTest {

    private static PhysicalMemory boot(String preset) {
        return new Machine(Presets.byName(preset).orElseThrow().machine()).phys();
    }

    private static long[] numbers(String s) {
        Matcher m = Pattern.compile("\\d+").matcher(s);
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group()));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** frag_show_print: "Node %d, zone %8s " + "%6lu " x NR_PAGE_ORDERS, populated zones only, node by node. */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void buddyinfo(String preset) {
        PhysicalMemory pm = boot(preset);
        List<String> lines = Buddyinfo.render(pm).lines().toList();
        int i = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.zones(nid)) {
                String line = lines.get(i++);
                StringBuilder expected = new StringBuilder(String.format("Node %d, zone %8s ", nid, z.name()));
                for (long n : z.nrFree()) {
                    expected.append(String.format("%6d ", n));
                }
                assertThat(line).isEqualTo(expected.toString()).hasSize(13 + 8 + 1 + 11 * 7);
            }
        }
        assertThat(lines).hasSize(i);
        assertThat(Buddyinfo.render(pm)).endsWith(" \n");
    }

    /** pagetypeinfo_show per node: header, "%-43s " + "%6d ", rows "Node %4d, zone %8s, type %12s " + "%6lu ", blocks "%12lu ". */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void pagetypeinfo(String preset) {
        PhysicalMemory pm = boot(preset);
        List<String> lines = Pagetypeinfo.render(pm).lines().toList();
        String[] types = {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"};
        int i = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            assertThat(lines.get(i++)).isEqualTo("Page block order: 9");
            assertThat(lines.get(i++)).isEqualTo("Pages per block:  512");
            assertThat(lines.get(i++)).isEmpty();
            StringBuilder header = new StringBuilder(String.format("%-43s ", "Free pages count per migrate type at order"));
            for (int o = 0; o <= 10; o++) {
                header.append(String.format("%6d ", o));
            }
            assertThat(lines.get(i++)).isEqualTo(header.toString());
            for (ZoneView z : pm.zones(nid)) {
                for (int mt = 0; mt < types.length; mt++) {
                    String line = lines.get(i++);
                    String prefix = String.format("Node %4d, zone %8s, type %12s ", nid, z.name(), types[mt]);
                    assertThat(line).startsWith(prefix);
                    StringBuilder expected = new StringBuilder(prefix);
                    for (long n : numbers(line.substring(prefix.length()))) {
                        expected.append(String.format("%6d ", n));
                    }
                    assertThat(line).isEqualTo(expected.toString()).hasSize(header.length());
                    assertThat(numbers(line.substring(prefix.length()))).containsExactly(
                            z.nrFreeByType().get(mt).stream().mapToLong(Long::longValue).toArray());
                }
            }
            assertThat(lines.get(i++)).isEmpty();
            StringBuilder blocks = new StringBuilder(String.format("%-23s", "Number of blocks type "));
            for (String t : types) {
                blocks.append(String.format("%12s ", t));
            }
            assertThat(lines.get(i++)).isEqualTo(blocks.toString());
            for (ZoneView z : pm.zones(nid)) {
                StringBuilder expected = new StringBuilder(String.format("Node %d, zone %8s ", nid, z.name()));
                for (long c : z.pageblocksByType()) {
                    expected.append(String.format("%12d ", c));
                }
                assertThat(lines.get(i++)).isEqualTo(expected.toString());
            }
        }
        assertThat(lines).hasSize(i);
    }

    /**
     * zoneinfo_show_print for every zone (walk_zones_in_node with assert_populated false): header without
     * trailing space, per-node stats before the node's first populated zone, the fixed "pages free" block,
     * protection with one entry per zone, and for populated zones the stats, pagesets per online CPU,
     * node_unreclaimable and start_pfn.
     */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void zoneinfo(String preset) {
        PhysicalMemory pm = boot(preset);
        boolean x86_64 = pm.config().arch().is64Bit();
        List<String> lines = Zoneinfo.render(pm).lines().toList();
        int cpus = pm.config().totalCpus();
        int i = 0;
        for (NodeView node : pm.nodes()) {
            boolean first = true;
            List<ZoneView> zones = pm.allZones(node.nid());
            assertThat(zones).hasSize(x86_64 ? 5 : 4);
            for (ZoneView z : zones) {
                assertThat(lines.get(i++)).isEqualTo(String.format("Node %d, zone %8s", node.nid(), z.name()));
                if (z.populated() && first) {
                    first = false;
                    assertThat(lines.get(i++)).isEqualTo("  per-node stats");
                    for (String name : Zoneinfo.NODE_STATS) {
                        assertThat(lines.get(i++)).isEqualTo(String.format("      %-12s %d", name, 0));
                    }
                }
                long[] fixed = {z.freePages(), 0, z.min(), z.low(), z.high(), z.promo(), z.spannedPages(),
                    z.presentPages(), z.managedPages(), 0};
                String[] labels = {"  pages free     ", "        boost    ", "        min      ", "        low      ",
                    "        high     ", "        promo    ", "        spanned  ", "        present  ",
                    "        managed  ", "        cma      "};
                for (int f = 0; f < labels.length; f++) {
                    assertThat(lines.get(i++)).isEqualTo(labels[f] + fixed[f]);
                }
                StringBuilder prot = new StringBuilder("        protection: (").append(z.protection().get(0));
                for (int j = 1; j < z.protection().size(); j++) {
                    prot.append(", ").append(z.protection().get(j));
                }
                assertThat(lines.get(i++)).isEqualTo(prot.append(')').toString());
                assertThat(z.protection()).hasSize(zones.size());
                if (!z.populated()) {
                    continue;
                }
                for (String name : Zoneinfo.zoneStats(x86_64)) {
                    assertThat(lines.get(i++)).isEqualTo(String.format("      %-12s %d", name,
                            switch (name) {
                                case "nr_free_pages" -> z.freePages();
                                // a fresh zone's blocks of order 9 and 10 (every pageblock is free and whole)
                                case "nr_free_pages_blocks" -> blockPages(z);
                                default -> 0L;
                            }));
                }
                for (String name : Zoneinfo.NUMA_STATS) {
                    assertThat(lines.get(i++)).isEqualTo(String.format("      %-12s %d", name, 0));
                }
                assertThat(lines.get(i++)).isEqualTo("  pagesets");
                for (int cpu = 0; cpu < cpus; cpu++) {
                    assertThat(lines.get(i++)).isEqualTo("    cpu: " + cpu);
                    for (String label : new String[] {"count:    ", "high:     ", "batch:    ", "high_min: ", "high_max: "}) {
                        assertThat(lines.get(i++)).matches("              " + label + "\\d+");
                    }
                    assertThat(lines.get(i++)).matches("  vm stats threshold: \\d+");
                }
                assertThat(lines.get(i++)).isEqualTo("  node_unreclaimable:  0");
                assertThat(lines.get(i++)).isEqualTo("  start_pfn:           " + z.startPfn());
            }
            assertThat(first).as("node %d has a populated zone", node.nid()).isFalse();
        }
        assertThat(lines).hasSize(i);
    }

    /** meminfo_proc_show / hugetlb_report_meminfo / arch_report_meminfo: labels in order, 16-wide label, "%8lu kB". */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void meminfo(String preset) {
        PhysicalMemory pm = boot(preset);
        boolean i386 = !pm.config().arch().is64Bit();
        List<String> labels = new ArrayList<>(List.of("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
                "SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
                "Inactive(file)", "Unevictable", "Mlocked"));
        if (i386) {
            labels.addAll(List.of("HighTotal", "HighFree", "LowTotal", "LowFree"));
        }
        labels.addAll(List.of("SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages",
                "Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
                "SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS",
                "VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu"));
        if (!i386) {
            labels.addAll(List.of("AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped"));
        }
        labels.addAll(List.of("Balloon", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
                "Hugepagesize", "Hugetlb"));
        labels.addAll(i386 ? List.of("DirectMap4k", "DirectMap4M") : List.of("DirectMap4k", "DirectMap2M", "DirectMap1G"));
        List<String> lines = Meminfo.render(pm).lines().toList();
        assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList()).isEqualTo(labels);
        for (String line : lines) {
            String label = line.substring(0, line.indexOf(':') + 1);
            long value = numbers(line.substring(label.length()))[0];
            String expected = label.startsWith("HugePages_")
                    ? String.format("%-16s   %5d", label, value)
                    : String.format("%-16s%8d kB", label, value);
            assertThat(line).isEqualTo(expected);
        }
        long totalKb = pm.totalramPages() * 4;
        assertThat(lines.get(0)).isEqualTo(String.format("MemTotal:       %8d kB", totalKb));
        assertThat(lines.get(1)).isEqualTo(String.format("MemFree:        %8d kB", pm.nrFreePages() * 4));
        // si_mem_available with no page cache or reclaimable slab yet: NR_FREE_PAGES - totalreserve_pages
        assertThat(lines.get(2)).isEqualTo(String.format("MemAvailable:   %8d kB",
                Math.max(0, pm.nrFreePages() - pm.totalreservePages()) * 4));
    }

    /** vmstat_show: "%s %lu" per vmstat_text[] item in order, no padding, ending with nr_unstable. */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void vmstat(String preset) {
        PhysicalMemory pm = boot(preset);
        List<String> lines = Vmstat.render(pm).lines().toList();
        List<String> names = Vmstat.names(pm);
        assertThat(lines).hasSize(names.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).matches(Pattern.quote(names.get(i)) + " \\d+");
        }
        assertThat(lines.get(0)).isEqualTo("nr_free_pages " + pm.nrFreePages());
        assertThat(lines.get(lines.size() - 1)).isEqualTo("nr_unstable 0");
        assertThat(names).doesNotHaveDuplicates();
    }

    /** numastat compatibility mode (16-wide left label, "%16s"/"%.0f" right-justified node columns) and node_read_numastat. */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1node-1g", "x86_64-2node-4g", "i386-1node-2g"})
    void numastat(String preset) {
        PhysicalMemory pm = boot(preset);
        List<String> lines = Numastat.render(pm).lines().toList();
        StringBuilder header = new StringBuilder(" ".repeat(16));
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            header.append(String.format("%16s", "node" + nid));
        }
        assertThat(lines.get(0)).isEqualTo(header.toString());
        String[] rows = {"numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"};
        assertThat(lines).hasSize(1 + rows.length);
        for (int r = 0; r < rows.length; r++) {
            StringBuilder expected = new StringBuilder(String.format("%-16s", rows[r]));
            for (int nid = 0; nid < pm.nrNodes(); nid++) {
                expected.append(String.format("%16d", 0));
            }
            assertThat(lines.get(1 + r)).isEqualTo(expected.toString()).hasSize(header.length());
        }
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            assertThat(Numastat.renderSysfs(pm, nid)).isEqualTo(
                    "numa_hit 0\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node 0\nother_node 0\n");
        }
    }

    /**
     * The pages in free blocks of order 9 and 10 of every migratetype (no pageblock is ISOLATE here): the
     * tests' own count of NR_FREE_PAGES_BLOCKS, independent of Zoneinfo's.
     */
    static long blockPages(ZoneView z) {
        long n = 0;
        for (List<Long> byOrder : z.nrFreeByType()) {
            n += (byOrder.get(9) << 9) + (byOrder.get(10) << 10);
        }
        return n;
    }
}
