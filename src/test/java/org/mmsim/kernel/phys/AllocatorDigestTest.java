package org.mmsim.kernel.phys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.Presets;

/**
 * Safety net for allocator speed work: a seeded random alloc/free sequence on two presets whose
 * every outcome (pfn, node, zone, reason, error text) and final snapshot bytes are folded into a
 * SHA-256 digest. The literal was computed on the build before any optimisation; behaviour must
 * not change, so the digest must not either. (Recomputed once for issue 6: the snapshot's kswapd
 * wake-up count now counts only wakeups of a sleeping, unbalanced node's kswapd, as
 * {@code wakeup_kswapd} wakes it, instead of every call; every allocation outcome is unchanged.)
 */
class AllocatorDigestTest {

    private static final String EXPECTED = "95cf763a7bfd79389af91bb6ab297713e97e51883df18831e71fa7cb771cdc2b";

    private static final int[] MASKS = {
        Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA, Gfp.GFP_DMA | Gfp.GFP_ATOMIC,
        Gfp.GFP_DMA32 | Gfp.GFP_KERNEL, Gfp.GFP_USER | Gfp.__GFP_THISNODE, Gfp.GFP_HIGHUSER,
        Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
    };

    @Test
    void digestIsUnchanged() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        run(md, "x86_64-2node-4g", 0x5EED1L);
        run(md, "i386-1node-2g", 0x5EED2L);
        assertEquals(EXPECTED, HexFormat.of().formatHex(md.digest()));
    }

    private static void fold(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }

    private static void run(MessageDigest md, String preset, long seed) throws Exception {
        PhysicalMemory pm = new PhysicalMemory(Presets.byName(preset).orElseThrow().machine());
        SplittableRandom rnd = new SplittableRandom(seed);
        List<long[]> live = new ArrayList<>();
        int nodes = pm.nrNodes();
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(100);
            if (op < (step < 14_000 ? 72 : 30) || live.isEmpty()) {
                int order = rnd.nextInt(3) == 0 ? rnd.nextInt(11) : rnd.nextInt(3);
                int gfp = MASKS[rnd.nextInt(MASKS.length)];
                int nid = rnd.nextInt(nodes + 1) - 1;
                AllocResult r;
                if (rnd.nextBoolean() && nid >= 0) {
                    long pfn = pm.allocPfn(order, gfp, nid, rnd.nextInt(pm.config().totalCpus()));
                    r = new AllocResult(pfn, -2, null, order, null);
                } else {
                    int cpu = rnd.nextInt(pm.config().totalCpus());
                    r = pm.allocPages(new AllocRequest(order, gfp, nid, cpu, null,
                            org.mmsim.kernel.numa.MemPolicy.NO_INTERLEAVE_INDEX, null));
                }
                fold(md, step + " a " + r);
                if (r.pfn() >= 0) {
                    live.add(new long[] {r.pfn(), order});
                }
            } else if (op < 95) {
                int i = rnd.nextInt(live.size());
                long[] b = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                pm.freePages(b[0], (int) b[1]);
                fold(md, step + " f " + b[0]);
            } else {
                // bad frees: wrong order, free frame, out of range
                long pfn = rnd.nextInt(3) == 0 ? pm.maxPfn() + rnd.nextInt(10) : rnd.nextLong(pm.maxPfn());
                int order = rnd.nextInt(3);
                try {
                    pm.freePages(pfn, order);
                    fold(md, step + " F " + pfn + " " + order);
                    // it was a real block: nothing else refers to it unless it is in live
                    live.removeIf(b -> b[0] == pfn);
                } catch (KernelInputException e) {
                    fold(md, step + " e " + e.getMessage());
                }
            }
            if (step % 2000 == 0) {
                pm.checkInvariants();
                fold(md, pm.vmEvents().toString());
            }
        }
        pm.checkInvariants();
        for (int nid = 0; nid < nodes; nid++) {
            fold(md, pm.allZones(nid).toString());
        }
        fold(md, pm.vmEvents().toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pm.writeTo(new DataOutputStream(bytes));
        md.update(bytes.toByteArray());
    }
}
