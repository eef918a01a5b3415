package org.mmsim.kernel.procfs;

import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code /proc/meminfo}: {@code meminfo_proc_show}, fs/proc/meminfo.c, in the 6.18 field order
 * of LINUX.md 10.4. Physical fields are real; fields of later subsystems come from
 * {@link KernelCounters}. {@code MemAvailable} is {@code si_mem_available}.
 */
public final class Meminfo {
    private Meminfo() {
    }

    public static String render(PhysicalMemory pm) {
        return render(pm, KernelCounters.NONE);
    }

    /** The whole machine: physical figures plus the counters of its processes ({@link KernelCounters#of}). */
    public static String render(Machine machine) {
        return render(machine.phys(), KernelCounters.of(machine));
    }

    public static String render(PhysicalMemory pm, KernelCounters k) {
        boolean highmem = !pm.config().arch().is64Bit();
        long totalram = pm.totalramPages();
        long free = pm.nrFreePages();
        long totalhigh = 0;
        long freehigh = 0;
        long wmarkLow = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.allZones(nid)) {
                wmarkLow += z.low();
                if (z.name().equals("HighMem")) {
                    totalhigh += z.managedPages();
                    freehigh += z.freePages();
                }
            }
        }
        long available = free - pm.totalreservePages();
        long pagecache = k.nrActiveFile() + k.nrInactiveFile();
        pagecache -= Math.min(pagecache / 2, wmarkLow);
        available += pagecache;
        long reclaimable = k.nrSlabReclaimable() + k.nrKernelMiscReclaimable();
        reclaimable -= Math.min(reclaimable / 2, wmarkLow);
        available += reclaimable;
        available = Math.max(0, available);
        long swapTotal = totalSwapPages(pm.config().swapBytes());
        long swapFree = k.swapFreePages() < 0 ? pm.swap().freePages() : k.swapFreePages();
        long cached = k.nrFilePages() - k.nrSwapcached() - k.nrBuffers();
        long commitLimit = totalram * pm.config().tunables().overcommitRatio() / 100 + swapTotal;

        StringBuilder sb = new StringBuilder();
        kb(sb, "MemTotal", totalram);
        kb(sb, "MemFree", free);
        kb(sb, "MemAvailable", available);
        kb(sb, "Buffers", k.nrBuffers());
        kb(sb, "Cached", Math.max(0, cached));
        kb(sb, "SwapCached", k.nrSwapcached());
        kb(sb, "Active", k.nrActiveAnon() + k.nrActiveFile());
        kb(sb, "Inactive", k.nrInactiveAnon() + k.nrInactiveFile());
        kb(sb, "Active(anon)", k.nrActiveAnon());
        kb(sb, "Inactive(anon)", k.nrInactiveAnon());
        kb(sb, "Active(file)", k.nrActiveFile());
        kb(sb, "Inactive(file)", k.nrInactiveFile());
        kb(sb, "Unevictable", k.nrUnevictable());
        kb(sb, "Mlocked", k.nrMlock());
        if (highmem) {
            kb(sb, "HighTotal", totalhigh);
            kb(sb, "HighFree", freehigh);
            kb(sb, "LowTotal", totalram - totalhigh);
            kb(sb, "LowFree", free - freehigh);
        }
        kb(sb, "SwapTotal", swapTotal);
        kb(sb, "SwapFree", swapFree);
        kb(sb, "Zswap", 0);
        kb(sb, "Zswapped", 0);
        kb(sb, "Dirty", k.nrDirty());
        kb(sb, "Writeback", k.nrWriteback());
        kb(sb, "AnonPages", k.nrAnonPages());
        kb(sb, "Mapped", k.nrMapped());
        kb(sb, "Shmem", k.nrShmem());
        kb(sb, "KReclaimable", k.nrSlabReclaimable() + k.nrKernelMiscReclaimable());
        kb(sb, "Slab", k.nrSlabReclaimable() + k.nrSlabUnreclaimable());
        kb(sb, "SReclaimable", k.nrSlabReclaimable());
        kb(sb, "SUnreclaim", k.nrSlabUnreclaimable());
        line(sb, "KernelStack", k.nrKernelStackKb());
        kb(sb, "PageTables", k.nrPageTablePages());
        kb(sb, "SecPageTables", 0);
        kb(sb, "NFS_Unstable", 0);
        kb(sb, "Bounce", 0);
        kb(sb, "WritebackTmp", 0);
        kb(sb, "CommitLimit", commitLimit);
        kb(sb, "Committed_AS", k.committedAsPages());
        line(sb, "VmallocTotal", vmallocTotalKb(pm.config().arch()));
        kb(sb, "VmallocUsed", k.vmallocUsedPages());
        kb(sb, "VmallocChunk", 0);
        kb(sb, "Percpu", 0);
        if (!highmem) {
            kb(sb, "AnonHugePages", k.nrAnonThps() * 512);
            kb(sb, "ShmemHugePages", 0);
            kb(sb, "ShmemPmdMapped", 0);
            kb(sb, "FileHugePages", 0);
            kb(sb, "FilePmdMapped", 0);
        }
        kb(sb, "Balloon", 0);
        long hugepagesizeKb = highmem ? 4096 : 2048;
        sb.append(String.format("HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\n"
                + "HugePages_Surp:    %5d\nHugepagesize:   %8d kB\n", 0, 0, 0, 0, hugepagesizeKb));
        sb.append(String.format("Hugetlb:        %8d kB\n", 0));
        directMap(sb, pm.maxPfn() * 4, highmem);
        return sb.toString();
    }

    /**
     * {@code total_swap_pages} after {@code swapon} of a device of {@code swapBytes}: mkswap writes
     * {@code last_page = pages - 1}, so {@code maxpages = pages}, and {@code swapon} keeps
     * {@code si->pages = maxpages - 1} because page 0 holds the swap header (mm/swapfile.c:
     * {@code swap_map[0] = SWAP_MAP_BAD}, "omit header page"). A 64 MiB device shows 65532 kB.
     */
    static long totalSwapPages(long swapBytes) {
        long pages = swapBytes >> Arch.PAGE_SHIFT;
        return pages > 0 ? pages - 1 : 0;
    }

    /** {@code VMALLOC_TOTAL}: 32 TiB (4-level), 12800 TiB (5-level); i386 ≈ 112 MiB between lowmem and the pkmap area. */
    static long vmallocTotalKb(Arch arch) {
        return switch (arch) {
            case X86_64 -> 34359738367L;
            case X86_64_LA57 -> 13743895347199L;
            case I386 -> (0xFF7FE000L - 0xF8800000L) >> 10;
        };
    }

    /** DirectMap4k/2M/1G (i386: 4k/4M), simplified: the first 2 MiB in 4k pages, up to 1 GiB in 2M pages, the rest in 1G pages. */
    private static void directMap(StringBuilder sb, long totalKb, boolean i386) {
        if (i386) {
            long k4 = Math.min(totalKb, 4096);
            line(sb, "DirectMap4k", k4);
            line(sb, "DirectMap4M", Math.min(totalKb, 896L << 10) - k4);
            return;
        }
        long k4 = Math.min(totalKb, 2048);
        long g1 = totalKb > (1L << 20) ? (totalKb - (1L << 20)) / (1L << 20) * (1L << 20) : 0;
        line(sb, "DirectMap4k", k4);
        line(sb, "DirectMap2M", totalKb - k4 - g1);
        line(sb, "DirectMap1G", g1);
    }

    private static void kb(StringBuilder sb, String label, long pages) {
        line(sb, label, pages << 2);
    }

    private static void line(StringBuilder sb, String label, long kb) {
        sb.append(String.format("%-16s%8d kB\n", label + ":", kb));
    }
}
