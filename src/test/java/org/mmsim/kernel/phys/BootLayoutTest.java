package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Tunables;

class BootLayoutTest {

    /** zone_sizes_init: DMA < 16 MiB and DMA32 < 4 GiB on node 0, Normal above 4 GiB on node 1. */
    @Test
    void twoNodesOf4GiBShouldHaveDmaAndDma32OnNode0AndNormalOnNode1() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(pm.zones(0)).extracting(ZoneView::name).containsExactly("DMA", "DMA32");
        assertThat(pm.zones(1)).extracting(ZoneView::name).containsExactly("Normal");
        assertThat(pm.allZones(0)).extracting(ZoneView::name).containsExactly("DMA", "DMA32", "Normal", "Movable", "Device");
        ZoneView dma = pm.zones(0).get(0);
        assertThat(dma.startPfn()).isEqualTo(1);
        assertThat(dma.spannedPages()).isEqualTo(4095);
        assertThat(dma.presentPages()).isEqualTo(3999);
        assertThat(dma.managedPages()).isEqualTo(3840);
        ZoneView dma32 = pm.zones(0).get(1);
        assertThat(dma32.startPfn()).isEqualTo(4096);
        assertThat(dma32.spannedPages()).isEqualTo(1044480);
        assertThat(pm.zones(1).get(0).startPfn()).isEqualTo(1L << 20);
        pm.checkInvariants();
    }

    /** i386: DMA below 16 MiB, Normal up to max_low_pfn (896 MiB), HighMem above. */
    @Test
    void i386MachineOf2GiBShouldHaveDmaNormalAndHighMem() {
        PhysicalMemory pm = Machines.i386TwoGiB();
        assertThat(pm.zones(0)).extracting(ZoneView::name).containsExactly("DMA", "Normal", "HighMem");
        assertThat(pm.zones(0).get(2).startPfn()).isEqualTo(229376);
        assertThat(pm.zones(0).get(2).spannedPages()).isEqualTo(524288 - 229376);
        assertThat(pm.allocPages(0, "GFP_HIGHUSER", 0).zone()).isEqualTo("HighMem");
        assertThat(pm.allocPages(0, "GFP_KERNEL", 0).zone()).isEqualTo("Normal");
        assertThat(pm.allocPages(0, "GFP_DMA32", 0).zone()).isEqualTo("Normal");
        pm.checkInvariants();
    }

    /** Boot reservations show as present − managed: first 1 MiB, kernel image, memmap. */
    @Test
    void reservedBootMemoryShouldBeReportedAsReservedFrames() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(pm.frame(0).state()).isEqualTo("hole");
        assertThat(pm.frame(200).state()).isEqualTo("hole");
        assertThat(pm.frame(100).state()).isEqualTo("reserved");
        assertThat(pm.frame(100).flags()).containsExactly("reserved");
        assertThat(pm.frame(4096).state()).isEqualTo("reserved");
        assertThat(pm.frame(4096 + 8192).state()).isEqualTo("free");
        long node1Top = 2L << 20;
        assertThat(pm.frame(node1Top - 1).state()).isEqualTo("reserved");
        long memmapPages = (pm.nodes().get(1).presentPages() * 64 + 4095) / 4096;
        assertThat(pm.zones(1).get(0).presentPages() - pm.zones(1).get(0).managedPages()).isEqualTo(memmapPages);
    }

    /** find_zone_movable_pfns_for_nodes: movablecore= carves ZONE_MOVABLE from the top of the nodes. */
    @Test
    void movablecoreShouldCreateAMovableZoneOnlyMovableAllocationsUse() {
        Tunables t = new Tunables(0, 10, 2L << 30, "madvise", 0, 50);
        MachineConfig c = new MachineConfig(Arch.X86_64,
                List.of(new MachineConfig.NodeSpec(4L << 30, 2), new MachineConfig.NodeSpec(4L << 30, 2)),
                null, 0, 1, false, t);
        PhysicalMemory pm = new PhysicalMemory(c);
        ZoneView movable = pm.allZones(1).get(3);
        assertThat(movable.name()).isEqualTo("Movable");
        assertThat(movable.presentPages()).isGreaterThan(0);
        assertThat(movable.startPfn() % 1024).isZero();
        assertThat(movable.min()).isBetween(32L, 128L);
        assertThat(pm.allocPages(new AllocRequest(0, Gfp.GFP_HIGHUSER_MOVABLE, 1, 2, null, -1, null)).zone())
                .isEqualTo("Movable");
        assertThat(pm.allocPages(new AllocRequest(0, Gfp.GFP_KERNEL, 1, 2, null, -1, null)).zone())
                .isEqualTo("Normal");
        pm.checkInvariants();
    }

    /** A fresh 1 TiB machine boots at once: untouched memory is pristine ranges, not list nodes. */
    @Test
    void fresh1TiBMachineShouldBootInstantly() throws Exception {
        long t0 = System.nanoTime();
        PhysicalMemory pm = new PhysicalMemory(Machines.oneTebibyteConfig());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        ZoneView normal = pm.zones(0).get(2);
        assertThat(normal.nrFree().get(10)).isGreaterThan(200_000);
        assertThat(pm.freeArea(0, "Normal", 262_000, 3).orders().get(10).blockPfns()).hasSizeLessThanOrEqualTo(3);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        pm.writeTo(new java.io.DataOutputStream(bytes));
        assertThat(bytes.size()).isLessThan(4096);
        pm.checkInvariants();
    }
}
