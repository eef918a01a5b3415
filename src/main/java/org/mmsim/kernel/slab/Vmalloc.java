package org.mmsim.kernel.slab;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.AllocRequest;
import org.mmsim.kernel.phys.AllocResult;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * vmalloc: {@code __vmalloc_node_range}, mm/vmalloc.c — a virtually contiguous area in
 * {@code [VMALLOC_START, VMALLOC_END)} backed by individually allocated order-0 frames, mapped
 * with {@code PAGE_KERNEL} into {@code init_mm}'s page tables, followed by a one-page guard hole.
 *
 * <p>{@code alloc_vmap_area} is first fit from the lowest address. The area range is not
 * randomised (no KASLR) and starts empty: a real kernel has boot-time areas there. Pages are
 * allocated on the node of the calling CPU ({@code alloc_pages_node}), one by one (not
 * {@code alloc_pages_bulk}, no high-order attempt for huge vmalloc). {@code vfree} clears the
 * PTEs and frees the frames; like {@code vunmap_range} it leaves the page tables in place. The
 * tables are frames owned by {@code init_mm} ({@link PageStore#OWNER_KERNEL_PGTABLE}), counted as
 * PageTables. Lazy purging of freed areas ({@code lazy_max_pages}) is not modelled: a freed
 * range is reusable at once.
 */
public final class Vmalloc {
    /** {@code PAGE_KERNEL}: present, RW, accessed, dirty, global, NX (no NX on i386 without PAE). */
    private static final long PAGE_KERNEL_NOEXEC = 1L | 1L << 1 | 1L << 5 | 1L << 6 | 1L << 8;
    private static final long PAGE_SIZE = Arch.PAGE_SIZE;
    /** {@code GFP_KERNEL | __GFP_HIGHMEM} as {@code __vmalloc_area_node} asks for data pages. */
    private static final int VMALLOC_PAGE_GFP = Gfp.GFP_KERNEL | Gfp.__GFP_HIGHMEM;
    /** {@code GFP_PGTABLE_KERNEL}: {@code GFP_KERNEL | __GFP_ZERO}. */
    private static final int GFP_PGTABLE_KERNEL = Gfp.GFP_KERNEL | Gfp.__GFP_ZERO;
    /** What /proc/vmallocinfo prints as the caller ({@code %pS} of the return address): the API. */
    public static final String CALLER = "mmsim_kernel_vmalloc+0x0/0x0";

    /** A vmap area: {@code struct vm_struct}. {@code size} includes the guard page, as {@code vm->size} does. */
    public record Area(long address, long size, long[] pfns, int[] nids) {
        public long end() {
            return address + size;
        }
    }

    private final PhysicalMemory phys;
    private final Arch arch;
    private final long vmallocStart;
    private final long vmallocEnd;
    private final long vaMask;
    private final TreeMap<Long, Area> areas = new TreeMap<>((a, b) -> Long.compareUnsigned(a, b));
    /** {@code init_mm.pgd}, made on first use. */
    private PageTable initMm;
    /**
     * The CPU of the vmalloc being mapped: {@code __pte_alloc_one_kernel} (include/asm-generic/pgalloc.h)
     * is {@code pagetable_alloc(GFP_PGTABLE_KERNEL, 0)}, an {@code alloc_pages} on the calling CPU's
     * node, so init_mm's allocator reads it at each call (a snapshot restores no CPU:
     * state does not depend on which vmalloc first built the tables).
     */
    private int mapCpu;
    private final PageTable.TableAllocator tableAllocator = new PageTable.TableAllocator() {
        @Override
        public long allocTablePage() {
            AllocResult r = phys.allocPages(new AllocRequest(0, GFP_PGTABLE_KERNEL, phys.cpuToNode(mapCpu), mapCpu, null,
                    MemPolicy.NO_INTERLEAVE_INDEX, null));
            if (!r.ok()) {
                return PageTable.NO_PFN;
            }
            phys.setKernelPageOwner(r.pfn(), PageStore.OWNER_KERNEL_PGTABLE);
            return r.pfn();
        }

        @Override
        public void freeTablePage(long pfn) {
            phys.freePages(pfn, 0);
        }
    };

    public Vmalloc(PhysicalMemory phys) {
        this.phys = phys;
        this.arch = phys.config().arch();
        this.vmallocStart = vmallocStart(arch);
        this.vmallocEnd = vmallocEnd(arch);
        this.vaMask = switch (arch) {
            case X86_64 -> (1L << 48) - 1;
            case X86_64_LA57 -> (1L << 57) - 1;
            case I386 -> 0xffffffffL;
        };
    }

    /** {@code VMALLOC_START} without KASLR: 0xffffc90000000000 (x86_64), 0xffa0000000000000 (LA57), 0xf8800000 (i386, 896 MiB lowmem + 8 MiB). */
    public static long vmallocStart(Arch arch) {
        return switch (arch) {
            case X86_64 -> 0xffffc90000000000L;
            case X86_64_LA57 -> 0xffa0000000000000L;
            case I386 -> 0xf8800000L;
        };
    }

    /** {@code VMALLOC_END}: start + 32 TiB − 1 (x86_64), + 12800 TiB − 1 (LA57); i386 0xff7fe000 (exclusive here). */
    static long vmallocEnd(Arch arch) {
        return switch (arch) {
            case X86_64 -> vmallocStart(arch) + (32L << 40);
            case X86_64_LA57 -> vmallocStart(arch) + (12800L << 40);
            case I386 -> 0xff7fe000L;
        };
    }

    /** What {@code vmalloc} returned: the area, or null with the reason (the kernel's NULL). */
    public record Result(Area area, String reason) {
    }

    /**
     * {@code vmalloc(bytes)} from {@code cpu}: {@code PAGE_ALIGN(bytes)} bytes, each page an order-0
     * frame of the CPU's node. A request of 0 or of more pages than {@code totalram_pages()}
     * fails as in {@code __vmalloc_node_range}; so does running out of frames (everything taken is
     * given back).
     */
    public Result vmalloc(long bytes, int cpu) {
        if (bytes < 0) {
            throw new KernelInputException("size", "size must not be negative");
        }
        if (cpu < 0 || cpu >= phys.config().totalCpus()) {
            throw new KernelInputException("cpu", "cpu " + cpu + " does not exist");
        }
        long nrPages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
        if (nrPages == 0 || nrPages > phys.totalramPages()) {
            return new Result(null, "vmalloc size " + bytes + " is 0 or exceeds totalram_pages");
        }
        long size = (nrPages + 1) * PAGE_SIZE;
        long address = allocVmapArea(size);
        if (address == 0) {
            return new Result(null, "vmalloc area exhausted");
        }
        int nid = phys.cpuToNode(cpu);
        long[] pfns = new long[(int) nrPages];
        int[] nids = new int[pfns.length];
        for (int i = 0; i < pfns.length; i++) {
            AllocResult r = phys.allocPages(new AllocRequest(0, VMALLOC_PAGE_GFP, nid, cpu, null,
                    MemPolicy.NO_INTERLEAVE_INDEX, null));
            if (!r.ok()) {
                freeFrames(pfns, i);
                return new Result(null, "page allocation failure: " + r.reason());
            }
            phys.setKernelPageOwner(r.pfn(), PageStore.OWNER_VMALLOC);
            pfns[i] = r.pfn();
            nids[i] = r.nid();
        }
        if (!mapPages(address, pfns, cpu)) {
            freeFrames(pfns, pfns.length);
            return new Result(null, "no memory for init_mm page tables");
        }
        Area area = new Area(address, size, pfns, nids);
        areas.put(address, area);
        return new Result(area, null);
    }

    /** {@code alloc_vmap_area}: the lowest address where {@code size} bytes fit between existing areas. */
    private long allocVmapArea(long size) {
        long candidate = vmallocStart;
        for (Area a : areas.values()) {
            if (Long.compareUnsigned(candidate + size, a.address) <= 0) {
                break;
            }
            candidate = a.end();
        }
        return Long.compareUnsigned(candidate + size, vmallocEnd) <= 0 ? candidate : 0;
    }

    /** {@code vmap_pages_range}: a {@code PAGE_KERNEL} PTE per page; undoes itself when a table page cannot be had. */
    private boolean mapPages(long address, long[] pfns, int cpu) {
        mapCpu = cpu;
        if (initMm == null) {
            initMm = PageTable.create(arch, tableAllocator);
            if (initMm == null) {
                return false;
            }
        }
        long prot = arch.is64Bit() ? PAGE_KERNEL_NOEXEC | 1L << Pte._PAGE_BIT_NX : PAGE_KERNEL_NOEXEC;
        for (int i = 0; i < pfns.length; i++) {
            if (!initMm.set((address + i * PAGE_SIZE) & vaMask, Pte.mk(pfns[i], prot))) {
                for (int k = 0; k < i; k++) {
                    initMm.clear((address + k * PAGE_SIZE) & vaMask);
                }
                return false;
            }
        }
        return true;
    }

    private void freeFrames(long[] pfns, int n) {
        for (int i = 0; i < n; i++) {
            phys.freePages(pfns[i], 0);
        }
    }

    /** {@code vfree(address)}: NULL is ignored; anything but the start of an area is refused, naming the field. */
    public Area vfree(long address) {
        if (address == 0) {
            return null;
        }
        Area area = areas.get(address);
        if (area == null) {
            Map.Entry<Long, Area> e = areas.floorEntry(address);
            String why = e != null && Long.compareUnsigned(address, e.getValue().end()) < 0
                    ? " lies inside the area at " + Slub.hex(e.getKey()) + ", not at its start"
                    : " is not a vmalloc area";
            throw new KernelInputException("address", Slub.hex(address) + why);
        }
        for (int i = 0; i < area.pfns.length; i++) {
            initMm.clear((address + i * PAGE_SIZE) & vaMask);
        }
        freeFrames(area.pfns, area.pfns.length);
        areas.remove(address);
        return area;
    }

    /** The areas in address order (/proc/vmallocinfo). */
    public List<Area> areas() {
        return new ArrayList<>(areas.values());
    }

    /** {@code vmalloc_nr_pages()}. */
    public long nrPages() {
        long n = 0;
        for (Area a : areas.values()) {
            n += a.pfns.length;
        }
        return n;
    }

    /** The PTE mapping kernel address {@code va}, or 0. */
    public long pte(long va) {
        return initMm == null ? 0 : initMm.get(va & vaMask);
    }

    /** Areas lie in the vmalloc range, apart, each page an order-0 vmalloc frame its PTE maps; init_mm's tables are its frames. */
    public void checkInvariants() {
        long lastEnd = vmallocStart;
        Set<Long> ours = new HashSet<>();
        for (Area a : areas.values()) {
            if (Long.compareUnsigned(a.address, lastEnd) < 0 || Long.compareUnsigned(a.end(), vmallocEnd) > 0
                    || a.size != (a.pfns.length + 1) * PAGE_SIZE) {
                throw new IllegalStateException("vmalloc area " + Slub.hex(a.address) + " overlaps or leaves the range");
            }
            lastEnd = a.end();
            for (int i = 0; i < a.pfns.length; i++) {
                long pfn = a.pfns[i];
                if (!ours.add(pfn) || phys.pageOwner(pfn) != PageStore.OWNER_VMALLOC || phys.pageOrder(pfn) != 0) {
                    throw new IllegalStateException("vmalloc page " + pfn + " is not an order-0 vmalloc frame");
                }
                long pte = pte(a.address + i * PAGE_SIZE);
                if (!Pte.present(pte) || Pte.pfn(pte) != pfn) {
                    throw new IllegalStateException("vmalloc address " + Slub.hex(a.address + i * PAGE_SIZE)
                            + " does not map pfn " + pfn);
                }
            }
            if (pte(a.end() - PAGE_SIZE) != 0) {
                throw new IllegalStateException("guard page of " + Slub.hex(a.address) + " is mapped");
            }
        }
        Set<Long> tables = new HashSet<>();
        if (initMm != null) {
            initMm.checkInvariants();
            for (PageTable.TablePage tp : initMm.tablePages()) {
                tables.add(tp.pfn());
            }
        }
        for (long head : phys.allocatedHeads()) {
            int owner = phys.pageOwner(head);
            if (owner == PageStore.OWNER_VMALLOC && !ours.contains(head)) {
                throw new IllegalStateException("frame " + head + " is flagged vmalloc but no area holds it (leak)");
            }
            if (owner == PageStore.OWNER_KERNEL_PGTABLE && !tables.contains(head)) {
                throw new IllegalStateException("frame " + head + " is an init_mm table page outside init_mm");
            }
        }
    }

    // ================================================================ snapshot

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeBoolean(initMm != null);
        if (initMm != null) {
            initMm.writeTo(out);
        }
        out.writeInt(areas.size());
        for (Area a : areas.values()) {
            out.writeLong(a.address);
            out.writeInt(a.pfns.length);
            for (int i = 0; i < a.pfns.length; i++) {
                out.writeLong(a.pfns[i]);
                out.writeShort(a.nids[i]);
            }
        }
    }

    public void readFrom(DataInputStream in) throws IOException {
        if (in.readBoolean()) {
            initMm = PageTable.readFrom(in, arch, tableAllocator);
        }
        int n = in.readInt();
        for (int k = 0; k < n; k++) {
            long address = in.readLong();
            int nrPages = in.readInt();
            long[] pfns = new long[nrPages];
            int[] nids = new int[nrPages];
            for (int i = 0; i < nrPages; i++) {
                pfns[i] = in.readLong();
                nids[i] = in.readShort();
            }
            areas.put(address, new Area(address, (nrPages + 1L) * PAGE_SIZE, pfns, nids));
        }
    }
}
