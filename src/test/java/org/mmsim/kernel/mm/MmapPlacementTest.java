package org.mmsim.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Mmap.Result;
import org.mmsim.kernel.task.VmSim;

/** mmap(2) placement and merging: {@code __get_unmapped_area()}, {@code mmap_region()} (LINUX.md §3.4–3.5). */
class MmapPlacementTest {
    private static final long PAGE = VmSim.PAGE;
    private static final long KiB = VmSim.KiB;
    private static final long MiB = VmSim.MiB;
    private static final long MMAP_BASE = 0x7ffff7fff000L;

    private final VmSim sim = VmSim.x86_64();
    private final int pid = sim.create();

    /** Top-down: the first mapping ends at mmap_base, the next sits right below and merges (maps count unchanged). */
    @Test
    void successiveAnonymousMappingsShouldStackDownwardFromMmapBaseAndMerge() {
        int before = sim.mapCount(pid);

        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");
        long b = sim.mmapAnon(pid, 16 * KiB, "rw-");

        assertThat(a).isEqualTo(MMAP_BASE - 16 * KiB);
        assertThat(b + 16 * KiB).isEqualTo(a);
        assertThat(sim.mapCount(pid)).isEqualTo(before + 1);
        Vma merged = sim.vmaAt(pid, b);
        assertThat(merged.vmStart()).isEqualTo(b);
        assertThat(merged.vmEnd()).isEqualTo(MMAP_BASE);
        assertThat(merged.vmPgoff()).as("anon pgoff = vm_start >> PAGE_SHIFT").isEqualTo(b >>> 12);
    }

    /** Different prot → different vm_flags → no merge (is_mergeable_vma). */
    @Test
    void adjacentMappingsWithDifferentProtShouldNotMerge() {
        int before = sim.mapCount(pid);

        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");
        long b = sim.mmapAnon(pid, 16 * KiB, "r--");

        assertThat(b + 16 * KiB).isEqualTo(a);
        assertThat(sim.mapCount(pid)).isEqualTo(before + 2);
    }

