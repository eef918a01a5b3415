package org.mmsim.kernel.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.journal.Vfree;
import org.mmsim.kernel.journal.Vmalloc;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.procfs.Meminfo;
import org.mmsim.kernel.procfs.Vmallocinfo;

/** vmalloc (LINUX.md 8.3; mm/vmalloc.c __vmalloc_node_range, alloc_vmap_area, vmalloc_info_show). */
class VmallocTest {
    private static final long VMALLOC_START = 0xffffc90000000000L;
    private static final long PAGE = 4096;

    private final Machine machine = new Machine(Machines.config(Arch.X86_64, 256L << 20));

    private Vmalloc.Result vmalloc(long bytes) {
        Vmalloc.Result r = (Vmalloc.Result) machine.apply(new Vmalloc(bytes, 0));
        machine.checkInvariants();
        return r;
    }

    private static long meminfoKb(Machine m, String field) {
        for (String line : Meminfo.render(m).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new AssertionError(field);
    }

    /** Allocates 64 order-0 pages and frees every other one: the free list then holds isolated single pages. */
    private void fragment() {
        List<Long> pfns = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pfns.add(((AllocPages.Result) machine.apply(new AllocPages(0, "GFP_KERNEL", 0, 0, null))).pfn());
        }
        for (int i = 0; i < 64; i += 2) {
            machine.apply(new FreePages(pfns.get(i), 0));
        }
        machine.checkInvariants();
    }

    // the must-show: on a fragmented zone vmalloc gives a contiguous virtual range over scattered frames
    @Test
    void vmallocOfThreePagesOnAFragmentedZoneIsVirtuallyContiguousOverNonContiguousFrames() {
        fragment();
        Vmalloc.Result r = vmalloc(3 * PAGE);
        assertThat(r.address()).isEqualTo(VMALLOC_START);
        assertThat(r.pfns()).hasSize(3);
        for (int i = 1; i < 3; i++) {
            assertThat(Math.abs(r.pfns().get(i) - r.pfns().get(i - 1))).as("frames %s", r.pfns()).isGreaterThan(1);
        }
        for (int i = 0; i < 3; i++) {
            long pte = machine.vmalloc().pte(r.address() + i * PAGE);
            assertThat(Pte.present(pte)).isTrue();
            assertThat(Pte.pfn(pte)).isEqualTo(r.pfns().get(i));
            assertThat(machine.phys().pageOwner(r.pfns().get(i))).isEqualTo(PageStore.OWNER_VMALLOC);
        }
        // the guard hole: the page after the area maps nothing
        assertThat(machine.vmalloc().pte(r.address() + 3 * PAGE)).isZero();
        assertThat(r.size()).isEqualTo(4 * PAGE);
    }

    // alloc_vmap_area: first fit from the lowest address, each area followed by a one-page guard hole
    @Test
    void areasAreFirstFitWithAGuardPageAndAFreedRangeIsReused() {
        Vmalloc.Result a = vmalloc(2 * PAGE);
        Vmalloc.Result b = vmalloc(1);
        assertThat(b.address()).isEqualTo(a.address() + 3 * PAGE);
        assertThat(machine.apply(new Vfree(a.address()))).isEqualTo(new Vfree.Result(a.address(), 2));
        machine.checkInvariants();
        Vmalloc.Result c = vmalloc(PAGE);
        assertThat(c.address()).isEqualTo(a.address());
        Vmalloc.Result d = vmalloc(3 * PAGE); // does not fit in the one page left before b
        assertThat(d.address()).isEqualTo(b.address() + 2 * PAGE);
    }

    // /proc/vmallocinfo: "0x%pK-0x%pK %7ld" caller pages=N vmalloc N<nid>=<pages>; meminfo VmallocUsed
    @Test
    void vmallocinfoAndVmallocUsedShowTheAreas() {
        vmalloc(12288);
        assertThat(Vmallocinfo.render(machine)).isEqualTo(
                "0xffffc90000000000-0xffffc90000004000   16384 " + org.mmsim.kernel.slab.Vmalloc.CALLER + " pages=3 vmalloc N0=3\n");
        assertThat(meminfoKb(machine, "VmallocUsed")).isEqualTo(12);
    }

