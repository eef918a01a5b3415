package org.mmsim.kernel.phys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;

/**
 * The physical memory map a booted PC ends up with: what {@code e820__memblock_setup},
 * {@code zone_sizes_init} (arch/x86/mm/init.c), {@code find_zone_movable_pfns_for_nodes} and
 * {@code free_area_init} (mm/mm_init.c) decide, plus the memblock reservations.
 *
 * <p>The numbers chosen, and why:
 * <ul>
 *   <li>Nodes lie back to back from physical address 0. Memory starts at pfn 1: pfn 0 is not in
 *       the memory map (live: DMA {@code start_pfn 1}, spanned 4095).</li>
 *   <li>The legacy hole 640 KiB–1 MiB (pfns 160–255: VGA and BIOS ROM) is not present.</li>
 *   <li>The first 1 MiB is reserved ({@code memblock_reserve(0, SZ_1M)} in arch/x86/kernel/setup.c,
 *       "always reserve the first 1M", 5.13+): 159 present pages, which makes DMA
 *       present 3999 and managed 3840 as on the live machine.</li>
 *   <li>The kernel image is loaded at {@code CONFIG_PHYSICAL_START} = 16 MiB (no KASLR) and
 *       spans {@value #KERNEL_IMAGE_PAGES_64} pages (32 MiB, text to {@code _end} of a Debian
 *       6.12 x86_64 kernel with bss and brk) or {@value #KERNEL_IMAGE_PAGES_32} pages (16 MiB)
 *       on i386. If node 0 is too small it goes right above 1 MiB, at most a quarter of the node.</li>
 *   <li>The memmap ({@code struct page} array): 64 bytes per present page, rounded up to whole
 *       pages, taken top-down from each node's memory below ZONE_MOVABLE as memblock allocates;
 *       on i386 from the top of lowmem (memblock's limit is {@code max_low_pfn}).</li>
 *   <li>i386 {@code max_low_pfn} is 896 MiB ({@code MAXMEM} with the 3G/1G split and 128 MiB of
 *       vmalloc reserve).</li>
 *   <li>No PCI/MMIO hole below 4 GiB, no ACPI or EFI ranges: memory is contiguous.</li>
 * </ul>
 */
final class BootLayout {
    static final long MAX_DMA_PFN = (16L << 20) >> Arch.PAGE_SHIFT;
    static final long MAX_DMA32_PFN = 1L << 20;
    static final long MAXMEM_PFN_32 = (896L << 20) >> Arch.PAGE_SHIFT;
    static final long LEGACY_HOLE_START = 160;
    static final long LEGACY_HOLE_END = 256;
    static final long KERNEL_START_PFN = MAX_DMA_PFN;
    static final long KERNEL_IMAGE_PAGES_64 = 8192;
    static final long KERNEL_IMAGE_PAGES_32 = 4096;
    static final int STRUCT_PAGE_BYTES = 64;
    static final long MAX_ORDER_NR_PAGES = 1L << BuddyAllocator.MAX_PAGE_ORDER;

    /** A range of pfns, {@code end} exclusive. */
    record Range(long start, long end, String what) {
        long length() {
            return end - start;
        }
    }

    /** A zone's geometry on one node before its pages are counted. */
    record ZoneSpan(ZoneType type, long start, long end) {
    }

    final Arch arch;
    final ZoneType[] zoneTypes;
    final long maxPfn;
    /** {@code empty_zero_page}: the last page of the kernel image (its .bss). */
    private long zeroPfn;
    final long[] nodeStart;
    final long[] nodeEnd;
    final List<Range> memory = new ArrayList<>();
    final List<Range> reserved = new ArrayList<>();
    final long[] zoneMovablePfn;
    final List<List<ZoneSpan>> zones = new ArrayList<>();
    private final long[] archLow;
    private final long[] archHigh;
    private int movableZoneIdx;

    BootLayout(MachineConfig config) {
        arch = config.arch();
        zoneTypes = ZoneType.zonesOf(arch);
        int n = config.nodes().size();
        nodeStart = new long[n];
        nodeEnd = new long[n];
        long pfn = 0;
        for (int nid = 0; nid < n; nid++) {
            long end = pfn + (config.nodes().get(nid).memoryBytes() >> Arch.PAGE_SHIFT);
            if (nid == 0) {
                memory.add(new Range(1, Math.min(end, LEGACY_HOLE_START), "node0"));
                if (end > LEGACY_HOLE_END) {
                    memory.add(new Range(LEGACY_HOLE_END, end, "node0"));
                }
                nodeStart[0] = 1;
            } else {
                memory.add(new Range(pfn, end, "node" + nid));
                nodeStart[nid] = pfn;
            }
            nodeEnd[nid] = end;
            pfn = end;
        }
        maxPfn = pfn;
        archLow = new long[zoneTypes.length];
        archHigh = new long[zoneTypes.length];
        zoneSizesInit();
        zoneMovablePfn = new long[n];
        if (config.tunables().movablecoreBytes() > 0) {
            findZoneMovablePfnsForNodes(config.tunables().movablecoreBytes() >> Arch.PAGE_SHIFT);
        }
        for (int nid = 0; nid < n; nid++) {
            zones.add(zonesOfNode(nid));
        }
        reserveBootMemory(config);
    }

