package org.mmsim.kernel.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.task.VmSim.PAGE;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exec;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.procfs.Meminfo;
import org.mmsim.kernel.procfs.PidStatus;

/**
 * fork, exec, exit and wait beyond the copy-on-write story (LINUX.md §6; kernel/exit.c
 * {@code do_wait}, {@code exit_notify}; fs/exec.c {@code exec_mmap}).
 */
class ForkExecWaitTest {

    private static int fork(VmSim sim, int pid) {
        Fork.Result r = sim.apply(new Fork(pid));
        assertThat(r.error()).isNull();
        return r.pid();
    }

    private static long statusKb(VmSim sim, int pid, String field) {
        String status = PidStatus.render(sim.machine, pid).orElseThrow();
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":\t")) {
                return Long.parseLong(line.substring(field.length() + 2, line.length() - 3).trim());
            }
        }
        throw new AssertionError(field + " not in " + status);
    }

    // ------------------------------------------------------------------ wait and zombies

    // do_wait with WNOHANG: ECHILD without children, 0 while they run, the lowest zombie first
    @Test
    void waitAnswersEchildWithoutChildren_zeroWhileTheyRun_andReapsTheLowestZombieFirst() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        Wait.Result none = sim.apply(new Wait(parent, -1));
        assertThat(none.error()).isEqualTo("ECHILD");
        assertThat(none.pid()).isEqualTo(-1);

        int c1 = fork(sim, parent);
        int c2 = fork(sim, parent);
        int c3 = fork(sim, parent);
        assertThat(sim.machine.processes().children(sim.task(parent))).containsExactly(c1, c2, c3);
        Wait.Result running = sim.apply(new Wait(parent, -1));
        assertThat(running.pid()).isZero();
        assertThat(running.error()).isNull();
        // a pid that is not a child of the caller: ECHILD even though it exists
        int other = sim.create("other");
        assertThat(((Wait.Result) sim.apply(new Wait(parent, other))).error()).isEqualTo("ECHILD");

        sim.apply(new Exit(c3, 33));
        sim.apply(new Exit(c2, 22));
        assertThat(sim.task(c2).state()).isEqualTo(Task.State.ZOMBIE);
        // a specific running child: 0
        assertThat(((Wait.Result) sim.apply(new Wait(parent, c1))).pid()).isZero();
        Wait.Result w = sim.apply(new Wait(parent, -1));
        assertThat(w.pid()).isEqualTo(c2);
        assertThat(w.code()).isEqualTo(22);
        assertThat(sim.task(c2).state()).isEqualTo(Task.State.EXITED);
        assertThat(sim.task(c3).state()).isEqualTo(Task.State.ZOMBIE);
        w = sim.apply(new Wait(parent, -1));
        assertThat(w.pid()).isEqualTo(c3);
        assertThat(w.code()).isEqualTo(33);
        // reaped: wait for it again is ECHILD; c1 still runs
        assertThat(((Wait.Result) sim.apply(new Wait(parent, c3))).error()).isEqualTo("ECHILD");
        assertThat(((Wait.Result) sim.apply(new Wait(parent, -1))).pid()).isZero();
        assertThat(sim.machine.processes().children(sim.task(parent))).containsExactly(c1);
    }

    // a child killed by SIGSEGV (an access to an unmapped address): the parent's wait reports the signal
    @Test
    void aChildKilledBySigsegvIsAZombieWhoseWaitReportsTheSignal() {
        VmSim sim = VmSim.i386();
        int parent = sim.create();
        int child = fork(sim, parent);
        Touch.Result r = sim.touch(child, 0, 1, "read");
        assertThat(r.signal()).isNotNull();
        assertThat(sim.task(child).state()).isEqualTo(Task.State.ZOMBIE);
        assertThat(sim.task(child).exitSignal()).isEqualTo("SIGSEGV");
        Wait.Result w = sim.apply(new Wait(parent, child));
        assertThat(w.pid()).isEqualTo(child);
        assertThat(w.signal()).isEqualTo("SIGSEGV");
        assertThat(w.code()).isNull();
        assertThat(sim.task(child).state()).isEqualTo(Task.State.KILLED);
    }

    // exit_notify → forget_original_parent: running children go to init; init reaps them when they exit
    @Test
    void runningChildrenOfAnExitedParentAreReparentedToInitAndReapedAtTheirExit() {
        VmSim sim = VmSim.x86_64();
        long fresh = sim.machine.phys().nrFreePages();
        int parent = sim.create();
        int child = fork(sim, parent);
        int grandchild = fork(sim, child);
        sim.apply(new Exit(child, 1));
        assertThat(sim.task(child).state()).isEqualTo(Task.State.ZOMBIE);
        sim.apply(new Exit(parent, 0));
        // the zombie child went to init and was reaped; the running grandchild stays with its
        // (now reaped) parent's reaper, init
        assertThat(sim.task(child).state()).isEqualTo(Task.State.EXITED);
        assertThat(sim.task(grandchild).ppid()).isEqualTo(TaskTable.INIT_PID);
        sim.apply(new Exit(grandchild, 0));
        assertThat(sim.task(grandchild).state()).isEqualTo(Task.State.EXITED);
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(fresh);
    }

    // ------------------------------------------------------------------ exec

    // exec_mmap: same pid and parent, the new image's layout only, the old mm's frames freed
    @Test
    void execKeepsThePid_givesAFreshLayout_andFreesTheOldMmsFrames() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long freshProcess = sim.machine.phys().nrFreePages();
        List<long[]> freshLayout = sim.vmas(parent).stream().map(v -> new long[] {v.vmStart(), v.vmEnd()}).toList();
        long a = sim.mmapAnon(parent, 64 * PAGE, "rw-");
        sim.touch(parent, a, 64 * PAGE, "write");
        sim.brk(parent, sim.mm(parent).startBrk() + 16 * PAGE);
        sim.touch(parent, sim.mm(parent).startBrk(), 16 * PAGE, "write");
        int child = fork(sim, parent);
        sim.touch(child, a, 8 * PAGE, "write");

        Exec.Result r = sim.apply(new Exec(parent, null, null, null, null));
        assertThat(r.error()).isNull();
        assertThat(sim.task(parent).pid()).isEqualTo(parent);
        assertThat(sim.task(parent).state()).isEqualTo(Task.State.RUNNING);
        // the mmap and the heap are gone: exactly the layout of a fresh process of that image
        assertThat(sim.vmas(parent).stream().map(v -> new long[] {v.vmStart(), v.vmEnd()}).toList())
                .usingRecursiveComparison().isEqualTo(freshLayout);
        assertThat(sim.vmaAt(parent, a)).isNull();
        assertThat(sim.mm(parent).brk()).isEqualTo(sim.mm(parent).startBrk());
        // the child's frames: its 8 copies and the 56+16+1 pages it still shares keep their refs
        assertThat(sim.mm(child).counter(MmStruct.MM_ANONPAGES)).isEqualTo(64 + 16 + 1);
        assertThat(sim.task(child).ppid()).isEqualTo(parent);
        sim.apply(new Exit(child, 0));
        assertThat(((Wait.Result) sim.apply(new Wait(parent, child))).pid()).isEqualTo(child);
        // every frame of the old mm and of the child is back: as right after create
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(freshProcess);
    }

    // exec of a bigger image by a new name
    @Test
    void execOfAnotherImageRenamesAndMapsItsSizes() {
        VmSim sim = VmSim.i386();
        int pid = sim.create();
        Exec.Result r = sim.apply(new Exec(pid, "other", 8 * PAGE, 4 * PAGE, 32 * PAGE));
        assertThat(r.returned()).isZero();
        assertThat(sim.task(pid).comm()).isEqualTo("other");
        MmStruct mm = sim.mm(pid);
        assertThat(mm.endCode() - mm.startCode()).isEqualTo(8 * PAGE);
        assertThat(statusKb(sim, pid, "VmExe")).isEqualTo(32);
    }

    // ------------------------------------------------------------------ what fork copies

    // MAP_SHARED stays shared (no PTEs copied: no anon_vma); private written pages are shared
    // write-protected; a read-only zero-page range with no anon_vma is not copied; zero-page PTEs
    // in a VMA that has an anon_vma are copied as they are (special, no RSS)
    @Test
    void forkOfSharedPrivateAndZeroPageRegions() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long shared = sim.mmap(parent, 0, 8 * PAGE, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();
        sim.touch(parent, shared, 8 * PAGE, "write");
        long priv = sim.mmapAnon(parent, 16 * PAGE, "rw-");
        sim.touch(parent, priv, 8 * PAGE, "write");
        sim.touch(parent, priv + 8 * PAGE, 8 * PAGE, "read");
        long ro = sim.mmapAnon(parent, 4 * PAGE, "r--");
        sim.touch(parent, ro, 4 * PAGE, "read");
        assertThat(statusKb(sim, parent, "RssShmem")).isEqualTo(32);

        int child = fork(sim, parent);
        MmStruct c = sim.mm(child);
        MmStruct p = sim.mm(parent);
        for (int i = 0; i < 8; i++) {
            assertThat(c.pgd().get(shared + i * PAGE)).as("shared page %d", i).isZero();
            long cp = c.pgd().get(priv + i * PAGE);
            assertThat(Pte.write(cp)).isFalse();
            assertThat(Pte.write(p.pgd().get(priv + i * PAGE))).isFalse();
            assertThat(Pte.pfn(cp)).isEqualTo(Pte.pfn(p.pgd().get(priv + i * PAGE)));
            long z = c.pgd().get(priv + (8 + i) * PAGE);
            assertThat(Pte.present(z) && Pte.special(z)).as("zero page %d", i).isTrue();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(c.pgd().get(ro + i * PAGE)).isZero();
        }
        // the zero page adds no RSS: the child's anon RSS is the 8 written pages and the stack page
        assertThat(c.counter(MmStruct.MM_ANONPAGES)).isEqualTo(8 + 1);
        assertThat(c.counter(MmStruct.MM_SHMEMPAGES)).isZero();
        assertThat(statusKb(sim, child, "RssShmem")).isZero();
        assertThat(statusKb(sim, child, "RssAnon")).isEqualTo(statusKb(sim, parent, "RssAnon"));

        // the child's reads of the zero-page range need no fault; its read-only range faults again
        assertThat(sim.touch(child, priv + 8 * PAGE, 8 * PAGE, "read").faults().minor()).isZero();
        assertThat(sim.touch(child, ro, 4 * PAGE, "read").faults().zeroPage()).isEqualTo(4);
        // writing a copied zero-page PTE: wp_page_copy of the zero page, RssAnon + 1 per page
        long anon = c.counter(MmStruct.MM_ANONPAGES);
        Touch.Result zw = sim.touch(child, priv + 8 * PAGE, 8 * PAGE, "write");
        assertThat(zw.faults().cowCopy()).isEqualTo(8);
        assertThat(c.counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon + 8);

        // writes through MAP_SHARED: seen by both, no data frame; both count RssShmem
        long free = sim.machine.phys().nrFreePages();
        long tables = c.pgd().nrTablePages();
        sim.touch(child, shared, 8 * PAGE, "write");
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free - (c.pgd().nrTablePages() - tables));
        for (int i = 0; i < 8; i++) {
            assertThat(Pte.pfn(c.pgd().get(shared + i * PAGE))).isEqualTo(Pte.pfn(p.pgd().get(shared + i * PAGE)));
        }
        assertThat(statusKb(sim, child, "RssShmem")).isEqualTo(32);
        assertThat(statusKb(sim, parent, "RssShmem")).isEqualTo(32);
        // the parent writing its shared pages again: still the same frames, nothing allocated
        free = sim.machine.phys().nrFreePages();
        sim.touch(parent, shared, 8 * PAGE, "write");
        assertThat(sim.machine.phys().nrFreePages()).isEqualTo(free);
        assertThat(Pte.pfn(p.pgd().get(shared))).isEqualTo(Pte.pfn(c.pgd().get(shared)));
    }

    // copy_p?d_range skips missing upper tables: a sparse 8 GiB VMA written at four places spread
    // over several PUDs copies exactly those four PTEs
    @Test
    void forkOfASparseVmaCopiesOnlyItsPresentPtes() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long len = 8L << 30;
        long a = sim.mmap(parent, 0, len, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_NORESERVE").address();
        long[] at = {a, a + (3L << 30) + 5 * PAGE, a + (5L << 30) - PAGE, a + len - PAGE};
        for (long x : at) {
            sim.touch(parent, x, PAGE, "write");
        }
        int child = fork(sim, parent);
        MmStruct c = sim.mm(child);
        for (long x : at) {
            assertThat(Pte.pfn(c.pgd().get(x))).isEqualTo(Pte.pfn(sim.mm(parent).pgd().get(x)));
            assertThat(Pte.write(c.pgd().get(x))).isFalse();
        }
        long[] present = {0};
        c.pgd().forEachPte(a, a + len, (va, pte) -> present[0]++);
        assertThat(present[0]).isEqualTo(at.length);
        assertThat(c.counter(MmStruct.MM_ANONPAGES)).isEqualTo(at.length + 1);
        assertThat(sim.touch(child, at[2], PAGE, "write").faults().cowCopy()).isEqualTo(1);
    }

    // dup_mmap: the child is charged for every VM_ACCOUNT VMA it gets (vm_acct_memory); Committed_AS grows by it
    @Test
    void theChildIsChargedForItsAccountedVmas() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        sim.mmapAnon(parent, 100 * PAGE, "rw-");
        sim.mmapAnon(parent, 10 * PAGE, "r--");
        sim.mmap(parent, 0, 7 * PAGE, "rw-", "MAP_SHARED", "MAP_ANONYMOUS");
        long parentCharge = sim.mm(parent).committedPages();
        long committed = committedAsKb(sim);
        int child = fork(sim, parent);
        assertThat(sim.mm(child).committedPages()).isEqualTo(parentCharge);
        assertThat(committedAsKb(sim)).isEqualTo(committed + parentCharge * 4);
        sim.apply(new Exit(child, 0));
        assertThat(committedAsKb(sim)).isEqualTo(committed);
    }

    private static long committedAsKb(VmSim sim) {
        for (String line : Meminfo.render(sim.machine).split("\n")) {
            if (line.startsWith("Committed_AS:")) {
                return Long.parseLong(line.substring("Committed_AS:".length(), line.length() - 3).trim());
            }
        }
        throw new AssertionError("no Committed_AS");
    }

    // dup_mmap: hiwater_rss = get_mm_rss() right after the copy, so VmHWM = VmRSS in the child
    @Test
    void theChildsVmHwmIsItsRssRightAfterFork() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 64 * PAGE, "rw-");
        sim.touch(parent, a, 64 * PAGE, "write");
        sim.munmap(parent, a, 32 * PAGE);
        // the parent's peak is above its current RSS
        assertThat(statusKb(sim, parent, "VmHWM")).isGreaterThan(statusKb(sim, parent, "VmRSS"));
        int child = fork(sim, parent);
        assertThat(statusKb(sim, child, "VmRSS")).isEqualTo(statusKb(sim, parent, "VmRSS"));
        assertThat(statusKb(sim, child, "VmHWM")).isEqualTo(statusKb(sim, child, "VmRSS"));
        assertThat(sim.mm(child).hiwaterVm()).isEqualTo(sim.mm(child).totalVm());
    }

    // anon_vma_fork: the child's VMA has a non-singular anon_vma_chain, so is_mergeable_anon_vma
    // (mm/vma.c: vma_had_uncowed_parents) refuses to merge a fresh adjacent mapping into it; the
    // parent's chain stays singular, so the same mmap merges there
    @Test
    void aFreshMappingNextToAForkedVmaWithAnAnonVmaMergesInTheParentButNotInTheChild() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 8 * PAGE, "rw-");
        sim.touch(parent, a, PAGE, "write");
        long b = sim.mmapAnon(parent, 8 * PAGE, "rw-");
        assertThat(b).isEqualTo(a - 8 * PAGE);
        // b merged into a's VMA (no anon_vma yet on the new range; a's chain is singular)
        assertThat(sim.vmaAt(parent, b).vmEnd()).isEqualTo(a + 8 * PAGE);
        long whole = b;
        int child = fork(sim, parent);
        int before = sim.mapCount(child);

        long below = whole - 4 * PAGE;
        assertThat(sim.mmap(child, below, 4 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED_NOREPLACE")
                .address()).isEqualTo(below);
        assertThat(sim.mapCount(child)).isEqualTo(before + 1);
        Vma forked = sim.vmaAt(child, whole);
        assertThat(forked.vmStart()).isEqualTo(whole);
        assertThat(sim.vmaAt(child, below).vmEnd()).isEqualTo(whole);

        int parentBefore = sim.mapCount(parent);
        sim.mmap(parent, below, 4 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED_NOREPLACE");
        assertThat(sim.mapCount(parent)).isEqualTo(parentBefore);
        assertThat(sim.vmaAt(parent, below).vmEnd()).isEqualTo(a + 8 * PAGE);
    }

    // a forked VMA without an anon_vma (never written) has nothing chained: it merges in the child
    @Test
    void aForkedVmaWithoutAnAnonVmaStillMergesInTheChild() {
        VmSim sim = VmSim.x86_64();
        int parent = sim.create();
        long a = sim.mmapAnon(parent, 8 * PAGE, "rw-");
        int child = fork(sim, parent);
        int before = sim.mapCount(child);
        long below = a - 4 * PAGE;
        sim.mmap(child, below, 4 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED_NOREPLACE");
        assertThat(sim.mapCount(child)).isEqualTo(before);
        assertThat(String.format(Locale.ROOT, "%x", sim.vmaAt(child, below).vmEnd()))
                .isEqualTo(String.format(Locale.ROOT, "%x", a + 8 * PAGE));
    }
}
