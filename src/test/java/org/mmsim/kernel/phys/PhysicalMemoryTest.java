package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.numa.MemPolicyMode;

class PhysicalMemoryTest {

    static byte[] encode(PhysicalMemory pm) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            pm.writeTo(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PhysicalMemory decode(byte[] bytes, MachineConfig config) throws IOException {
        return PhysicalMemory.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), config);
    }

    /** __rmqueue_smallest + expand: the smallest free block of order >= 3 is split; nr_free changes by exactly that rule. */
    @Test
    void order3AllocationShouldSplitTheSmallestSufficientBlockAndFreeShouldRestoreBuddyinfo() {
        PhysicalMemory pm = Machines.oneNodeSmall();
        List<Long> before = pm.zone(0, "DMA32").nrFree();
        int k = 3;
        while (pm.zone(0, "DMA32").nrFreeByType().get(MigrateType.MOVABLE).get(k) == 0) {
            k++;
        }
        AllocResult r = pm.allocPages(new AllocRequest(3, Gfp.GFP_HIGHUSER_MOVABLE, 0, 0, null, -1, null));
        assertThat(r.zone()).isEqualTo("DMA32");
        List<Long> after = pm.zone(0, "DMA32").nrFree();
        for (int o = 0; o <= 10; o++) {
            long expected = before.get(o) + (o >= 3 && o < k ? 1 : 0) - (o == k ? 1 : 0);
            assertThat(after.get(o)).as("order %d", o).isEqualTo(expected);
        }
        pm.freePages(r.pfn(), 3);
        assertThat(pm.zone(0, "DMA32").nrFree()).isEqualTo(before);
        pm.checkInvariants();
    }

    /** gfp_zone: GFP_DMA → DMA, GFP_DMA32 → DMA32, GFP_KERNEL on node 1 → Normal, GFP_HIGHUSER_MOVABLE → Normal (no Movable zone). */
    @Test
    void gfpMasksShouldLandInTheirZones() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(pm.allocPages(0, "GFP_DMA", 0).zone()).isEqualTo("DMA");
        assertThat(pm.allocPages(0, "GFP_DMA32", 0).zone()).isEqualTo("DMA32");
        assertThat(pm.allocPages(0, "GFP_KERNEL", 0).zone()).isEqualTo("DMA32");
        assertThat(pm.allocPages(0, "GFP_KERNEL", 1).zone()).isEqualTo("Normal");
        assertThat(pm.allocPages(0, "GFP_HIGHUSER_MOVABLE", 1).zone()).isEqualTo("Normal");
        assertThat(pm.allocPages(0, "GFP_DMA32", 1)).satisfies(r -> {
            assertThat(r.nid()).isZero();
            assertThat(r.zone()).isEqualTo("DMA32");
        });
        pm.checkInvariants();
    }

    /** build_zonelists: local node highest zone first, then other nodes by distance. */
    @Test
    void zonelistsShouldFollowTheKernelFallbackOrder() {
        PhysicalMemory pm = Machines.twoNodes();
        assertThat(pm.zonelist(0, false)).extracting(ZoneRef::toString).containsExactly("N0-DMA32", "N0-DMA", "N1-Normal");
        assertThat(pm.zonelist(1, false)).extracting(ZoneRef::toString).containsExactly("N1-Normal", "N0-DMA32", "N0-DMA");
        assertThat(pm.zonelist(1, true)).extracting(ZoneRef::toString).containsExactly("N1-Normal");
    }

    /** find_next_best_node tie-break: equal distances rotate through node_load; nearer nodes first. */
    @Test
    void zonelistsShouldOrderNodesByDistanceWithKernelTieBreaks() {
        List<MachineConfig.NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(new MachineConfig.NodeSpec(64L << 20, 1));
        }
        List<List<Integer>> d = List.of(
                List.of(10, 20, 20, 30), List.of(20, 10, 30, 20), List.of(20, 30, 10, 20), List.of(30, 20, 20, 10));
        PhysicalMemory pm = new PhysicalMemory(new MachineConfig(org.mmsim.kernel.machine.Arch.X86_64, nodes, d, 0, 1,
                false, null));
        List<Integer> order0 = pm.zonelist(0, false).stream().map(ZoneRef::nid).distinct().toList();
        assertThat(order0).containsExactly(0, 1, 2, 3);
        List<Integer> order3 = pm.zonelist(3, false).stream().map(ZoneRef::nid).distinct().toList();
        assertThat(order3.get(0)).isEqualTo(3);
        assertThat(order3.get(3)).isEqualTo(0);
    }

    /** get_page_from_freelist: GFP_KERNEL leaves DMA32 when it falls to its low watermark, then uses DMA, then fails as a value. */
    @Test
    void exhaustedZoneShouldFallBackToTheNextZoneAtItsWatermarkThenFailAsAResult() {
        PhysicalMemory pm = new PhysicalMemory(Machines.config(org.mmsim.kernel.machine.Arch.X86_64, 64L << 20));
        AllocResult r;
        do {
            r = pm.allocPages(0, "GFP_KERNEL", 0);
        } while (r.ok() && r.zone().equals("DMA32"));
        assertThat(r.zone()).isEqualTo("DMA");
        ZoneView dma32 = pm.zone(0, "DMA32");
        assertThat(dma32.freePages()).isEqualTo(dma32.low());
        do {
            r = pm.allocPages(0, "GFP_KERNEL", 0);
        } while (r.ok());
        assertThat(r.pfn()).isEqualTo(-1);
        assertThat(r.reason()).isEqualTo("no zone above its watermark on the allowed nodes");
        ZoneView dma = pm.zone(0, "DMA");
        // slow path at WMARK_MIN with lowmem_reserve[Normal]
        assertThat(dma.freePages()).isEqualTo(dma.min() + dma.protection().get(2));
        assertThat(pm.vmEvents().kswapdWakeups()).isPositive();
        // GFP_ATOMIC (__GFP_HIGH, non-blocking) may dig below min
        assertThat(pm.allocPages(0, "GFP_ATOMIC", 0).ok()).isTrue();
        pm.checkInvariants();
    }

    /** Bad input throws KernelInputException naming the field and changes nothing. */
    @Test
    void badInputShouldThrowAndLeaveTheStateUnchanged() {
        PhysicalMemory pm = Machines.twoSmallNodes();
        AllocResult a = pm.allocPages(2, "GFP_KERNEL", 0);
        byte[] before = encode(pm);
        assertField(() -> pm.allocPages(11, "GFP_KERNEL", 0), "order");
        assertField(() -> pm.allocPages(-1, "GFP_KERNEL", 0), "order");
        assertField(() -> pm.allocPages(0, "GFP_BOGUS", 0), "gfp");
        assertField(() -> pm.allocPages(0, "__GFP_DMA|__GFP_HIGHMEM", 0), "gfp");
        // an empty name around | is a typo, not GFP_NOWAIT (0): new input is refused before it is journaled,
        // while parse keeps reading it as no flag so that older journals replay unchanged
        assertField(() -> Gfp.requireNoEmptyFlag("gfp", "|"), "gfp");
        assertField(() -> Gfp.requireNoEmptyFlag("gfp", "GFP_KERNEL|"), "gfp");
        assertField(() -> Gfp.requireNoEmptyFlag("gfp", "GFP_KERNEL||__GFP_ZERO"), "gfp");
        Gfp.requireNoEmptyFlag("gfp", "GFP_KERNEL | __GFP_ZERO");
        assertThat(Gfp.parse("GFP_KERNEL|")).isEqualTo(Gfp.GFP_KERNEL);
        assertField(() -> pm.allocPages(0, "GFP_KERNEL", 7), "node");
        assertField(() -> pm.allocPages(AllocRequest.of(0, "GFP_KERNEL").withPolicy(MemPolicy.of(MemPolicyMode.BIND, 5))), "policy.nodes");
        assertField(() -> pm.allocPages(AllocRequest.of(0, "GFP_KERNEL").withPolicy(MemPolicy.of(MemPolicyMode.BIND))), "policy.nodes");
        assertField(() -> pm.allocPages(AllocRequest.of(0, "GFP_KERNEL").withCpu(99)), "cpu");
        assertField(() -> pm.freePages(a.pfn(), 1), "order");
        assertField(() -> pm.freePages(a.pfn() + 1, 0), "pfn");
        assertField(() -> pm.freePages(100, 0), "pfn");
        assertField(() -> pm.freePages(pm.maxPfn(), 0), "pfn");
        assertField(() -> pm.freePages(-5, 0), "pfn");
        long freePfn = pm.freeArea(0, "DMA32").orders().get(0).blockPfns().get(0);
        assertField(() -> pm.freePages(freePfn, 0), "pfn");
        assertField(() -> pm.frame(pm.maxPfn()), "pfn");
        assertThat(encode(pm)).isEqualTo(before);
        pm.freePages(a.pfn(), 2);
        pm.checkInvariants();
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KernelInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    /** Seeded random churn against a BitSet model of free pfns, invariants after every step, then a snapshot round trip. */
    @Test
    void randomAllocFreeSequencesShouldAgreeWithAReferenceModel() throws IOException {
        MachineConfig config = Machines.twoSmallNodesConfig();
        PhysicalMemory pm = new PhysicalMemory(config);
        BitSet used = new BitSet();
        TreeMap<Long, Integer> allocated = new TreeMap<>();
        Random rnd = new Random(12345);
        String[] gfps = {"GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "GFP_DMA", "GFP_DMA32", "GFP_ATOMIC", "GFP_KERNEL|__GFP_RECLAIMABLE"};
        long initialFree = pm.nrFreePages();
        for (int step = 0; step < 3000; step++) {
            if (allocated.isEmpty() || rnd.nextInt(100) < 55) {
                int order = rnd.nextInt(100) < 70 ? 0 : rnd.nextInt(6);
                AllocResult r = pm.allocPages(new AllocRequest(order, Gfp.parse(gfps[rnd.nextInt(gfps.length)]),
                        rnd.nextInt(3) - 1, rnd.nextInt(4), null, -1, null));
                if (r.ok()) {
                    assertThat(r.pfn() % (1L << order)).isZero();
                    int clash = used.nextSetBit((int) r.pfn());
                    assertThat(clash == -1 || clash >= r.pfn() + (1L << order)).as("block %d reused", r.pfn()).isTrue();
                    used.set((int) r.pfn(), (int) (r.pfn() + (1L << order)));
                    allocated.put(r.pfn(), order);
                }
            } else {
                List<Long> keys = new ArrayList<>(allocated.keySet());
                long pfn = keys.get(rnd.nextInt(keys.size()));
                int order = allocated.remove(pfn);
                pm.freePages(pfn, order);
                used.clear((int) pfn, (int) (pfn + (1L << order)));
            }
            assertThat(pm.nrFreePages()).isEqualTo(initialFree - used.cardinality());
            pm.checkInvariants();
        }
        byte[] snap = encode(pm);
        PhysicalMemory copy = decode(snap, config);
        assertThat(encode(copy)).isEqualTo(snap);
        copy.checkInvariants();
        for (int i = 0; i < 50; i++) {
            AllocResult x = pm.allocPages(i % 4, i % 2 == 0 ? "GFP_KERNEL" : "GFP_HIGHUSER_MOVABLE", -1);
            AllocResult y = copy.allocPages(i % 4, i % 2 == 0 ? "GFP_KERNEL" : "GFP_HIGHUSER_MOVABLE", -1);
            assertThat(y).isEqualTo(x);
        }
        assertThat(encode(copy)).isEqualTo(encode(pm));
        for (var e : allocated.entrySet()) {
            pm.freePages(e.getKey(), e.getValue());
        }
        pm.checkInvariants();
    }

    /** struct page view: a buddy head, an allocated head and a tail. */
    @Test
    void frameViewShouldDescribeFreeAndAllocatedFrames() {
        PhysicalMemory pm = Machines.twoNodes();
        AllocResult r = pm.allocPages(2, "GFP_KERNEL", 1);
        FrameView head = pm.frame(r.pfn());
        assertThat(head.state()).isEqualTo("allocated");
        assertThat(head.refcount()).isEqualTo(1);
        assertThat(head.mapcount()).isEqualTo(-1);
        assertThat(head.order()).isEqualTo(2);
        assertThat(pm.frame(r.pfn() + 1).headPfn()).isEqualTo(r.pfn());
        assertThat(pm.frame(r.pfn() + 1).refcount()).isZero();
        FrameView buddy = pm.frame(r.pfn() + 4);
        assertThat(buddy.state()).isEqualTo("free");
        assertThat(buddy.flags()).containsExactly("buddy");
        assertThat(buddy.order()).isEqualTo(2);
        assertThat(pm.frame(3L << 19).order()).isEqualTo(10);
    }
}