    /** {@code zone_sizes_init} + {@code free_area_init}'s arch_zone_{lowest,highest}_possible_pfn. */
    private void zoneSizesInit() {
        long maxLowPfn = arch.is64Bit() ? maxPfn : Math.min(maxPfn, MAXMEM_PFN_32);
        long start = 1;
        for (int i = 0; i < zoneTypes.length; i++) {
            long limit = switch (zoneTypes[i]) {
                case DMA -> Math.min(MAX_DMA_PFN, maxLowPfn);
                case DMA32 -> Math.min(MAX_DMA32_PFN, maxLowPfn);
                case NORMAL -> maxLowPfn;
                case HIGHMEM -> maxPfn;
                default -> -1;
            };
            if (limit < 0) {
                continue;
            }
            long end = Math.max(limit, start);
            archLow[i] = start;
            archHigh[i] = end;
            start = end;
        }
        movableZoneIdx = 0;
        for (int i = zoneTypes.length - 1; i >= 0; i--) {
            if (zoneTypes[i] == ZoneType.MOVABLE || zoneTypes[i] == ZoneType.DEVICE) {
                continue;
            }
            if (archHigh[i] > archLow[i]) {
                movableZoneIdx = i;
                break;
            }
        }
    }

    private List<Range> memoryOf(int nid) {
        List<Range> out = new ArrayList<>();
        for (Range r : memory) {
            if (r.start() >= nodeStart[nid] && r.end() <= nodeEnd[nid]) {
                out.add(r);
            }
        }
        return out;
    }

    /** {@code find_zone_movable_pfns_for_nodes} for {@code movablecore=}: kernelcore spread evenly, the top of each node movable. */
    private void findZoneMovablePfnsForNodes(long movablecorePages) {
        long totalpages = 0;
        for (Range r : memory) {
            totalpages += r.length();
        }
        long requiredMovablecore = Math.min(totalpages, roundUp(movablecorePages, MAX_ORDER_NR_PAGES));
        long requiredKernelcore = totalpages - requiredMovablecore;
        if (requiredKernelcore == 0 || requiredKernelcore >= totalpages) {
            return;
        }
        long usableStartpfn = archLow[movableZoneIdx];
        int usableNodes = nodeStart.length;
        do {
            long kernelcoreNode = requiredKernelcore / usableNodes;
            for (int nid = 0; nid < nodeStart.length; nid++) {
                if (requiredKernelcore < kernelcoreNode) {
                    kernelcoreNode = requiredKernelcore / usableNodes;
                }
                long kernelcoreRemaining = kernelcoreNode;
                for (Range r : memoryOf(nid)) {
                    long startPfn = Math.max(r.start(), zoneMovablePfn[nid]);
                    long endPfn = r.end();
                    if (startPfn >= endPfn) {
                        continue;
                    }
                    if (startPfn < usableStartpfn) {
                        long kernelPages = Math.min(endPfn, usableStartpfn) - startPfn;
                        kernelcoreRemaining -= Math.min(kernelPages, kernelcoreRemaining);
                        requiredKernelcore -= Math.min(kernelPages, requiredKernelcore);
                        if (endPfn <= usableStartpfn) {
                            zoneMovablePfn[nid] = endPfn;
                            continue;
                        }
                        startPfn = usableStartpfn;
                    }
                    long sizePages = Math.min(endPfn - startPfn, kernelcoreRemaining);
                    zoneMovablePfn[nid] = startPfn + sizePages;
                    requiredKernelcore -= Math.min(requiredKernelcore, sizePages);
                    kernelcoreRemaining -= sizePages;
                    if (kernelcoreRemaining == 0) {
                        break;
                    }
                }
            }
            usableNodes--;
        } while (usableNodes > 0 && requiredKernelcore > usableNodes);
        for (int nid = 0; nid < nodeStart.length; nid++) {
            zoneMovablePfn[nid] = roundUp(zoneMovablePfn[nid], MAX_ORDER_NR_PAGES);
            if (zoneMovablePfn[nid] >= nodeEnd[nid]) {
                zoneMovablePfn[nid] = 0;
            }
        }
    }

    private static long roundUp(long x, long to) {
        return (x + to - 1) / to * to;
    }

