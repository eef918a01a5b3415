package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.procfs.Extfrag;

/** mm/vmstat.c unusable_free_index and __fragmentation_index, and their debugfs extfrag files. */
class FragmentationTest {

    private static List<Long> nrFree(long... perOrder) {
        List<Long> out = new ArrayList<>();
        for (int o = 0; o < PhysicalMemory.NR_PAGE_ORDERS; o++) {
            out.add(o < perOrder.length ? perOrder[o] : 0L);
        }
        return out;
    }

    // hand computation: 4 free order-0 blocks and 1 order-2 block = 8 pages in 5 blocks
    @Test
    void indexesMatchTheKernelFormulaByHand() {
        List<Long> free = nrFree(4, 0, 1);
        // order 1: suitable blocks (in order-1 units) = 1 << (2-1) = 2; unusable = (8 - 2*2) * 1000 / 8 = 500
        assertThat(Fragmentation.unusableFreeIndex(1, Fragmentation.fillContigPageInfo(free, 1))).isEqualTo(500);
        // order 2: one suitable block; unusable = (8 - 1*4) * 1000 / 8 = 500; would succeed → -1000
        assertThat(Fragmentation.unusableFreeIndex(2, Fragmentation.fillContigPageInfo(free, 2))).isEqualTo(500);
        assertThat(Fragmentation.fragmentationIndex(2, Fragmentation.fillContigPageInfo(free, 2))).isEqualTo(-1000);
        // order 3: nothing suitable; unusable = 1000; fragmentation = 1000 - (1000 + 8*1000/8) / 5 = 600
        assertThat(Fragmentation.unusableFreeIndex(3, Fragmentation.fillContigPageInfo(free, 3))).isEqualTo(1000);
        assertThat(Fragmentation.fragmentationIndex(3, Fragmentation.fillContigPageInfo(free, 3))).isEqualTo(600);
        // order 10: 1000 - (1000 + 8*1000/1024) / 5 = 1000 - 1007/5 = 1000 - 201 = 799
        assertThat(Fragmentation.fragmentationIndex(10, Fragmentation.fillContigPageInfo(free, 10))).isEqualTo(799);
        // order 0 with only order-0 blocks: all usable
        assertThat(Fragmentation.unusableIndexes(nrFree(4))[0]).isZero();
    }

    // "no free memory is interpreted as all free memory is unusable"; __fragmentation_index answers 0
    @Test
    void anEmptyZoneIsAllUnusableAndHasFragmentationIndexZero() {
        List<Long> none = nrFree();
        assertThat(Fragmentation.unusableIndexes(none)).containsOnly(1000);
        assertThat(Fragmentation.fragmentationIndexes(none)).containsOnly(0);
    }

    // seq_printf("%d.%03d ") and ("%2d.%03d ") with C's truncating division
    @Test
    void indexesPrintAsTheKernelPrintsThem() {
        assertThat(Fragmentation.format(-1000, 2)).isEqualTo("-1.000");
        assertThat(Fragmentation.format(600, 2)).isEqualTo(" 0.600");
        assertThat(Fragmentation.format(1000, 0)).isEqualTo("1.000");
        assertThat(Fragmentation.format(5, 0)).isEqualTo("0.005");
        // one free page, order 1: 1000 - (1000 + 500) / 1 = -500, printed as the kernel does
        assertThat(Fragmentation.fragmentationIndex(1, Fragmentation.fillContigPageInfo(nrFree(1), 1))).isEqualTo(-500);
        assertThat(Fragmentation.format(-500, 2)).isEqualTo(" 0.-500");
    }

    // the debugfs files: one line per populated zone, what the formula gives for its free_area counts
    @Test
    void debugfsFilesShowEveryPopulatedZoneWithTheFormulasIndexes() {
        Machine m = new Machine(new MachineConfig(Arch.X86_64, List.of(new MachineConfig.NodeSpec(32L << 20, 1)),
                null, 0, 1, false, null));
        PhysicalMemory pm = m.phys();
        // fragment DMA32: take 64 order-0 pages, give back every other one
        List<Long> taken = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            taken.add(pm.allocPages(0, "GFP_DMA32", 0).pfn());
        }
        for (int i = 0; i < taken.size(); i += 2) {
            pm.freePages(taken.get(i), 0);
        }
        m.checkInvariants();
        String unusable = Extfrag.unusableIndex(pm);
        String extfrag = Extfrag.extfragIndex(pm);
        List<ZoneView> zones = pm.zones(0);
        assertThat(unusable.lines()).hasSize(zones.size());
        for (int i = 0; i < zones.size(); i++) {
            ZoneView z = zones.get(i);
            long[] n = z.nrFree().stream().mapToLong(Long::longValue).toArray();
            long pages = 0;
            long blocks = 0;
            for (int o = 0; o < n.length; o++) {
                pages += n[o] << o;
                blocks += n[o];
            }
            StringBuilder u = new StringBuilder(String.format("Node 0, zone %8s ", z.name()));
            StringBuilder f = new StringBuilder(String.format("Node 0, zone %8s ", z.name()));
            for (int order = 0; order < n.length; order++) {
                long suitable = 0;
                for (int o = order; o < n.length; o++) {
                    suitable += n[o] << (o - order);
                }
                long ui = pages == 0 ? 1000 : (pages - (suitable << order)) * 1000 / pages;
                long fi = blocks == 0 ? 0 : suitable > 0 ? -1000 : 1000 - (1000 + pages * 1000 / (1L << order)) / blocks;
                u.append(String.format("%d.%03d ", ui / 1000, ui % 1000));
                f.append(String.format("%2d.%03d ", fi / 1000, fi % 1000));
            }
            assertThat(unusable.lines().toList().get(i)).isEqualTo(u.toString());
            assertThat(extfrag.lines().toList().get(i)).isEqualTo(f.toString());
        }
        assertThat(Arrays.asList(extfrag.split("\n")[1].trim().split("\\s+"))).contains("-1.000");
    }
}
