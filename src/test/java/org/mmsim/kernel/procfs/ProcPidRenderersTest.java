package org.mmsim.kernel.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmsim.kernel.procfs.ProcPidFixtures.boot;
import static org.mmsim.kernel.procfs.ProcPidFixtures.mmap;
import static org.mmsim.kernel.procfs.ProcPidFixtures.touch;
import static org.mmsim.kernel.procfs.ProcPidFixtures.withApp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mbind;
import org.mmsim.kernel.journal.SetMempolicy;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.PageStore;

class ProcPidRenderersTest {
    private static final long TEXT = 0x555555554000L;

    /** show_map_vma on x86_64 without ASLR: PIE text at ELF_ET_DYN_BASE, 132 KiB [stack] under TASK_SIZE, names at column 73. */
    @Test
    void mapsOfAFreshX86_64ProcessShouldMatchShowMapVmaExactly() {
        Machine m = withApp("x86_64-1node-1g");
        assertThat(PidMaps.render(m, 1000)).contains(
                "555555554000-555555564000 r-xp 00000000 08:01 131001                     /usr/bin/app\n"
                + "555555564000-555555566000 rw-p 00010000 08:01 131001                     /usr/bin/app\n"
                + "555555566000-55555556a000 rw-p 00000000 00:00 0 \n"
                + "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
        String first = PidMaps.render(m, 1000).orElseThrow().lines().findFirst().orElseThrow();
        assertThat(first.indexOf('/')).isEqualTo(73);
    }

    /** A 32-bit kernel pads to 25 + 6 * sizeof(void *) = 49 and prints 8 hex digits; text at 0x08048000, stack under 3 GiB. */
    @Test
    void mapsOfAFreshI386ProcessShouldUseEightDigitsAndColumn49() {
        Machine m = withApp("i386-1node-2g");
        assertThat(PidMaps.render(m, 1000)).contains(
                "08048000-08058000 r-xp 00000000 08:01 131001     /usr/bin/app\n"
                + "08058000-0805a000 rw-p 00010000 08:01 131001     /usr/bin/app\n"
                + "0805a000-0805e000 rw-p 00000000 00:00 0 \n"
                + "bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]\n");
    }

    /** vma_is_initial_heap: vm_start < brk && vm_end > start_brk — the label follows the break, not the VMA's history. */
    @Test
    void heapShouldAppearAfterMallocAndVanishWhenTheBreakGoesBack() {
        Machine m = withApp("x86_64-1node-1g");
        long startBrk = m.processes().tasks().get(1000).mm().startBrk();
        assertThat(PidMaps.render(m, 1000).orElseThrow()).doesNotContain("[heap]");
        m.apply(new Malloc(1000, 100));
        String maps = PidMaps.render(m, 1000).orElseThrow();
        assertThat(maps).containsPattern("rw-p 00000000 00:00 0 {26}\\[heap\\]\n");
        m.apply(new Brk(1000, startBrk));
        assertThat(PidMaps.render(m, 1000).orElseThrow()).doesNotContain("[heap]");
    }

    /** smaps_account: the zero page is no vm_normal_page (not counted); a written anon page is private, dirty, anonymous, referenced. */
    @Test
    void smapsAfterReadThenWriteShouldCountOnlyTheWrittenPage() {
        Machine m = withApp("x86_64-1node-1g");
        long a = mmap(m, 16384, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        touch(m, a, 16384, "read");
        Map<String, String> read = smapsOf(m, a);
        assertThat(read).containsEntry("Size", "16 kB").containsEntry("Rss", "0 kB").containsEntry("Pss", "0 kB");
        touch(m, a, 4096, "write");
        Map<String, String> written = smapsOf(m, a);
        assertThat(written).containsEntry("Rss", "4 kB").containsEntry("Pss", "4 kB").containsEntry("Pss_Dirty", "4 kB")
                .containsEntry("Private_Dirty", "4 kB").containsEntry("Private_Clean", "0 kB")
                .containsEntry("Shared_Dirty", "0 kB").containsEntry("Anonymous", "4 kB")
                .containsEntry("Referenced", "4 kB").containsEntry("THPeligible", "0")
                .containsEntry("ProtectionKey", "0").containsEntry("VmFlags", "rd wr mr mw me ac");
    }

    /**
     * MAP_SHARED|MAP_ANONYMOUS is shmem: the page has refcount 2 (page cache + PTE) but mapcount 1, so
     * smaps_account does not take the refcount==1 path yet counts it private with a whole page of Pss.
     */
    @Test
    void aShmemPageMappedOnceShouldBePrivateWithFullPss() {
        Machine m = withApp("x86_64-1node-1g");
        long s = mmap(m, 8192, "rw-", "MAP_SHARED", "MAP_ANONYMOUS");
        touch(m, s, 4096, "write");
        touch(m, s + 4096, 4096, "read");
        Map<String, String> smaps = smapsOf(m, s);
        assertThat(smaps).containsEntry("Rss", "8 kB").containsEntry("Pss", "8 kB")
                .containsEntry("Private_Dirty", "4 kB").containsEntry("Private_Clean", "4 kB")
                .containsEntry("Shared_Clean", "0 kB").containsEntry("Anonymous", "0 kB");
        assertThat(PidMaps.render(m, 1000).orElseThrow())
                .contains("rw-s 00000000 00:01 131002                     /dev/zero (deleted)\n");
        assertThat(PidSmapsRollup.render(m, 1000).orElseThrow()).contains("\nPss_Shmem:             8 kB\n");
    }

    /** Two processes running the same program share its page cache: mapcount 2 makes the text page Shared_Clean with half a page of Pss. */
    @Test
    void aPageCachePageMappedByTwoProcessesShouldBeSharedWithHalfThePss() {
        Machine m = withApp("x86_64-1node-1g");
        m.apply(new CreateProcess("app", 1, 65536, 8192, 16384, null));
        touch(m, TEXT, 4096, "read");
        m.apply(new org.mmsim.kernel.journal.Touch(1001, TEXT, 4096, "read"));
        Map<String, String> smaps = smapsOf(m, TEXT);
        assertThat(smaps).containsEntry("Rss", "4 kB").containsEntry("Pss", "2 kB")
                .containsEntry("Shared_Clean", "4 kB").containsEntry("Private_Clean", "0 kB");
    }

    /** PSS_SHIFT fixed point: (4096 << 12) / 3 per page, summed, then >> 12 >> 10 — two such pages print 2 kB, not 2.67. */
    @Test
    void pssShouldUseTheKernelsFixedPointRounding() {
        PidSmaps.MemSizeStats mss = new PidSmaps.MemSizeStats();
        mss.account(PageStore.OWNER_FILE, 4, 3, true, false, false);
        mss.account(PageStore.OWNER_FILE, 4, 3, true, false, false);
        assertThat(mss.pss).isEqualTo(2 * ((4096L << 12) / 3));
        StringBuilder sb = new StringBuilder();
        mss.show(sb, false);
        assertThat(sb.toString()).contains("Pss:                   2 kB\n").contains("Shared_Clean:          8 kB\n");
    }

    /** task_mem of a fresh process: one written stack page, VmStk 132 kB, VmExe the 64 KiB text, VmPTE the pud+pmd+pte of the stack. */
    @Test
    void statusOfAFreshProcessShouldShowTheTaskMemBlock() {
        Machine m = withApp("x86_64-1node-1g");
        String status = PidStatus.render(m, 1000).orElseThrow();
        assertThat(status).startsWith("Name:\tapp\nUmask:\t0022\nState:\tR (running)\nTgid:\t1000\nNgid:\t0\nPid:\t1000\n"
                + "PPid:\t1\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\n");
        assertThat(status).contains("Kthread:\t0\nVmPeak:\t     220 kB\nVmSize:\t     220 kB\nVmLck:\t       0 kB\n"
                + "VmPin:\t       0 kB\nVmHWM:\t       4 kB\nVmRSS:\t       4 kB\nRssAnon:\t       4 kB\n"
                + "RssFile:\t       0 kB\nRssShmem:\t       0 kB\nVmData:\t      24 kB\nVmStk:\t     132 kB\n"
                + "VmExe:\t      64 kB\nVmLib:\t       0 kB\nVmPTE:\t      12 kB\nVmSwap:\t       0 kB\n"
                + "HugetlbPages:\t       0 kB\nCoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n"
                + "Threads:\t1\n");
        assertThat(status).contains("Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t00000000,00000001\n"
                + "Mems_allowed_list:\t0\n").endsWith("nonvoluntary_ctxt_switches:\t0\n");
    }

    /**
     * VmRSS = RssAnon + RssFile + RssShmem; VmPTE counts the pud+pmd+pte under the text's pgd entry, the
     * mmap's new pte table and the stack's three; i386 has 2-level tables (only pte pages count), no THP, a 32-bit untag mask.
     */
    @Test
    void statusShouldFollowTheCountersAndTheArchitecture() {
        Machine m = withApp("x86_64-1node-1g");
        long a = mmap(m, 16384, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        touch(m, a, 8192, "write");
        touch(m, TEXT, 4096, "read");
        assertThat(PidStatus.render(m, 1000).orElseThrow()).contains("VmRSS:\t      16 kB\nRssAnon:\t      12 kB\n"
                + "RssFile:\t       4 kB\n").contains("VmPTE:\t      28 kB\n");
        String i386 = PidStatus.render(withApp("i386-1node-2g"), 1000).orElseThrow();
        assertThat(i386).contains("FDSize:\t32\n").contains("VmPTE:\t       4 kB\n").contains("THP_enabled:\t0\n")
                .contains("untag_mask:\t0xffffffff\n");
    }

    /** An exited process is reaped by init at once: no /proc/PID, so every renderer answers empty (the caller's 404). */
    @Test
    void anExitedProcessShouldHaveNoProcEntry() {
        Machine m = withApp("x86_64-1node-1g");
        m.apply(new Exit(1000, 0));
        assertThat(PidMaps.render(m, 1000)).isEmpty();
        assertThat(PidSmaps.render(m, 1000)).isEmpty();
        assertThat(PidSmapsRollup.render(m, 1000)).isEmpty();
        assertThat(PidStatus.render(m, 1000)).isEmpty();
        assertThat(PidNumaMaps.render(m, 1000)).isEmpty();
        assertThat(PidStatus.render(m, 4242)).isEmpty();
    }

    /** show_numa_map with an interleave task policy on two nodes: page i of the VMA goes to node (pgoff % 2). */
    @Test
    void numaMapsShouldShowTheInterleavePolicyAndThePerNodeCounts() {
        Machine m = withApp("x86_64-2node-4g");
        m.apply(new SetMempolicy(1000, "interleave", List.of(0, 1), null));
        long a = mmap(m, 16384, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        touch(m, a, 16384, "write");
        touch(m, TEXT, 8192, "read");
        String numaMaps = PidNumaMaps.render(m, 1000).orElseThrow();
        assertThat(numaMaps).contains(String.format("%x interleave:0-1 anon=4 dirty=4 active=0 N0=2 N1=2 kernelpagesize_kB=4\n", a));
        assertThat(numaMaps).startsWith("555555554000 interleave:0-1 file=/usr/bin/app mapped=2 active=0 ");
        assertThat(numaMaps).contains("555555564000 interleave:0-1 file=/usr/bin/app\n")
                .contains("7ffffffde000 interleave:0-1 stack anon=1 dirty=1 active=0 ");
    }

    /** mpol_to_str of a VMA policy (mbind) wins over the task's; no task policy prints "default". */
    @Test
    void numaMapsShouldPreferTheVmaPolicy() {
        Machine m = withApp("x86_64-2node-4g");
        long a = mmap(m, 16384, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        m.apply(new Mbind(1000, a, 16384, "bind", List.of(1), null));
        touch(m, a, 8192, "write");
        String numaMaps = PidNumaMaps.render(m, 1000).orElseThrow();
        assertThat(numaMaps).contains(String.format("%x bind:1 anon=2 dirty=2 active=0 N1=2 kernelpagesize_kB=4\n", a));
        assertThat(numaMaps).startsWith("555555554000 default file=/usr/bin/app\n");
        assertThat(Zoneinfo.render(m)).contains("Node 1, zone   Normal\n  per-node stats\n      nr_inactive_anon 2\n");
    }

    /** A write fault: NR_ANON_MAPPED +1 page per page, PGFAULT +1 per fault, a new pte table +1 NR_PAGETABLE; mmap charges Committed_AS. */
    @Test
    void meminfoAndVmstatShouldMoveByTheFaultsOfATouch() {
        Machine m = withApp("x86_64-1node-1g");
        Map<String, Long> info0 = meminfo(m);
        long pgfault0 = vmstat(m, "pgfault");
        long a = mmap(m, 16384, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        Map<String, Long> info1 = meminfo(m);
        assertThat(info1.get("Committed_AS") - info0.get("Committed_AS")).isEqualTo(16);
        touch(m, a, 16384, "write");
        Map<String, Long> info2 = meminfo(m);
        assertThat(info2.get("AnonPages") - info0.get("AnonPages")).isEqualTo(16);
        assertThat(info2.get("Inactive(anon)") - info0.get("Inactive(anon)")).isEqualTo(16);
        assertThat(info2.get("PageTables") - info0.get("PageTables")).isEqualTo(4);
        assertThat(info2.get("MemFree") - info0.get("MemFree")).isEqualTo(-20);
        assertThat(vmstat(m, "pgfault") - pgfault0).isEqualTo(4);
        assertThat(vmstat(m, "nr_anon_pages")).isEqualTo(info2.get("AnonPages") / 4);
        assertThat(vmstat(m, "nr_zone_inactive_anon")).isEqualTo(vmstat(m, "nr_inactive_anon"));
        touch(m, TEXT, 4096, "read");
        assertThat(vmstat(m, "pgmajfault")).isEqualTo(1);
        assertThat(meminfo(m)).containsEntry("Mapped", 4L).containsEntry("Cached", 4L).containsEntry("Inactive(file)", 4L);
    }

    /** NR_PAGETABLE counts every table page, the pgd included (pagetable_pgd_ctor since 6.14): a fresh x86_64 process has 4. */
    @Test
    void pageTablesShouldCountThePgdWhileVmPteDoesNot() {
        Machine m = boot("x86_64-1node-1g");
        long before = meminfo(m).get("PageTables");
        m.apply(new CreateProcess("app", 0, 65536, 8192, 16384, null));
        assertThat(meminfo(m).get("PageTables") - before).isEqualTo(16);
        assertThat(PidStatus.render(m, 1000).orElseThrow()).contains("VmPTE:\t      12 kB\n");
    }

    private static Map<String, String> smapsOf(Machine m, long vmStart) {
        String smaps = PidSmaps.render(m, 1000).orElseThrow();
        String head = String.format("%x-", vmStart);
        Map<String, String> out = new TreeMap<>();
        boolean in = false;
        for (String line : smaps.lines().toList()) {
            if (Character.isDigit(line.charAt(0)) || (line.charAt(0) >= 'a' && line.charAt(0) <= 'f')) {
                in = line.startsWith(head);
                continue;
            }
            if (in) {
                int colon = line.indexOf(':');
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static Map<String, Long> meminfo(Machine m) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : Meminfo.render(m).lines().toList()) {
            String[] f = line.split(":\\s+");
            out.put(f[0], Long.parseLong(f[1].replace(" kB", "").trim()));
        }
        return out;
    }

    private static long vmstat(Machine m, String name) {
        return Vmstat.render(m).lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }
}