    /** {@code zone_spanned_pages_in_node} with {@code adjust_zone_range_for_zone_movable}. */
    private List<ZoneSpan> zonesOfNode(int nid) {
        List<ZoneSpan> out = new ArrayList<>();
        long ns = nodeStart[nid];
        long ne = nodeEnd[nid];
        long zmp = zoneMovablePfn[nid];
        for (int i = 0; i < zoneTypes.length; i++) {
            ZoneType t = zoneTypes[i];
            long zs;
            long ze;
            if (t == ZoneType.DEVICE) {
                zs = 0;
                ze = 0;
            } else if (t == ZoneType.MOVABLE) {
                if (zmp != 0) {
                    zs = zmp;
                    ze = Math.min(ne, archHigh[movableZoneIdx]);
                } else {
                    zs = 0;
                    ze = 0;
                }
            } else {
                zs = clamp(archLow[i], ns, ne);
                ze = clamp(archHigh[i], ns, ne);
                if (zmp != 0) {
                    if (zs < zmp && ze > zmp) {
                        ze = zmp;
                    } else if (zs >= zmp) {
                        zs = ze;
                    }
                }
            }
            if (ze <= zs) {
                zs = 0;
                ze = 0;
            }
            out.add(new ZoneSpan(t, zs, ze));
        }
        return out;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The memblock reservations: low 1 MiB, kernel image, each node's memmap. */
    private void reserveBootMemory(MachineConfig config) {
        reserved.add(new Range(0, Math.min(LEGACY_HOLE_END, nodeEnd[0]), "first 1 MiB (BIOS, real mode)"));
        long kernelPages = arch.is64Bit() ? KERNEL_IMAGE_PAGES_64 : KERNEL_IMAGE_PAGES_32;
        long kStart = KERNEL_START_PFN;
        if (nodeEnd[0] < kStart + kernelPages) {
            kStart = LEGACY_HOLE_END;
            kernelPages = Math.min(kernelPages, (nodeEnd[0] - kStart) / 4);
        }
        reserved.add(new Range(kStart, kStart + kernelPages, "kernel image"));
        zeroPfn = kStart + kernelPages - 1;
        long lowmemTop = arch.is64Bit() ? Long.MAX_VALUE : Math.min(maxPfn, MAXMEM_PFN_32);
        for (int nid = 0; nid < nodeStart.length; nid++) {
            long present = presentIn(nodeStart[nid], nodeEnd[nid]);
            long memmapPages = (present * STRUCT_PAGE_BYTES + Arch.PAGE_SIZE - 1) / Arch.PAGE_SIZE;
            long top;
            if (arch.is64Bit()) {
                top = zoneMovablePfn[nid] != 0 ? zoneMovablePfn[nid] : nodeEnd[nid];
            } else {
                top = lowmemTop;
                lowmemTop -= memmapPages;
            }
            reserved.add(new Range(top - memmapPages, top, "memmap of node " + nid));
        }
        reserved.sort(Comparator.comparingLong(Range::start));
    }

    /** Pages of the memory map inside {@code [start, end)}. */
    long presentIn(long start, long end) {
        long n = 0;
        for (Range r : memory) {
            long s = Math.max(start, r.start());
            long e = Math.min(end, r.end());
            if (e > s) {
                n += e - s;
            }
        }
        return n;
    }

    /** Present pages inside {@code [start, end)} that are reserved. */
    long reservedIn(long start, long end) {
        long n = 0;
        for (Range res : reserved) {
            long s = Math.max(start, res.start());
            long e = Math.min(end, res.end());
            if (e > s) {
                n += presentIn(s, e);
            }
        }
        return n;
    }

    /** The free (present, unreserved) ranges inside {@code [start, end)}, ascending. */
    List<Range> freeRanges(long start, long end) {
        List<Range> out = new ArrayList<>();
        for (Range r : memory) {
            long s = Math.max(start, r.start());
            long e = Math.min(end, r.end());
            long cur = s;
            for (Range res : reserved) {
                if (res.end() <= cur || res.start() >= e) {
                    continue;
                }
                if (res.start() > cur) {
                    out.add(new Range(cur, res.start(), "free"));
                }
                cur = Math.max(cur, res.end());
            }
            if (cur < e) {
                out.add(new Range(cur, e, "free"));
            }
        }
        return out;
    }

    boolean isPresent(long pfn) {
        for (Range r : memory) {
            if (pfn >= r.start() && pfn < r.end()) {
                return true;
            }
        }
        return false;
    }

    /** The reservation containing {@code pfn}, or null. */
    Range reservationOf(long pfn) {
        for (Range r : reserved) {
            if (pfn >= r.start() && pfn < r.end()) {
                return r;
            }
        }
        return null;
    }

    long zeroPfn() {
        return zeroPfn;
    }
}
