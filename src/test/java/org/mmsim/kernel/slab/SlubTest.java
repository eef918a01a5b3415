package org.mmsim.kernel.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.journal.Kfree;
import org.mmsim.kernel.journal.Kmalloc;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.procfs.Meminfo;
import org.mmsim.kernel.procfs.Slabinfo;
import org.mmsim.kernel.procfs.Vmstat;

/** SLUB and kmalloc (LINUX.md 8.1-8.2; mm/slub.c, mm/slab_common.c). */
class SlubTest {

    private final Machine machine = new Machine(Machines.config(Arch.X86_64, 256L << 20));

    private Kmalloc.Result kmalloc(long bytes) {
        Kmalloc.Result r = (Kmalloc.Result) machine.apply(new Kmalloc(bytes, "GFP_KERNEL", -1, 0));
        machine.checkInvariants();
        return r;
    }

    private Kfree.Result kfree(long address) {
        Kfree.Result r = (Kfree.Result) machine.apply(new Kfree(address));
        machine.checkInvariants();
        return r;
    }

    private static String slabinfoRow(Machine m, String cache) {
        for (String line : Slabinfo.render(m).split("\n")) {
            if (line.startsWith(cache + " ")) {
                return line;
            }
        }
        throw new AssertionError(cache + " not in slabinfo");
    }

    private static long activeObjs(Machine m, String cache) {
        return Long.parseLong(slabinfoRow(m, cache).substring(17).trim().split("\\s+")[0]);
    }

