package org.mmsim.kernel.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.phys.AllocRequest;
import org.mmsim.kernel.phys.AllocResult;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

class ProcfsRenderersTest {

    /** frag_show_print: "Node %d, zone %8s " + "%6lu " per order, populated zones only. */
    @Test
    void buddyinfoShouldUseTheKernelLayoutAndChangeByTheSplitRuleOnAnOrder3Allocation() {
        PhysicalMemory pm = Machines.twoNodes();
        String before = Buddyinfo.render(pm);
        assertThat(before.lines()).hasSize(3);
        assertThat(before).startsWith("Node 0, zone      DMA ");
        assertThat(before.lines().toList().get(2)).startsWith("Node 1, zone   Normal ").endsWith(" ");
        ZoneView z = pm.zone(1, "Normal");
        StringBuilder expected = new StringBuilder("Node 1, zone   Normal ");
        int k = 3;
        while (z.nrFreeByType().get(1).get(k) == 0) {
            k++;
        }
        for (int o = 0; o <= 10; o++) {
            expected.append(String.format("%6d ", z.nrFree().get(o) + (o >= 3 && o < k ? 1 : 0) - (o == k ? 1 : 0)));
        }
        AllocResult r = pm.allocPages(new AllocRequest(3, Gfp.GFP_HIGHUSER_MOVABLE, 1, 2, null, -1, null));
        assertThat(Buddyinfo.render(pm).lines().toList().get(2)).isEqualTo(expected.toString());
        pm.freePages(r.pfn(), 3);
        assertThat(Buddyinfo.render(pm)).isEqualTo(before);
    }

    /** numastat (numactl): 16-wide label, 16-wide node columns. */
    @Test
    void numastatShouldPrintTheNumactlTable() {
        PhysicalMemory pm = Machines.twoNodes();
        pm.allocPages(0, "GFP_KERNEL", 1);
        String out = Numastat.render(pm);
        assertThat(out.lines().toList()).containsExactly(
                "                           node0           node1",
                "numa_hit                       0               1",
                "numa_miss                      0               0",
                "numa_foreign                   0               0",
                "interleave_hit                 0               0",
                "local_node                     0               1",
                "other_node                     0               0");
        assertThat(Numastat.renderSysfs(pm, 1)).startsWith("numa_hit 1\nnuma_miss 0\n");
    }

    /** meminfo: 16-column label, 8-wide value, " kB". */
    @Test
    void meminfoShouldUseTheKernelColumnsAndRealPhysicalFigures() {
        PhysicalMemory pm = Machines.twoNodes();
        String out = Meminfo.render(pm);
        long totalKb = pm.totalramPages() * 4;
        assertThat(out).startsWith(String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%n", totalKb, totalKb));
        assertThat(out).contains("HugePages_Total:       0\n").contains("Hugepagesize:       2048 kB\n")
                .contains("VmallocTotal:   34359738367 kB\n");
        assertThat(out.lines().map(l -> l.split(":")[0]).toList()).startsWith("MemTotal", "MemFree", "MemAvailable",
                "Buffers", "Cached", "SwapCached", "Active", "Inactive");
    }

    /** zoneinfo: the zone block of LINUX.md 10.3, with empty zones ending after protection. */
    @Test
    void zoneinfoShouldPrintEveryZoneInTheKernelLayout() {
        PhysicalMemory pm = Machines.twoNodes();
        String out = Zoneinfo.render(pm);
        ZoneView dma = pm.zone(0, "DMA");
        assertThat(out).startsWith("Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 0\n");
        assertThat(out).contains(String.format("\n  pages free     %d\n        boost    0\n        min      %d\n",
                dma.freePages(), dma.min()));
        assertThat(out).contains("Node 0, zone   Normal\n  pages free     0\n");
        assertThat(out).contains("\n      numa_interleave 0\n");
        assertThat(out).contains("\n  start_pfn:           1\n");
        assertThat(out).contains("Node 1, zone   Device\n");
        assertThat(out).endsWith(")\n");
    }

    /** pagetypeinfo: header widths and the pristine order-10 count capped at >100000. */
    @Test
    void pagetypeinfoShouldUseTheKernelHeaders() {
        PhysicalMemory pm = new PhysicalMemory(Machines.oneTebibyteConfig());
        String out = Pagetypeinfo.render(pm);
        assertThat(out).startsWith("Page block order: 9\nPages per block:  512\n\n"
                + "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n");
        assertThat(out).contains("Node    0, zone   Normal, type      Movable ").contains(">100000 \n");
        assertThat(out).contains("Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n");
        assertThat(Vmstat.render(pm)).startsWith("nr_free_pages " + pm.nrFreePages() + "\n").contains("\npgfree 0\n");
    }
}
