package org.mmsim.kernel.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.journal.Exec;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.task.VmSim;

/** The per-CPU TLB and its flushes as arch/x86/mm/tlb.c and the mm paths that call it behave. */
class TlbTest {
    private static final long PAGE = VmSim.PAGE;

    private static VmSim sim(TlbConfig tlb) {
        MachineConfig c = Presets.byName("x86_64-1node-1g").orElseThrow().machine();
        return new VmSim(new Machine(c.withTlb(tlb)));
    }

    private static CpuTlbs tlbs(VmSim sim) {
        return sim.machine.processes().tlbs();
    }

    private static List<CpuTlbs.Entry> entries(VmSim sim, int cpu, int pid) {
        return tlbs(sim).view(cpu, sim.mm(pid).tlbTag()).entries();
    }

    private static CpuTlbs.Entry entryFor(VmSim sim, int cpu, int pid, long address) {
        return entries(sim, cpu, pid).stream().filter(e -> e.vpn() == address >>> 12).findFirst().orElse(null);
    }

    // a TLB hit needs no walk: the second access of a page finds its translation cached
    @Test
    void repeatedTouchesOfTheSamePageHitTheTlb() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 4 * PAGE, "rw-");
        Touch.Result first = sim.touch(pid, a, 4 * PAGE, "write");
        assertThat(first.tlb()).isEqualTo(new Touch.Tlb(0, 4));
        assertThat(first.faults().minor()).isEqualTo(4);
        Touch.Result again = sim.touch(pid, a, 4 * PAGE, "write");
        assertThat(again.tlb()).isEqualTo(new Touch.Tlb(4, 0));
        assertThat(again.faults().minor()).isZero();
        assertThat(sim.touch(pid, a, PAGE, "read").tlb()).isEqualTo(new Touch.Tlb(1, 0));
        assertThat(tlbs(sim).mmCounters(sim.mm(pid).tlbTag())).containsExactly(5, 4);
        CpuTlbs.Entry e = entryFor(sim, 0, pid, a);
        assertThat(Pte.pfn(e.pte())).isEqualTo(Pte.pfn(sim.mm(pid).pgd().get(a)));
    }

    // a read fills a read-only entry of the zero page: the write that follows misses (permission) and faults
    @Test
    void aWriteThroughAReadOnlyEntryIsAMissThatFaultsAndRefills() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "rw-");
        assertThat(sim.touch(pid, a, PAGE, "read").faults().zeroPage()).isEqualTo(1);
        Touch.Result w = sim.touch(pid, a, PAGE, "write");
        assertThat(w.tlb()).isEqualTo(new Touch.Tlb(0, 1));
        assertThat(w.faults().cowCopy()).isEqualTo(1);
        CpuTlbs.Entry e = entryFor(sim, 0, pid, a);
        assertThat(Pte.write(e.pte())).isTrue();
        assertThat(Pte.pfn(e.pte())).isNotEqualTo(sim.machine.phys().zeroPfn());
    }

    // munmap → zap_pte_range → tlb_finish_mmu flushes the range: the entry is gone, a new mapping misses
    @Test
    void munmapInvalidatesTheEntry() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 2 * PAGE, "rw-");
        sim.touch(pid, a, 2 * PAGE, "write");
        assertThat(entryFor(sim, 0, pid, a)).isNotNull();
        long oneBefore = tlbs(sim).vmEvents().get("nr_tlb_local_flush_one");
        sim.munmap(pid, a, 2 * PAGE);
        assertThat(entryFor(sim, 0, pid, a)).isNull();
        assertThat(tlbs(sim).vmEvents().get("nr_tlb_local_flush_one")).isEqualTo(oneBefore + 2);
        long b = sim.mmap(pid, a, 2 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED").address();
        assertThat(b).isEqualTo(a);
        assertThat(sim.touch(pid, a, PAGE, "read").tlb()).isEqualTo(new Touch.Tlb(0, 1));
    }

    // flush_tlb_mm_range: more than tlb_single_page_flush_ceiling (33) pages is one full flush
    @Test
    void unmappingMoreThan33PagesIsAFullFlush() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 40 * PAGE, "rw-");
        long b = sim.mmapAnon(pid, PAGE, "rw-");
        sim.touch(pid, a, 40 * PAGE, "write");
        sim.touch(pid, b, PAGE, "write");
        long allBefore = tlbs(sim).vmEvents().get("nr_tlb_local_flush_all");
        sim.munmap(pid, a, 40 * PAGE);
        assertThat(tlbs(sim).vmEvents().get("nr_tlb_local_flush_all")).isEqualTo(allBefore + 1);
        // the full flush took the other mapping's entry too
        assertThat(entryFor(sim, 0, pid, b)).isNull();
        assertThat(sim.touch(pid, b, PAGE, "read").tlb().misses()).isEqualTo(1);
    }

    // fork write-protects the parent's COW PTEs and flush_tlb_mm(oldmm); do_wp_page's copy flushes the page
    @Test
    void forkFlushesTheParentAndACowBreakInvalidatesTheEntry() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, PAGE, "rw-");
        sim.touch(parent, a, PAGE, "write");
        assertThat(sim.touch(parent, a, PAGE, "write").tlb().hits()).isEqualTo(1);
        int child = sim.<Fork.Result>apply(new Fork(parent)).pid();
        assertThat(entries(sim, 0, parent)).isEmpty();
        // the child reads the shared frame, then its write breaks COW: the read-only entry must go
        assertThat(sim.touch(child, a, PAGE, "read").tlb()).isEqualTo(new Touch.Tlb(0, 1));
        long shared = Pte.pfn(entryFor(sim, 0, child, a).pte());
        assertThat(sim.touch(child, a, PAGE, "read").tlb()).isEqualTo(new Touch.Tlb(1, 0));
        Touch.Result cow = sim.touch(child, a, PAGE, "write");
        assertThat(cow.faults().cowCopy()).isEqualTo(1);
        assertThat(cow.tlb()).isEqualTo(new Touch.Tlb(0, 1));
        CpuTlbs.Entry after = entryFor(sim, 0, child, a);
        assertThat(Pte.pfn(after.pte())).isNotEqualTo(shared).isEqualTo(Pte.pfn(sim.mm(child).pgd().get(a)));
        assertThat(sim.touch(child, a, PAGE, "write").tlb()).isEqualTo(new Touch.Tlb(1, 0));
    }

    // mprotect → change_protection → flush: a narrowed PTE leaves no writable entry behind
    @Test
    void mprotectReadOnlyInvalidatesTheWritableEntry() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "rw-");
        sim.touch(pid, a, PAGE, "write");
        sim.mprotect(pid, a, PAGE, "r--");
        assertThat(entryFor(sim, 0, pid, a)).isNull();
        assertThat(sim.touch(pid, a, PAGE, "read").tlb()).isEqualTo(new Touch.Tlb(0, 1));
        Touch.Result w = sim.touch(pid, a, PAGE, "write");
        assertThat(w.signal().code()).isEqualTo("SEGV_ACCERR");
    }

    // without PCID a switch_mm writes CR3 and flushes; with PCID the mm's ASID keeps its entries
    @Test
    void contextSwitchFlushesWithoutPcidAndKeepsEntriesWithPcid() {
        for (boolean pcid : new boolean[] {false, true}) {
            VmSim sim = sim(new TlbConfig(64, 4, pcid));
            int p = sim.create("p");
            int q = sim.create("q");
            long a = sim.mmapAnon(p, PAGE, "rw-");
            long b = sim.mmapAnon(q, PAGE, "rw-");
            sim.touch(p, a, PAGE, "write");
            sim.touch(q, b, PAGE, "write");
            Touch.Result back = sim.touch(p, a, PAGE, "read");
            assertThat(back.tlb()).as("pcid " + pcid).isEqualTo(pcid ? new Touch.Tlb(1, 0) : new Touch.Tlb(0, 1));
        }
    }

    // choose_new_asid: TLB_NR_DYN_ASIDS = 6 slots, next_asid from 1: ASIDs 1..5, then 0, then 1 again —
    // a 7th mm takes the first one's slot, an 8th the second's (not the 7th's)
    @Test
    void aSeventhAndEighthMmOnACpuRecycleTheFirstAndSecondAsids() {
        // fully associative, so that the mms' pages (all at the same address) do not evict each other
        VmSim sim = sim(new TlbConfig(64, 64, true));
        int[] pids = new int[8];
        long[] addr = new long[8];
        for (int i = 0; i < 8; i++) {
            pids[i] = sim.create("p" + i);
            addr[i] = sim.mmapAnon(pids[i], PAGE, "rw-");
            sim.touch(pids[i], addr[i], PAGE, "write");
        }
        assertThat(tlbs(sim).view(0, -1).loadedPcid()).as("the 8th mm: ASID 2, PCID 3").isEqualTo(3);
        assertThat(sim.touch(pids[6], addr[6], PAGE, "read").tlb().hits()).as("the 7th kept its slot").isEqualTo(1);
        assertThat(sim.touch(pids[2], addr[2], PAGE, "read").tlb().hits()).isEqualTo(1);
        assertThat(sim.touch(pids[1], addr[1], PAGE, "read").tlb().misses()).as("the 8th took its slot").isEqualTo(1);
        assertThat(sim.touch(pids[0], addr[0], PAGE, "read").tlb().misses()).as("the 7th took its slot").isEqualTo(1);
    }

    // a set holds `ways` translations, the least recently used goes: 5 pages of one set in a 4-way TLB
    @Test
    void aFullSetEvictsItsLeastRecentlyUsedEntry() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 16 * 5 * PAGE, "rw-");
        for (int i = 0; i < 4; i++) {
            sim.touch(pid, a + 16 * i * PAGE, PAGE, "write");
        }
        sim.touch(pid, a, PAGE, "read");
        sim.touch(pid, a + 64 * PAGE, PAGE, "write");
        assertThat(sim.touch(pid, a, PAGE, "read").tlb().hits()).as("recently used, kept").isEqualTo(1);
        assertThat(sim.touch(pid, a + 16 * PAGE, PAGE, "read").tlb().misses()).as("LRU, evicted").isEqualTo(1);
    }

    // native_flush_tlb_multi: a CPU that has the mm loaded gets an IPI; nr_tlb_remote_flush(_received) count it
    @Test
    void munmapShootsDownTheEntriesOfAnotherCpuRunningTheMm() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "rw-");
        sim.apply(new Touch(pid, a, PAGE, "write", 1));
        assertThat(entries(sim, 1, pid)).hasSize(1);
        sim.munmap(pid, a, PAGE);
        assertThat(entries(sim, 1, pid)).isEmpty();
        assertThat(tlbs(sim).vmEvents()).containsEntry("nr_tlb_remote_flush", 1L)
                .containsEntry("nr_tlb_remote_flush_received", 1L);
    }

    // exit_mmap and exec drop the mm: no CPU keeps its entries or has it loaded
    @Test
    void exitAndExecLeaveNoEntriesOfTheOldMm() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, PAGE, "rw-");
        sim.touch(pid, a, PAGE, "write");
        long oldTag = sim.mm(pid).tlbTag();
        sim.apply(new Exec(pid, "app2", VmSim.TEXT, VmSim.DATA, VmSim.BSS));
        assertThat(tlbs(sim).view(0, oldTag).entries()).isEmpty();
        sim.apply(new Exit(pid, 0));
        assertThat(tlbs(sim).cpu(0).nrValid()).isZero();
        assertThat(tlbs(sim).cpu(0).loadedMm()).isEqualTo(Tlb.NO_MM);
    }

    // same config + ops → same TLB state, byte for byte; after a snapshot round trip the same hits
    @Test
    void snapshotKeepsTheTlbSoTheSameTouchesHitTheSameWay() {
        VmSim sim = VmSim.x86_64();
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 16 * PAGE, "rw-");
        sim.touch(pid, a, 8 * PAGE, "write");
        Machine copy = MachineCodec.decode(MachineCodec.encode(sim.machine));
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(sim.raw());
        Touch t = new Touch(pid, a, 16 * PAGE, "read");
        Touch.Result mine = (Touch.Result) sim.machine.apply(t);
        Touch.Result theirs = (Touch.Result) copy.apply(t);
        assertThat(theirs.tlb()).isEqualTo(mine.tlb()).isEqualTo(new Touch.Tlb(8, 8));
        copy.checkInvariants();
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(sim.raw());
    }

    @Test
    void tlbConfigIsValidatedNamingTheField() {
        assertThatThrownBy(() -> new TlbConfig(48, 4, true).validate(true))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.field()).isEqualTo("tlb.entries"));
        assertThatThrownBy(() -> new TlbConfig(64, 128, true).validate(true))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.field()).isEqualTo("tlb.ways"));
        MachineConfig i386 = Presets.byName("i386-1node-2g").orElseThrow().machine();
        assertThat(i386.tlb().pcid()).isFalse();
        assertThatThrownBy(() -> new Machine(i386.withTlb(new TlbConfig(64, 4, true))))
                .isInstanceOfSatisfying(KernelInputException.class, e -> assertThat(e.field()).isEqualTo("tlb.pcid"));
        assertThatThrownBy(() -> new VmSim(new Machine(Presets.byName("x86_64-1node-1g").orElseThrow().machine()))
                .apply(new Touch(1, 0, 1, "read", 9)))
                .isInstanceOf(KernelInputException.class);
    }

    // a fully associative TLB (ways = entries) keeps any 64 pages
    @Test
    void aFullyAssociativeTlbHoldsAnyPagesUpToItsSize() {
        VmSim sim = sim(new TlbConfig(64, 64, true));
        int pid = sim.create();
        long a = sim.mmapAnon(pid, 16 * 64 * PAGE, "rw-");
        for (int i = 0; i < 64; i++) {
            sim.touch(pid, a + 16 * i * PAGE, PAGE, "write");
        }
        for (int i = 0; i < 64; i++) {
            assertThat(sim.touch(pid, a + 16 * i * PAGE, PAGE, "read").tlb().hits()).isEqualTo(1);
        }
    }
}