    private static long meminfoKb(Machine m, String field) {
        for (String line : Meminfo.render(m).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new AssertionError(field);
    }

    // calculate_order with 2 CPUs reproduces the live objects/pages per slab of LINUX.md 8.1 and the
    // 6.18 host's named caches
    @Test
    void calculateOrderReproducesTheLiveObjectsPerSlabOfAtwoCpuKernel() {
        int[][] live = {{8, 512, 1}, {96, 42, 1}, {192, 21, 1}, {512, 16, 2}, {1024, 16, 4}, {2048, 16, 8},
            {4096, 8, 8}, {8192, 4, 8}, {128, 32, 1}, {256, 16, 1}, {4224, 7, 8}, {1600, 20, 8}, {104, 39, 1}};
        for (int[] l : live) {
            int order = KmemCache.calculateOrder(l[0], 2);
            assertThat(KmemCache.orderObjects(order, l[0])).as("objects of %d", l[0]).isEqualTo(l[1]);
            assertThat(1 << order).as("pages of %d", l[0]).isEqualTo(l[2]);
        }
        // one CPU: min_objects = 4 * (fls(1) + 1) = 8, so 8 x 512 fit in one page
        assertThat(KmemCache.calculateOrder(512, 1)).isZero();
    }

    // kmalloc_index: ≤192 by kmalloc_size_index (65-96 → 96, 129-192 → 192), then powers of two
    @Test
    void kmallocSizeClassesFollowKmallocSizeIndex() {
        Slub slub = machine.slub();
        assertThat(slub.kmallocCache(1).name()).isEqualTo("kmalloc-8");
        assertThat(slub.kmallocCache(65).name()).isEqualTo("kmalloc-96");
        assertThat(slub.kmallocCache(97).name()).isEqualTo("kmalloc-128");
        assertThat(slub.kmallocCache(129).name()).isEqualTo("kmalloc-192");
        assertThat(slub.kmallocCache(193).name()).isEqualTo("kmalloc-256");
        assertThat(slub.kmallocCache(1025).name()).isEqualTo("kmalloc-2k");
        assertThat(slub.kmallocCache(8192).name()).isEqualTo("kmalloc-8k");
    }

    // the must-show: kmalloc(100) takes an object from kmalloc-128 and slabinfo active objects move by one
    @Test
    void kmalloc100TakesAnObjectFromKmalloc128AndSlabinfoActiveObjectsMoveByOne() {
        long before = activeObjs(machine, "kmalloc-128");
        Kmalloc.Result r = kmalloc(100);
        assertThat(r.cache()).isEqualTo("kmalloc-128");
        assertThat(r.objectSize()).isEqualTo(128);
        assertThat(activeObjs(machine, "kmalloc-128")).isEqualTo(before + 1);
        // a direct-map address: PAGE_OFFSET + pfn << 12 (the first object of the slab)
        assertThat(r.address()).isEqualTo(0xffff888000000000L + (r.pfn() << 12));
        assertThat(machine.phys().pageOwner(r.pfn())).isEqualTo(PageStore.OWNER_SLAB);
        assertThat(machine.phys().frame(r.pfn()).flags()).containsExactly("slab");
        assertThat(machine.phys().frame(r.pfn()).owner()).isEqualTo("slab");
        assertThat(slabinfoRow(machine, "kmalloc-128")).isEqualTo(
                "kmalloc-128            1     32    128   32    1 : tunables    0    0    0 : slabdata      1      1      0");
        kfree(r.address());
        assertThat(activeObjs(machine, "kmalloc-128")).isEqualTo(before);
    }

    // SLUB hands out objects of one slab in order here (lowest free index), the next slab when it is full
    @Test
    void objectsComeFromTheFirstPartialSlabLowestFreeFirst() {
        Kmalloc.Result a = kmalloc(512);
        Kmalloc.Result b = kmalloc(512);
        assertThat(b.address() - a.address()).isEqualTo(512);
        kfree(a.address());
        Kmalloc.Result c = kmalloc(500);
        assertThat(c.address()).isEqualTo(a.address());
    }

    // discard_slab: freeing every object of a slab returns its pages to the buddy allocator
    @Test
    void freeingEveryObjectOfASlabReturnsItsPagesToTheBuddyAllocator() {
        long freeBefore = machine.phys().nrFreePages();
        List<Long> objects = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // kmalloc-512: 16 objects in an order-1 slab
            objects.add(kmalloc(512).address());
        }
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeBefore - 2);
        Kmalloc.Result seventeenth = kmalloc(512);
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeBefore - 4);
        kfree(seventeenth.address());
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeBefore - 2);
        for (int i = 0; i < 15; i++) {
            assertThat(kfree(objects.get(i)).slabFreed()).isFalse();
        }
        assertThat(kfree(objects.get(15)).slabFreed()).isTrue();
        assertThat(machine.phys().nrFreePages()).isEqualTo(freeBefore);
        assertThat(slabinfoRow(machine, "kmalloc-512")).contains(" : slabdata      0      0      0");
    }

    // meminfo Slab = SReclaimable + SUnreclaim; kmalloc caches are not SLAB_RECLAIM_ACCOUNT
    @Test
    void slabPagesCountAsUnreclaimableInMeminfoAndVmstat() {
        long unreclaimBefore = meminfoKb(machine, "SUnreclaim");
        kmalloc(2048); // kmalloc-2k: order-3 slab, 32 kB
        assertThat(meminfoKb(machine, "SUnreclaim")).isEqualTo(unreclaimBefore + 32);
        assertThat(meminfoKb(machine, "Slab")).isEqualTo(meminfoKb(machine, "SUnreclaim"));
        assertThat(meminfoKb(machine, "SReclaimable")).isZero();
        assertThat(Vmstat.render(machine)).contains("\nnr_slab_unreclaimable " + (meminfoKb(machine, "SUnreclaim") / 4)
                + "\n");
    }

    // ___kmalloc_large_node: above 8 KiB kmalloc takes get_order(size) pages, counted as slab
    @Test
    void kmallocAbove8KiBGoesToThePageAllocator() {
        long free = machine.phys().nrFreePages();
        Kmalloc.Result r = kmalloc(8193);
        assertThat(r.cache()).isNull();
        assertThat(r.order()).isEqualTo(2);
        assertThat(machine.phys().nrFreePages()).isEqualTo(free - 4);
        assertThat(kfree(r.address()).order()).isEqualTo(2);
        assertThat(machine.phys().nrFreePages()).isEqualTo(free);
        assertThat(kmalloc((4L << 20) + 1).address()).isZero();
    }

    // kmalloc(0) is ZERO_SIZE_PTR; kfree ignores NULL and ZERO_SIZE_PTR
    @Test
    void kmallocZeroGivesZeroSizePtrAndKfreeIgnoresIt() {
        assertThat(kmalloc(0).address()).isEqualTo(Slub.ZERO_SIZE_PTR);
        assertThat(kfree(Slub.ZERO_SIZE_PTR).cache()).isNull();
        assertThat(kfree(0).cache()).isNull();
    }

    // kfree of a pointer kmalloc never returned is a kernel bug: refused, nothing changes
    @Test
    void kfreeOfABadPointerIsRefusedAndChangesNothing() {
        Kmalloc.Result r = kmalloc(64);
        byte[] before = MachineCodec.encodeRaw(machine);
        assertThatThrownBy(() -> machine.apply(new Kfree(r.address() + 8)))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.field()).isEqualTo("address"));
        assertThatThrownBy(() -> machine.apply(new Kfree(0x1234)))
                .isInstanceOf(KernelInputException.class);
        assertThat(MachineCodec.encodeRaw(machine)).isEqualTo(before);
        kmalloc(64); // keeps the slab alive
        kfree(r.address());
        assertThatThrownBy(() -> machine.apply(new Kfree(r.address())))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.getMessage()).contains("double free"));
        assertThatThrownBy(() -> machine.apply(new Kmalloc(8, "GFP_DMA32", -1, 0)))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.field()).isEqualTo("gfp"));
    }

    // the snapshot (format 3) keeps the slabs: the decoded machine encodes the same and allocates the same next
    @Test
    void snapshotRestoresSlabsSoTheNextObjectIsTheSame() {
        for (int i = 0; i < 40; i++) {
            kmalloc(100 + i * 37);
        }
        kfree(kmalloc(96).address());
        Machine copy = MachineCodec.decode(MachineCodec.encode(machine));
        copy.checkInvariants();
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(MachineCodec.encodeRaw(machine));
        Kmalloc.Result a = kmalloc(300);
        Kmalloc.Result b = (Kmalloc.Result) copy.apply(new Kmalloc(300, "GFP_KERNEL", -1, 0));
        assertThat(b).isEqualTo(a);
        assertThat(Slabinfo.render(copy)).isEqualTo(Slabinfo.render(machine));
    }

    // kmalloc_node: the slab comes from the node asked for (or the CPU's node) and sits on that node's partial list
    @Test
    void slabsComeFromTheRequestedNodeAndEachNodeHasItsOwnPartialList() {
        Machine two = new Machine(Machines.config(Arch.X86_64, 128L << 20, 128L << 20));
        Kmalloc.Result onNode1 = (Kmalloc.Result) two.apply(new Kmalloc(64, "GFP_KERNEL", 1, 0));
        Kmalloc.Result fromCpu2 = (Kmalloc.Result) two.apply(new Kmalloc(64, "GFP_KERNEL", -1, 2)); // CPUs 2-3: node 1
        Kmalloc.Result onNode0 = (Kmalloc.Result) two.apply(new Kmalloc(64, "GFP_KERNEL", -1, 0));
        two.checkInvariants();
        assertThat(onNode1.node()).isEqualTo(1);
        assertThat(fromCpu2.pfn()).isEqualTo(onNode1.pfn());
        assertThat(onNode0.node()).isZero();
        assertThat(onNode0.pfn()).isNotEqualTo(onNode1.pfn());
        assertThat(activeObjs(two, "kmalloc-64")).isEqualTo(3);
    }

    // i386: PAGE_OFFSET 0xc0000000, slab pages from lowmem (GFP_KERNEL cannot reach HighMem)
    @Test
    void i386ObjectsAreDirectMapAddressesAbovePageOffset() {
        Machine i386 = new Machine(Machines.config(Arch.I386, 2L << 30));
        Kmalloc.Result r = (Kmalloc.Result) i386.apply(new Kmalloc(4096, "GFP_KERNEL", -1, 0));
        i386.checkInvariants();
        assertThat(r.address()).isEqualTo(0xc0000000L + (r.pfn() << 12));
        assertThat(r.pfn()).isLessThan((896L << 20) >> 12);
    }
}