    /** MAP_SHARED|MAP_ANONYMOUS is a shmem file per mapping: adjacent ones never merge. */
    @Test
    void sharedAnonymousMappingsShouldNeverMerge() {
        int before = sim.mapCount(pid);

        long a = sim.mmap(pid, 0, 16 * KiB, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();
        long b = sim.mmap(pid, 0, 16 * KiB, "rw-", "MAP_SHARED", "MAP_ANONYMOUS").address();

        assertThat(b + 16 * KiB).isEqualTo(a);
        assertThat(sim.mapCount(pid)).isEqualTo(before + 2);
        assertThat(sim.vmaAt(pid, a).vmFlags() & (VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE))
                .isEqualTo(VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE);
    }

    /** unmapped_area_topdown takes the highest gap that fits: a hole left by munmap is reused. */
    @Test
    void munmappedHoleShouldBeReusedByTheNextMappingThatFits() {
        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");
        long b = sim.mmapAnon(pid, 16 * KiB, "r--");
        long c = sim.mmapAnon(pid, 16 * KiB, "rw-");
        assertThat(sim.munmap(pid, b, 16 * KiB).error()).isNull();

        long tooBig = sim.mmapAnon(pid, 32 * KiB, "--x");
        long fits = sim.mmapAnon(pid, 8 * KiB, "--x");

        assertThat(tooBig + 32 * KiB).as("below c: the hole is too small").isEqualTo(c);
        assertThat(fits).as("the top of the hole").isEqualTo(a - 8 * KiB);
    }

    /** A hint that is free is taken as is. */
    @Test
    void freeHintShouldBeTaken() {
        long hint = 0x100000000L;

        Result r = sim.mmap(pid, hint, 4 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");

        assertThat(r.address()).isEqualTo(hint);
    }

    /** MAP_FIXED replaces what was there (mmap_region unmaps first); the pages behind it are freed. */
    @Test
    void mapFixedShouldReplaceTheExistingMappingAndDropItsPages() {
        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");
        sim.touch(pid, a, 16 * KiB, "write");
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        Result r = sim.mmap(pid, a + PAGE, 2 * PAGE, "r--", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED");

        assertThat(r.address()).isEqualTo(a + PAGE);
        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon - 2);
        assertThat(sim.vmaAt(pid, a + PAGE).vmFlags() & 7).isEqualTo(VmFlags.VM_READ);
        assertThat(sim.vmaAt(pid, a).vmEnd()).isEqualTo(a + PAGE);
        assertThat(sim.vmaAt(pid, a + 3 * PAGE).vmStart()).isEqualTo(a + 3 * PAGE);
    }

    /** MAP_FIXED_NOREPLACE over an existing mapping → EEXIST, nothing changes. */
    @Test
    void mapFixedNoreplaceOverAMappingShouldFailWithEexist() {
        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");

        Result r = sim.mmap(pid, a + PAGE, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED_NOREPLACE");

        assertThat(r.error()).isEqualTo("EEXIST");
        assertThat(r.address()).isNull();
        assertThat(sim.vmaAt(pid, a).vmEnd()).isEqualTo(a + 16 * KiB);
        assertThat(sim.mapCount(pid)).isEqualTo(5);
    }

    /** do_mmap: len 0 → EINVAL; neither MAP_SHARED nor MAP_PRIVATE → EINVAL; unaligned MAP_FIXED → EINVAL. */
    @Test
    void badLengthOrTypeShouldFailWithEinval() {
        assertThat(sim.mmap(pid, 0, 0, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isEqualTo("EINVAL");
        assertThat(sim.mmap(pid, 0, PAGE, "rw-", "MAP_ANONYMOUS").error()).isEqualTo("EINVAL");
        assertThat(sim.mmap(pid, 0x100000123L, PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED").error())
                .isEqualTo("EINVAL");
        assertThat(sim.mapCount(pid)).isEqualTo(4);
    }

    /** A length beyond TASK_SIZE → ENOMEM. */
    @Test
    void lengthBeyondTheAddressSpaceShouldFailWithEnomem() {
        assertThat(sim.mmap(pid, 0, 1L << 47, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").error()).isEqualTo("ENOMEM");
    }

    /** 6.12 thp_get_unmapped_area_vmflags: an anon mapping of a 2 MiB multiple is 2 MiB aligned. */
    @Test
    void anonymousMappingOfA2MiBMultipleShouldBeThpAligned() {
        sim.mmapAnon(pid, 16 * KiB, "rw-");

        long a = sim.mmapAnon(pid, 4 * MiB, "rw-");
        long b = sim.mmapAnon(pid, 2 * MiB + PAGE, "rw-");

        assertThat(a & (2 * MiB - 1)).isZero();
        assertThat(a + 4 * MiB).isLessThanOrEqualTo(MMAP_BASE - 16 * KiB);
        assertThat(b & (2 * MiB - 1)).as("not a multiple: no alignment").isNotZero();
    }

    /** round_hint_to_min() rounds a sub-page hint down to NULL: no hint, so the THP alignment still applies. */
    @Test
    void subPageHintShouldCountAsNoHintForThpAlignment() {
        long a = sim.mmap(pid, 0x123, 4 * MiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS").address();

        assertThat(a & (2 * MiB - 1)).isZero();
    }

    /** A private writable mapping is charged (VM_ACCOUNT) and counted in VmData; a read-only one is not. */
    @Test
    void privateWritableMappingShouldBeAccountedAsData() {
        long data0 = sim.mm(pid).dataVm();
        long committed0 = sim.mm(pid).committedPages();

        long a = sim.mmapAnon(pid, 16 * KiB, "rw-");
        long b = sim.mmapAnon(pid, 16 * KiB, "r--");

        assertThat(sim.vmaAt(pid, a).vmFlags() & VmFlags.VM_ACCOUNT).isNotZero();
        assertThat(sim.vmaAt(pid, b).vmFlags() & VmFlags.VM_ACCOUNT).isZero();
        assertThat(sim.mm(pid).dataVm()).isEqualTo(data0 + 4);
        assertThat(sim.mm(pid).committedPages()).isEqualTo(committed0 + 4);
    }

    /** MAP_POPULATE on a private writable mapping faults every page in for writing. */
    @Test
    void mapPopulateShouldFaultThePagesIn() {
        long anon = sim.mm(pid).counter(MmStruct.MM_ANONPAGES);

        sim.mmap(pid, 0, 8 * PAGE, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_POPULATE");

        assertThat(sim.mm(pid).counter(MmStruct.MM_ANONPAGES)).isEqualTo(anon + 8);
    }

    /** i386: top-down from 0xB8000000. */
    @Test
    void i386MappingsShouldGoTopDownFromMmapBase() {
        VmSim i386 = VmSim.i386();
        int p = i386.create();

        long a = i386.mmapAnon(p, 16 * KiB, "rw-");

        assertThat(a).isEqualTo(0xB8000000L - 16 * KiB);
    }

    /** LA57: without a hint mmap stays below 47 bits; a hint above it gets the 56-bit space. */
    @Test
    void la57ShouldPlaceAboveThe47BitWindowOnlyWithAHighHint() {
        VmSim la57 = VmSim.la57();
        int p = la57.create();

        long low = la57.mmapAnon(p, 16 * KiB, "rw-");
        Result high = la57.mmap(p, 1L << 50, 16 * KiB, "rw-", "MAP_PRIVATE", "MAP_ANONYMOUS");
        la57.touch(p, high.address(), 1, "write");

        assertThat(low).isLessThan(1L << 47);
        assertThat(high.address()).isEqualTo(1L << 50);
        assertThat(la57.mm(p).pgd().walk(1L << 50).complete()).isTrue();
    }
}