    // vfree gives every frame back (the page tables stay, as vunmap_range frees none)
    @Test
    void vfreeGivesTheFramesBackButKeepsTheKernelPageTables() {
        long free = machine.phys().nrFreePages();
        Vmalloc.Result r = vmalloc(5 * PAGE);
        long tables = free - 5 - machine.phys().nrFreePages();
        assertThat(tables).as("pgd, pud, pmd, pte of init_mm").isEqualTo(4);
        machine.apply(new Vfree(r.address()));
        machine.checkInvariants();
        assertThat(machine.phys().nrFreePages()).isEqualTo(free - tables);
        assertThat(meminfoKb(machine, "VmallocUsed")).isZero();
        assertThat(Vmallocinfo.render(machine)).isEmpty();
    }

    // vfree of anything but an area's start is a kernel bug: refused naming the address, nothing changes
    @Test
    void vfreeOfABadAddressIsRefused() {
        Vmalloc.Result r = vmalloc(2 * PAGE);
        byte[] before = MachineCodec.encodeRaw(machine);
        assertThatThrownBy(() -> machine.apply(new Vfree(r.address() + PAGE)))
                .isInstanceOfSatisfying(KernelInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("address");
                    assertThat(e.getMessage()).contains("inside the area");
                });
        assertThat(MachineCodec.encodeRaw(machine)).isEqualTo(before);
        assertThat(vmalloc(0).address()).isZero();
    }

    // format-3 snapshots keep the areas and init_mm's tables: same bytes, same next area
    @Test
    void snapshotRestoresAreasAndKernelPageTables() {
        vmalloc(3 * PAGE);
        vmalloc(7 * PAGE);
        Machine copy = MachineCodec.decode(MachineCodec.encode(machine));
        copy.checkInvariants();
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(MachineCodec.encodeRaw(machine));
        assertThat(copy.apply(new Vmalloc(PAGE, 0))).isEqualTo(machine.apply(new Vmalloc(PAGE, 0)));
        copy.checkInvariants();
    }

    /** The nodes of init_mm's table pages, in pfn order. */
    private static List<Integer> kernelTableNodes(Machine m) {
        List<Integer> nids = new ArrayList<>();
        for (long head : m.phys().allocatedHeads()) {
            if (m.phys().pageOwner(head) == PageStore.OWNER_KERNEL_PGTABLE) {
                nids.add(m.phys().frame(head).nid());
            }
        }
        return nids;
    }

    // pte_alloc_one_kernel takes a table page on the calling CPU's node: after a restore, the next
    // vmalloc builds the same tables as the machine that never stopped, whichever CPU built the first
    @Test
    void kernelTablePagesComeFromTheCallingCpusNodeAfterARestoreToo() {
        Machine m = new Machine(Machines.twoNodesConfig());
        int node1Cpu = 2;
        assertThat(m.phys().cpuToNode(node1Cpu)).isEqualTo(1);
        m.apply(new Vmalloc(PAGE, node1Cpu));
        m.checkInvariants();
        assertThat(kernelTableNodes(m)).containsOnly(1);
        Machine copy = MachineCodec.decode(MachineCodec.encode(m));
        // 3 MiB from CPU 0 (node 0) crosses into the next 2 MiB: a new PTE table page, on node 0
        Object replayed = m.apply(new Vmalloc(3L << 20, 0));
        Object restored = copy.apply(new Vmalloc(3L << 20, 0));
        m.checkInvariants();
        copy.checkInvariants();
        assertThat(restored).isEqualTo(replayed);
        assertThat(kernelTableNodes(m)).contains(0);
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(MachineCodec.encodeRaw(m));
    }

    // the answer lists the first MAX_LISTED_PAGES frames (a result and its journal row stay small); the
    // area itself holds every page, each mapped
    @Test
    void aLargeAreaListsItsFirstPagesAndCountsAll() {
        long pages = Vmalloc.MAX_LISTED_PAGES + 500;
        Vmalloc.Result r = vmalloc(pages * PAGE);
        assertThat(r.nrPages()).isEqualTo(pages);
        assertThat(r.pfns()).hasSize(Vmalloc.MAX_LISTED_PAGES);
        var area = machine.vmalloc().areas().get(0);
        assertThat(area.pfns()).hasSize((int) pages);
        assertThat(r.pfns()).isEqualTo(java.util.Arrays.stream(area.pfns()).limit(Vmalloc.MAX_LISTED_PAGES).boxed().toList());
    }
}
