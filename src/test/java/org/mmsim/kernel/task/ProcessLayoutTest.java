package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.BSS;
import static org.mmsim.kernel.task.VmSim.DATA;
import static org.mmsim.kernel.task.VmSim.TEXT;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.paging.PageTable;

/** What {@code load_elf_binary()} and {@code setup_new_exec()} leave behind (LINUX.md §3.1–3.2). */
class ProcessLayoutTest {

    /** x86_64 without ASLR: PIE at ELF_ET_DYN_BASE, stack top at STACK_TOP, mmap_base = TASK_SIZE − 128 MiB. */
    @Test
    void x86_64PieShouldLoadAtElfEtDynBaseWithStackAtTheTopAndMmapBase128MiBBelow() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        MmStruct mm = sim.mm(pid);
        List<Vma> vmas = sim.vmas(pid);

        assertThat(pid).isEqualTo(1000);
        assertThat(vmas).hasSize(4);
        Vma text = vmas.get(0);
        Vma data = vmas.get(1);
        Vma bss = vmas.get(2);
        Vma stack = vmas.get(3);
        assertThat(text.vmStart()).isEqualTo(0x555555554000L);
        assertThat(text.vmEnd()).isEqualTo(0x555555554000L + TEXT);
        assertThat(text.vmFlags() & 7).isEqualTo(VmFlags.VM_READ | VmFlags.VM_EXEC);
        assertThat(data.vmStart()).isEqualTo(text.vmEnd());
        assertThat(data.vmEnd() - data.vmStart()).isEqualTo(DATA);
        assertThat(data.vmFlags() & 7).isEqualTo(VmFlags.VM_READ | VmFlags.VM_WRITE);
        assertThat(bss.vmStart()).isEqualTo(data.vmEnd());
        assertThat(bss.vmEnd() - bss.vmStart()).isEqualTo(BSS);
        assertThat(bss.isAnonymous()).isTrue();
        assertThat(stack.vmStart()).isEqualTo(0x7ffffffde000L);
        assertThat(stack.vmEnd()).isEqualTo(0x7ffffffff000L);
        assertThat(stack.vmFlags() & VmFlags.VM_GROWSDOWN).isNotZero();
        assertThat(mm.stackVm() * VmSim.PAGE).as("VmStk: 132 kB").isEqualTo(132 * VmSim.KiB);
        assertThat(mm.mmapBase()).isEqualTo(0x7ffff7fff000L);
        assertThat(mm.taskSize()).isEqualTo(0x7ffffffff000L);
        assertThat(mm.startCode()).isEqualTo(0x555555554000L);
        assertThat(mm.startBrk()).isEqualTo(bss.vmEnd());
        assertThat(mm.brk()).isEqualTo(mm.startBrk());
    }

    /** start_brk = brk = PAGE_ALIGN(end of bss) and there is no [heap] VMA until the break moves. */
    @Test
    void heapVmaShouldAppearOnlyWhenTheBreakMoves() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long startBrk = sim.mm(pid).startBrk();

        assertThat(sim.vmaAt(pid, startBrk)).isNull();
        sim.brk(pid, startBrk + 100);

        Vma heap = sim.vmaAt(pid, startBrk);
        assertThat(heap).isNotNull();
        assertThat(heap.vmStart()).as("a VMA of its own, not an extension of the bss").isEqualTo(startBrk);
        assertThat(sim.mapCount(pid)).isEqualTo(5);
    }

    /** The top stack page holds argv/envp: it is written at exec, so resident and anonymous. */
    @Test
    void topStackPageShouldBeResidentAfterExec() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();

        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(1);
        long pte = sim.mm(pid).pgd().get(0x7ffffffff000L - VmSim.PAGE);
        assertThat(pte & 1).isEqualTo(1);
    }

    /** i386: the classic non-PIE text at 0x08048000, the stack under PAGE_OFFSET 0xC0000000. */
    @Test
    void i386ShouldLoadTextAt0x08048000WithTheStackUnderPageOffset() {
        VmSim sim = VmSim.i386();
        int pid = sim.create();
        List<Vma> vmas = sim.vmas(pid);

        assertThat(vmas.get(0).vmStart()).isEqualTo(0x08048000L);
        Vma stack = vmas.get(vmas.size() - 1);
        assertThat(stack.vmEnd()).isEqualTo(0xC0000000L);
        assertThat(stack.vmStart()).isEqualTo(0xC0000000L - 132 * VmSim.KiB);
        assertThat(sim.mm(pid).mmapBase()).as("TASK_SIZE − 128 MiB").isEqualTo(0xB8000000L);
    }

    /** LA57: the user layout stays below 47 bits (DEFAULT_MAP_WINDOW) unless a hint asks higher. */
    @Test
    void la57ShouldKeepTheFourLevelUserLayout() {
        VmSim la57 = VmSim.la57();
        VmSim four = VmSim.x86_64();
        int pid = la57.create();
        four.create();

        assertThat(la57.vmas(pid)).extracting(Vma::vmStart)
                .containsExactlyElementsOf(four.vmas(1000).stream().map(Vma::vmStart).toList());
        assertThat(la57.mm(pid).mmapBase()).isEqualTo(0x7ffff7fff000L);
        assertThat(la57.mm(pid).taskSizeMax()).isEqualTo((1L << 56) - 4096);
        assertThat(la57.mm(pid).pgd().walk(0x7ffffffff000L - 8).levels()).extracting(PageTable.Level::name)
                .containsExactly("pgd", "p4d", "pud", "pmd", "pte");
    }

    /** randomize_va_space = 2 draws from the machine seed: same seed, same layout; another seed, another. */
    @Test
    void aslrLayoutShouldBeReproducibleFromTheSeed() {
        VmSim a = VmSim.aslr(7);
        VmSim b = VmSim.aslr(7);
        VmSim c = VmSim.aslr(8);
        a.create();
        b.create();
        c.create();

        assertThat(layout(a)).isEqualTo(layout(b));
        assertThat(layout(a)).isNotEqualTo(layout(c));
        MmStruct mm = a.mm(1000);
        assertThat(mm.startCode()).isNotEqualTo(0x555555554000L);
        assertThat(mm.startCode() & 0xfff).isZero();
        assertThat(mm.mmapBase()).isLessThan(0x7ffff7fff000L);
        assertThat(mm.startBrk() & 0xfff).isZero();
        Vma stack = a.vmas(1000).get(a.vmas(1000).size() - 1);
        assertThat(stack.vmEnd()).isLessThanOrEqualTo(0x7ffffffff000L);
        assertThat(stack.vmEnd() - stack.vmStart()).isEqualTo(132 * VmSim.KiB);
    }

    /** randomize_va_space 2: start_brk = PAGE_ALIGN(end of bss) + one page, then randomize_page() within 1 GiB. */
    @Test
    void aslrBreakShouldStartAtLeastOnePageAboveTheBssAndWithin1GiB() {
        for (long seed = 1; seed <= 20; seed++) {
            VmSim sim = VmSim.aslr(seed);
            int pid = sim.create();
            List<Vma> vmas = sim.vmas(pid);
            long bssEnd = vmas.get(2).vmEnd();

            assertThat(sim.mm(pid).startBrk() - bssEnd).as("seed %d", seed)
                    .isBetween(VmSim.PAGE, VmSim.PAGE + (1L << 30) - VmSim.PAGE);
        }
    }

    private static List<Long> layout(VmSim sim) {
        MmStruct mm = sim.mm(1000);
        List<Long> starts = new java.util.ArrayList<>(sim.vmas(1000).stream().map(Vma::vmStart).toList());
        starts.add(mm.mmapBase());
        starts.add(mm.startBrk());
        return starts;
    }

    /** The i386 two-level walk (10/10/12): 0x080495b0 is pde 32, pte 73, offset 0x5b0. */
    @Test
    void i386WalkOfATextAddressShouldUsePageDirectoryEntry32AndPageTableEntry73() {
        VmSim sim = VmSim.i386();
        int pid = sim.create();
        sim.touch(pid, 0x080495b0L, 1, "read");

        PageTable.Walk walk = sim.mm(pid).pgd().walk(0x080495b0L);

        assertThat(walk.complete()).isTrue();
        assertThat(walk.levels()).extracting(PageTable.Level::name).containsExactly("pgd", "pte");
        assertThat(walk.levels()).extracting(PageTable.Level::index).containsExactly(32, 73);
        assertThat(walk.pte() & 1).as("present").isEqualTo(1);
        assertThat(0x080495b0L & 0xfff).isEqualTo(0x5b0);
    }
}
