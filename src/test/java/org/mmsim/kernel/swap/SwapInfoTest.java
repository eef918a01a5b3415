package org.mmsim.kernel.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The swap device of mm/swapfile.c: header slot, swap_map counts, 256-slot clusters. */
class SwapInfoTest {
    private static final long MIB = 1 << 20;

    @Test
    void slotZeroShouldBeTheHeaderSoA64MiBDeviceHas16383UsablePages() {
        SwapInfo si = new SwapInfo(64 * MIB);
        assertThat(si.maxSlots()).isEqualTo(16384);
        assertThat(si.totalPages()).isEqualTo(16383);
        assertThat(si.freePages()).isEqualTo(16383);
        assertThat(si.count(0)).isEqualTo(SwapInfo.SWAP_MAP_BAD);
        // cluster 0 holds the header, so it is not free: setup_clusters puts it on the
        // non-full list and the first allocation takes the first free cluster, cluster 1
        assertThat(si.allocSlot()).isEqualTo(256);
        assertThat(si.allocSlot()).isEqualTo(257);
        si.checkInvariants();
    }

    // a 16 GiB device (4M slots) holds swap_map arrays only for the clusters in use: the header's
    // and the ones slots were taken from; counts elsewhere read 0, and a snapshot round-trips
    @Test
    void swapMapShouldCostOnlyTheClustersInUse() throws IOException {
        SwapInfo si = new SwapInfo(16L << 30);
        assertThat(si.clustersWithMap()).isEqualTo(1);
        assertThat(si.count(si.maxSlots() - 1)).isZero();
        for (int i = 0; i < 300; i++) {
            si.allocSlot();
        }
        assertThat(si.clustersWithMap()).isEqualTo(3);
        assertThat(si.usedSlots()).hasSize(300).startsWith(256, 257).endsWith(555);
        si.checkInvariants();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        si.writeTo(new DataOutputStream(bytes));
        SwapInfo back = SwapInfo.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 16L << 30);
        back.checkInvariants();
        assertThat(back.usedSlots()).isEqualTo(si.usedSlots());
        assertThat(back.clustersWithMap()).isEqualTo(3);
        assertThat(back.allocSlot()).isEqualTo(si.allocSlot());
    }

    @Test
    void clusterAllocatorShouldFillTheCurrentClusterThenTakeTheNextFreeCluster() {
        SwapInfo si = new SwapInfo(3 * SwapInfo.SWAPFILE_CLUSTER * 4096L);
        for (int i = 256; i < 512; i++) {
            assertThat(si.allocSlot()).isEqualTo(i);
        }
        // cluster 1 is full: the head of the free list, cluster 2, starts at slot 512
        assertThat(si.allocSlot()).isEqualTo(512);
        // slot 300 freed in a non-current cluster is not reused while cluster 2 has room
        si.free(300);
        assertThat(si.allocSlot()).isEqualTo(513);
        for (int i = 514; i < 768; i++) {
            assertThat(si.allocSlot()).isEqualTo(i);
        }
        // no cluster is wholly free: the non-full clusters are scanned in index order
        assertThat(si.allocSlot()).isEqualTo(1);
        si.checkInvariants();
    }

    @Test
    void whollyFreedClusterShouldGoToTheTailOfTheFreeList() {
        SwapInfo si = new SwapInfo(4 * SwapInfo.SWAPFILE_CLUSTER * 4096L);
        List<Long> c1 = new ArrayList<>();
        for (int i = 0; i < SwapInfo.SWAPFILE_CLUSTER; i++) {
            c1.add(si.allocSlot());
        }
        assertThat(c1.get(0)).isEqualTo(256);
        assertThat(si.allocSlot()).isEqualTo(512);  // cluster 1 full, cluster 2 current
        c1.forEach(si::free);                        // cluster 1 wholly free → tail (after 3)
        for (int i = 513; i < 768; i++) {
            assertThat(si.allocSlot()).isEqualTo(i);
        }
        assertThat(si.allocSlot()).isEqualTo(768);   // cluster 3 before the freed cluster 1
        si.checkInvariants();
    }

    @Test
    void swapDuplicateShouldCountEveryEntryAndTheLastFreeReleasesTheSlot() {
        SwapInfo si = new SwapInfo(64 * MIB);
        long off = si.allocSlot();
        si.duplicate(off);                      // fork: copy_pte_range → swap_duplicate
        assertThat(si.count(off)).isEqualTo(2);
        assertThat(si.free(off)).isEqualTo(1);  // the child exits
        assertThat(si.inusePages()).isEqualTo(1);
        assertThat(si.free(off)).isZero();      // the parent exits
        assertThat(si.inusePages()).isZero();
        assertThatThrownBy(() -> si.free(off)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> si.duplicate(0)).isInstanceOf(IllegalStateException.class);
        si.checkInvariants();
    }

    @Test
    void fullDeviceShouldAnswerNoSlot() {
        SwapInfo si = new SwapInfo(3 * 4096L);
        assertThat(si.allocSlot()).isEqualTo(1);  // one cluster, holding the header: scanned as non-full
        assertThat(si.allocSlot()).isEqualTo(2);
        assertThat(si.allocSlot()).isEqualTo(SwapInfo.NO_SLOT);
        assertThat(new SwapInfo(0).allocSlot()).isEqualTo(SwapInfo.NO_SLOT);
    }

    @Test
    void seededRandomAllocFreeDuplicateShouldKeepInvariantsAndSnapshotExactly() throws IOException {
        long steps = Long.getLong("mmsim.swap.steps", 3000);
        SplittableRandom rnd = new SplittableRandom(42);
        SwapInfo si = new SwapInfo(1024 * 4096L);
        List<Long> refs = new ArrayList<>();
        for (long s = 0; s < steps; s++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                long off = si.allocSlot();
                if (off != SwapInfo.NO_SLOT) {
                    refs.add(off);
                }
            } else if (op < 7 && !refs.isEmpty()) {
                long off = refs.get(rnd.nextInt(refs.size()));
                si.duplicate(off);
                refs.add(off);
            } else if (!refs.isEmpty()) {
                si.free(refs.remove(rnd.nextInt(refs.size())));
            }
            si.checkInvariants();
            assertThat(si.inusePages()).isEqualTo(refs.stream().distinct().count());
        }
        SwapInfo copy = SwapInfo.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(si))), 1024 * 4096L);
        copy.checkInvariants();
        assertThat(bytes(copy)).isEqualTo(bytes(si));
        assertThat(copy.allocSlot()).isEqualTo(si.allocSlot());
    }

    private static byte[] bytes(SwapInfo si) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        si.writeTo(new DataOutputStream(bo));
        return bo.toByteArray();
    }
}
