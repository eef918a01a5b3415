package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;

/** alloc-check answers what get_page_from_freelist with __zone_watermark_ok would do, without doing it. */
class AllocCheckTest {
    private static final String[] GFPS = {"GFP_KERNEL", "GFP_KERNEL", "GFP_ATOMIC", "GFP_DMA", "GFP_DMA32",
        "GFP_HIGHUSER_MOVABLE", "GFP_NOWAIT", "GFP_KERNEL | __GFP_THISNODE"};
    /** -Dmmsim.allocCheck.steps=200000 for a long run. */
    private static final int STEPS = Integer.getInteger("mmsim.allocCheck.steps", 3000);

    // property: for random (order, gfp, node) on a machine filled and fragmented at random, the check's
    // verdict equals what the following alloc_pages does, the zone included; the check changes nothing
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void allocCheckAgreesWithTheAllocationThatFollowsIt(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Machine m = new Machine(Machines.twoSmallNodesConfig());
        PhysicalMemory pm = m.phys();
        List<long[]> held = new ArrayList<>();
        int successes = 0;
        int failures = 0;
        for (int step = 0; step < STEPS; step++) {
            if (!held.isEmpty() && rnd.nextInt(100) < 35) {
                long[] b = held.remove(rnd.nextInt(held.size()));
                pm.freePages(b[0], (int) b[1]);
                continue;
            }
            int order = rnd.nextInt(100) < 70 ? rnd.nextInt(3) : rnd.nextInt(PhysicalMemory.MAX_PAGE_ORDER + 1);
            String gfp = GFPS[rnd.nextInt(GFPS.length)];
            int node = rnd.nextInt(pm.nrNodes());
            byte[] before = MachineCodec.encodeRaw(m);
            AllocCheck check = pm.allocCheck(order, gfp, node);
            assertThat(MachineCodec.encodeRaw(m)).as("alloc-check changes nothing").isEqualTo(before);
            AllocResult r = pm.allocPages(order, gfp, node);
            assertThat(check.wouldSucceed()).as("step %d: %s order %d node %d: %s", step, gfp, order, node, check)
                    .isEqualTo(r.ok());
            if (r.ok()) {
                successes++;
                assertThat(check.fromZone()).isEqualTo("N" + r.nid() + "-" + r.zone());
                held.add(new long[] {r.pfn(), order});
            } else {
                failures++;
                assertThat(check.reason()).isEqualTo(r.reason());
                assertThat(check.zones()).noneMatch(z -> z.passesLow() || z.passesMin());
            }
        }
        m.checkInvariants();
        assertThat(successes).isPositive();
        assertThat(failures).as("the run reaches failing allocations").isPositive();
    }

    // a zone with plenty of free pages but no block of the order: "fragmented" or "would need compaction"
    @Test
    void aFragmentedZoneSaysWhyAnOrderTenAllocationFails() {
        Machine m = new Machine(Machines.config(org.mmsim.kernel.machine.Arch.X86_64, 64L << 20));
        PhysicalMemory pm = m.phys();
        List<Long> pages = new ArrayList<>();
        for (AllocResult r = pm.allocPages(0, "GFP_DMA32", 0); r.ok(); r = pm.allocPages(0, "GFP_DMA32", 0)) {
            pages.add(r.pfn());
        }
        // give back every other page: half the zone is free, yet (but for the watermark reserve) no two free pages are buddies
        for (int i = 0; i < pages.size(); i += 2) {
            pm.freePages(pages.get(i), 0);
        }
        AllocCheck check = pm.allocCheck(10, "GFP_DMA32", 0);
        assertThat(check.wouldSucceed()).isFalse();
        AllocCheck.ZoneCheck dma32 = check.zones().stream().filter(z -> z.zone().equals("DMA32")).findFirst()
                .orElseThrow();
        assertThat(dma32.largestFreeOrder()).isLessThan(10);
        assertThat(dma32.fragmentationIndex()).isGreaterThan(Fragmentation.EXTFRAG_THRESHOLD);
        assertThat(dma32.verdict()).startsWith("would need compaction: no free block of order >= 10");
        assertThat(dma32.unusableFreeIndex()).isEqualTo(1000);
        assertThat(pm.allocCheck(0, "GFP_DMA32", 0).wouldSucceed()).isTrue();
        assertThat(pm.allocPages(10, "GFP_DMA32", 0).ok()).isFalse();
    }
}
