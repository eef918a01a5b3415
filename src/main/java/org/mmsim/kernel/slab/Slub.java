package org.mmsim.kernel.slab;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.phys.AllocRequest;
import org.mmsim.kernel.phys.AllocResult;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * The SLUB allocator: the caches of mm/slab_common.c ({@code kmalloc_caches}, named caches) and
 * {@code kmalloc}/{@code kfree}, {@code kmem_cache_alloc}/{@code kmem_cache_free} of mm/slub.c.
 *
 * <p>Sections: constants and the cache table; {@code kmalloc} and the size classes;
 * {@code kmem_cache_alloc}/{@code free} ({@code ___slab_alloc}, {@code new_slab},
 * {@code __slab_free}, {@code discard_slab}); {@code kfree} and address checks; views;
 * invariants; the snapshot codec. Objects are addressed as the kernel returns them: direct-map
 * virtual addresses {@code PAGE_OFFSET + (pfn << 12) + offset}.
 */
public final class Slub {
    /** {@code ZERO_SIZE_PTR}: what {@code kmalloc(0)} returns; {@code kfree} ignores it and NULL. */
    public static final long ZERO_SIZE_PTR = 16;
    /** {@code KMALLOC_MAX_CACHE_SIZE}: two pages; larger requests go to the page allocator. */
    public static final int KMALLOC_MAX_CACHE_SIZE = 8192;
    /** {@code KMALLOC_MAX_SIZE}: {@code 1 << (MAX_PAGE_ORDER + PAGE_SHIFT)}, 4 MiB. */
    public static final long KMALLOC_MAX_SIZE = 1L << (PhysicalMemory.MAX_PAGE_ORDER + Arch.PAGE_SHIFT);
    /** The kmalloc size classes, {@code kmalloc_info[]}. */
    static final int[] KMALLOC_SIZES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
    /**
     * Named caches and their {@code s->size} as /proc/slabinfo shows them on the 2-CPU x86_64
     * 6.18 host these notes were taken on: {@code task_struct 4224 7/8}, {@code mm_struct 1600
     * 20/8} (its size includes the cpumask and mm_cid areas), {@code vm_area_struct 192 21/1},
     * {@code anon_vma 104 39/1}. None is {@code SLAB_RECLAIM_ACCOUNT}.
     */
    public static final String TASK_STRUCT = "task_struct";
    public static final String MM_STRUCT = "mm_struct";
    public static final String VM_AREA_STRUCT = "vm_area_struct";
    public static final String ANON_VMA = "anon_vma";
    static final int TASK_STRUCT_SIZE = 4224;
    static final int MM_STRUCT_SIZE = 1600;
    static final int VM_AREA_STRUCT_SIZE = 192;
    static final int ANON_VMA_SIZE = 104;
    /** {@code GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK}: the caller's flags a slab page keeps (allocate_slab). */
    private static final int SLAB_PAGE_GFP_MASK = Gfp.__GFP_RECLAIM | Gfp.__GFP_HIGH | Gfp.__GFP_IO | Gfp.__GFP_FS
            | Gfp.__GFP_NOWARN | Gfp.__GFP_RETRY_MAYFAIL | Gfp.__GFP_NOFAIL | Gfp.__GFP_NORETRY | Gfp.__GFP_MEMALLOC
            | Gfp.__GFP_NOMEMALLOC | Gfp.__GFP_HARDWALL | Gfp.__GFP_THISNODE;
    /** {@code GFP_SLAB_BUG_MASK}: flags a slab allocation must not carry. */
    private static final int GFP_SLAB_BUG_MASK = Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM;

    private final PhysicalMemory phys;
    /** {@code PAGE_OFFSET}: the start of the direct map. */
    private final long pageOffset;
    /** In /proc/slabinfo order: the {@code slab_caches} list, newest first. */
    private final List<KmemCache> caches = new ArrayList<>();
    private final KmemCache[] kmallocCaches = new KmemCache[KMALLOC_SIZES.length];
    /** Every slab by its first pfn. */
    private final TreeMap<Long, Slab> slabs = new TreeMap<>();
    /** Large kmallocs by pfn: {order, requested bytes}. */
    private final TreeMap<Long, long[]> large = new TreeMap<>();

    public Slub(PhysicalMemory phys, MachineConfig config) {
        this.phys = phys;
        this.pageOffset = pageOffset(config.arch());
        int cpus = config.totalCpus();
        int nodes = config.nodes().size();
        // slab_caches after boot, newest first: the named caches, then kmalloc-8k … kmalloc-8,
        // kmalloc-192, kmalloc-96 (create_kmalloc_caches makes 96 and 192 first: indexes 1 and 2)
        for (String name : List.of(VM_AREA_STRUCT, TASK_STRUCT, ANON_VMA, MM_STRUCT)) {
            caches.add(new KmemCache(name, namedSize(name), cpus, nodes));
        }
        for (int i = KMALLOC_SIZES.length - 1; i >= 0; i--) {
            kmallocCaches[i] = new KmemCache(kmallocName(KMALLOC_SIZES[i]), KMALLOC_SIZES[i], cpus, nodes);
        }
        for (int i = KMALLOC_SIZES.length - 1; i >= 0; i--) {
            if (KMALLOC_SIZES[i] != 96 && KMALLOC_SIZES[i] != 192) {
                caches.add(kmallocCaches[i]);
            }
        }
        caches.add(kmallocCaches[6]);
        caches.add(kmallocCaches[4]);
    }

    private static int namedSize(String name) {
        return switch (name) {
            case TASK_STRUCT -> TASK_STRUCT_SIZE;
            case MM_STRUCT -> MM_STRUCT_SIZE;
            case VM_AREA_STRUCT -> VM_AREA_STRUCT_SIZE;
            default -> ANON_VMA_SIZE;
        };
    }

    /** {@code PAGE_OFFSET} of the architecture (no KASLR): x86_64 0xffff888000000000, LA57 0xff11000000000000, i386 0xc0000000. */
    public static long pageOffset(Arch arch) {
        return switch (arch) {
            case X86_64 -> 0xffff888000000000L;
            case X86_64_LA57 -> 0xff11000000000000L;
            case I386 -> 0xc0000000L;
        };
    }

    /** {@code kmalloc-96}, {@code kmalloc-1k}: the names {@code kmalloc_info[]} gives. */
    static String kmallocName(int size) {
        return size >= 1024 ? "kmalloc-" + (size >> 10) + "k" : "kmalloc-" + size;
    }

    /** The cache named {@code name}, or null. */
    public KmemCache cache(String name) {
        for (KmemCache s : caches) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Every cache in /proc/slabinfo order. */
    public List<KmemCache> caches() {
        return List.copyOf(caches);
    }

    // ================================================================ kmalloc

    /** What {@code kmalloc} returned: an address (0 for NULL, with the reason), its cache or page-allocator order. */
    public record Kmalloc(long address, String cache, long objectSize, int order, long pfn, int nid, String reason) {
    }

    /**
     * {@code kmalloc_index()}: the size class of a request of 1..8192 bytes. Up to 192 bytes the
     * {@code kmalloc_size_index[(bytes - 1) / 8]} table (65–96 → kmalloc-96, 129–192 →
     * kmalloc-192), above that the next power of two: 100 → kmalloc-128, 200 → kmalloc-256.
     */
    public KmemCache kmallocCache(long bytes) {
        if (bytes <= 0 || bytes > KMALLOC_MAX_CACHE_SIZE) {
            throw new IllegalArgumentException("no kmalloc cache for " + bytes + " bytes");
        }
        for (int i = 0; i < KMALLOC_SIZES.length; i++) {
            if (bytes <= KMALLOC_SIZES[i]) {
                return kmallocCaches[i];
            }
        }
        throw new IllegalStateException();
    }

    /**
     * {@code kmalloc_node(bytes, gfp, nid)} from {@code cpu} ({@code nid} -1: the CPU's node):
     * 0 bytes give {@code ZERO_SIZE_PTR}; up to 8 KiB an object of the size class; up to
     * {@code KMALLOC_MAX_SIZE} a compound page of order {@code get_order(bytes)}
     * ({@code ___kmalloc_large_node}, counted as unreclaimable slab); beyond, NULL.
     */
    public Kmalloc kmalloc(long bytes, int gfp, int nid, int cpu) {
        if (bytes < 0) {
            throw new KernelInputException("size", "size must not be negative");
        }
        Gfp.validate(gfp);
        if ((gfp & GFP_SLAB_BUG_MASK) != 0) {
            throw new KernelInputException("gfp", "kmalloc with __GFP_DMA32 or __GFP_HIGHMEM is a bug "
                    + "(GFP_SLAB_BUG_MASK): slab objects must be in the direct map");
        }
        if ((gfp & Gfp.__GFP_DMA) != 0) {
            throw new KernelInputException("gfp", "the dma-kmalloc-* caches are not simulated");
        }
        if (cpu < 0 || cpu >= phys.config().totalCpus()) {
            throw new KernelInputException("cpu", "cpu " + cpu + " does not exist");
        }
        if (nid < -1 || nid >= phys.nrNodes()) {
            throw new KernelInputException("node", "node " + nid + " does not exist");
        }
        int node = nid >= 0 ? nid : phys.cpuToNode(cpu);
        if (bytes == 0) {
            return new Kmalloc(ZERO_SIZE_PTR, null, 0, -1, -1, -1, null);
        }
        if (bytes > KMALLOC_MAX_CACHE_SIZE) {
            return kmallocLarge(bytes, gfp, node, cpu);
        }
        KmemCache s = kmallocCache(bytes);
        long address = kmemCacheAlloc(s, gfp, node, cpu, (int) bytes);
        if (address == 0) {
            return new Kmalloc(0, s.name, s.size, s.order, -1, -1, "no memory for a new " + s.name + " slab of order "
                    + s.order);
        }
        Slab slab = slabOf(address);
        return new Kmalloc(address, s.name, s.size, s.order, slab.pfn, slab.nid, null);
    }

    private Kmalloc kmallocLarge(long bytes, int gfp, int node, int cpu) {
        if (bytes > KMALLOC_MAX_SIZE) {
            return new Kmalloc(0, null, bytes, -1, -1, -1, "size exceeds KMALLOC_MAX_SIZE (" + KMALLOC_MAX_SIZE + ")");
        }
        int order = KmemCache.getOrder(bytes);
        AllocResult r = phys.allocPages(new AllocRequest(order, gfp | Gfp.__GFP_COMP, node, cpu, null,
                MemPolicy.NO_INTERLEAVE_INDEX, null));
        if (!r.ok()) {
            return new Kmalloc(0, null, 1L << (order + Arch.PAGE_SHIFT), order, -1, -1, r.reason());
        }
        phys.setKernelPageOwner(r.pfn(), PageStore.OWNER_KMALLOC_LARGE);
        large.put(r.pfn(), new long[] {order, bytes});
        return new Kmalloc(address(r.pfn(), 0), null, 1L << (order + Arch.PAGE_SHIFT), order, r.pfn(), r.nid(), null);
    }

    // ================================================================ kmem_cache_alloc / free

    /**
     * {@code kmem_cache_alloc_node(s, gfp, nid)}: the lowest free object of the first slab on the
     * node's partial list, else a new slab ({@code new_slab}: {@code alloc_pages_node(nid,
     * gfp | __GFP_COMP, s->order)}, which may fall back to another node). Answers the object's
     * address, or 0 when no slab page could be had.
     */
    long kmemCacheAlloc(KmemCache s, int gfp, int nid, int cpu, int requestedBytes) {
        List<Slab> list = s.partial.get(nid);
        Slab slab = list.isEmpty() ? newSlab(s, gfp, nid, cpu) : list.get(0);
        if (slab == null) {
            return 0;
        }
        int index = slab.lowestFree();
        slab.take(index, requestedBytes);
        s.activeObjects++;
        if (slab.inuse == s.objects) {
            s.partial.get(slab.nid).remove(slab);
            s.full.get(slab.nid).add(slab);
        }
        return address(slab.pfn, (long) index * s.size);
    }

    private Slab newSlab(KmemCache s, int gfp, int nid, int cpu) {
        int pageGfp = (gfp & SLAB_PAGE_GFP_MASK) | Gfp.__GFP_COMP;
        AllocResult r = phys.allocPages(new AllocRequest(s.order, pageGfp, nid, cpu, null,
                MemPolicy.NO_INTERLEAVE_INDEX, null));
        if (!r.ok()) {
            return null;
        }
        phys.setKernelPageOwner(r.pfn(), PageStore.OWNER_SLAB);
        Slab slab = new Slab(s, r.pfn(), r.nid());
        s.partial.get(slab.nid).add(0, slab);
        s.nrSlabs++;
        slabs.put(slab.pfn, slab);
        return slab;
    }

    /** {@code kmem_cache_free(s, object)} of an object known to be allocated from {@code s}. */
    void kmemCacheFree(KmemCache s, long address) {
        Slab slab = slabOf(address);
        if (slab == null || slab.cache != s) {
            throw new IllegalStateException("0x" + Long.toHexString(address) + " is not an object of " + s.name);
        }
        slabFree(slab, objectIndex(slab, address));
    }

    /** {@code __slab_free}: a full slab returns to the partial list's tail; an empty one to the buddy allocator. */
    private void slabFree(Slab slab, int index) {
        KmemCache s = slab.cache;
        boolean wasFull = slab.inuse == s.objects;
        slab.put(index);
        s.activeObjects--;
        if (wasFull) {
            s.full.get(slab.nid).remove(slab);
            s.partial.get(slab.nid).add(slab);
        }
        if (slab.inuse == 0) {
            discardSlab(slab);
        }
    }

    /** {@code discard_slab}: the slab's frames go back to the buddy allocator ({@code __free_slab}). */
    private void discardSlab(Slab slab) {
        KmemCache s = slab.cache;
        s.partial.get(slab.nid).remove(slab);
        s.nrSlabs--;
        slabs.remove(slab.pfn);
        phys.freePages(slab.pfn, s.order);
    }

    // ================================================================ kfree

    /** What {@code kfree} did: the cache the object went back to, or the order of a large kmalloc. */
    public record Kfree(long address, String cache, int order, boolean slabFreed) {
    }

    /**
     * {@code kfree(address)}: NULL and {@code ZERO_SIZE_PTR} are ignored; an object of a kmalloc
     * cache goes back to its slab; a large kmalloc's pages to the buddy allocator. Anything else
     * (not an object start, already free, an object of a named cache the simulated kernel owns)
     * would be a kernel bug and is refused, naming the field.
     */
    public Kfree kfree(long address) {
        if (address == 0 || address == ZERO_SIZE_PTR) {
            return new Kfree(address, null, -1, false);
        }
        long pfn = directMapPfn(address);
        long offset = (address - pageOffset) & ((1L << Arch.PAGE_SHIFT) - 1);
        long[] big = large.get(pfn);
        if (big != null && offset == 0) {
            large.remove(pfn);
            phys.freePages(pfn, (int) big[0]);
            return new Kfree(address, null, (int) big[0], true);
        }
        Slab slab = slabOf(address);
        if (slab == null) {
            throw new KernelInputException("address", hex(address) + " is not a kmalloc object: no slab holds pfn " + pfn);
        }
        KmemCache s = slab.cache;
        long byteOffset = address - address(slab.pfn, 0);
        if (byteOffset % s.size != 0 || byteOffset / s.size >= s.objects) {
            throw new KernelInputException("address", hex(address) + " points into an object of " + s.name
                    + " but not to its start (objects are " + s.size + " bytes)");
        }
        if (!s.name.startsWith("kmalloc-")) {
            throw new KernelInputException("address", hex(address) + " is a " + s.name
                    + " object the simulated kernel owns; only kmalloc objects can be freed here");
        }
        int index = (int) (byteOffset / s.size);
        if (slab.isFree(index)) {
            throw new KernelInputException("address", hex(address) + " is already free (double free in " + s.name + ")");
        }
        boolean last = slab.inuse == 1;
        slabFree(slab, index);
        return new Kfree(address, s.name, s.order, last);
    }

    private long directMapPfn(long address) {
        long maxBytes = phys.maxPfn() << Arch.PAGE_SHIFT;
        if (Long.compareUnsigned(address, pageOffset) < 0 || Long.compareUnsigned(address - pageOffset, maxBytes) >= 0) {
            throw new KernelInputException("address", hex(address) + " is not in the direct map (PAGE_OFFSET "
                    + hex(pageOffset) + ")");
        }
        return (address - pageOffset) >>> Arch.PAGE_SHIFT;
    }

    /** The slab holding the direct-map {@code address}, or null. */
    Slab slabOf(long address) {
        if (Long.compareUnsigned(address, pageOffset) < 0) {
            return null;
        }
        long pfn = (address - pageOffset) >>> Arch.PAGE_SHIFT;
        Map.Entry<Long, Slab> e = slabs.floorEntry(pfn);
        if (e == null || pfn >= e.getKey() + (1L << e.getValue().cache.order)) {
            return null;
        }
        return e.getValue();
    }

    private int objectIndex(Slab slab, long address) {
        return (int) ((address - address(slab.pfn, 0)) / slab.cache.size);
    }

    /** The direct-map address of byte {@code offset} of frame {@code pfn}: {@code page_address(page) + offset}. */
    public long address(long pfn, long offset) {
        return pageOffset + (pfn << Arch.PAGE_SHIFT) + offset;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // ================================================================ views

    /**
     * A cache as /proc/slabinfo and the slabs view show it: {@code active_objs}, {@code num_objs},
     * {@code objsize}, {@code objperslab}, {@code pagesperslab}, {@code active_slabs}/{@code num_slabs}
     * (equal under SLUB: every slab counts as active), and the internal fragmentation: bytes the
     * callers asked for against bytes the objects take.
     */
    public record CacheInfo(String name, long activeObjs, long numObjs, int objsize, int objperslab, int pagesperslab,
                            long activeSlabs, long numSlabs, int order, long requestedBytes, long allocatedBytes,
                            long partialSlabs, long fullSlabs) {
        /** Bytes lost inside objects: allocated − requested. */
        public long wastedBytes() {
            return allocatedBytes - requestedBytes;
        }
    }

    public List<CacheInfo> cacheInfo() {
        List<CacheInfo> out = new ArrayList<>(caches.size());
        for (KmemCache s : caches) {
            long partialSlabs = 0;
            long fullSlabs = 0;
            for (int nid = 0; nid < s.partial.size(); nid++) {
                partialSlabs += s.partial.get(nid).size();
                fullSlabs += s.full.get(nid).size();
            }
            out.add(new CacheInfo(s.name, s.activeObjects, s.nrSlabs * s.objects, s.size, s.objects, 1 << s.order,
                    s.nrSlabs, s.nrSlabs, s.order, s.requestedBytes(), s.activeObjects * s.size, partialSlabs,
                    fullSlabs));
        }
        return out;
    }

    /** Large kmallocs: {@code [pfn, order, requested bytes]} in pfn order. */
    public List<long[]> largeAllocations() {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : large.entrySet()) {
            out.add(new long[] {e.getKey(), e.getValue()[0], e.getValue()[1]});
        }
        return out;
    }

    // ================================================================ invariants

    /**
     * Every slab is an allocated block of its cache's order flagged as slab; inuse ≤ objects, and
     * the lists hold partial and full slabs only; the counters add up; every slab or large-kmalloc
     * frame of the page store is one of ours.
     */
    public void checkInvariants() {
        long slabHeads = 0;
        for (KmemCache s : caches) {
            long active = 0;
            long n = 0;
            for (int nid = 0; nid < s.partial.size(); nid++) {
                for (Slab slab : s.partial.get(nid)) {
                    checkSlab(s, slab, nid, slab.inuse > 0 && slab.inuse < s.objects, "partial");
                    active += slab.inuse;
                    n++;
                }
                for (Slab slab : s.full.get(nid)) {
                    checkSlab(s, slab, nid, slab.inuse == s.objects, "full");
                    active += slab.inuse;
                    n++;
                }
            }
            if (active != s.activeObjects || n != s.nrSlabs) {
                throw new IllegalStateException(s.name + ": counts " + s.activeObjects + " objects in " + s.nrSlabs
                        + " slabs, lists hold " + active + " in " + n);
            }
            slabHeads += n;
        }
        if (slabHeads != slabs.size()) {
            throw new IllegalStateException("slab index holds " + slabs.size() + " slabs, caches " + slabHeads);
        }
        long storeSlabs = 0;
        long storeLarge = 0;
        for (long head : phys.allocatedHeads()) {
            int owner = phys.pageOwner(head);
            if (owner == PageStore.OWNER_SLAB) {
                storeSlabs++;
                if (!slabs.containsKey(head)) {
                    throw new IllegalStateException("frame " + head + " is flagged slab but no cache owns it (leak)");
                }
            } else if (owner == PageStore.OWNER_KMALLOC_LARGE) {
                storeLarge++;
                long[] big = large.get(head);
                if (big == null || phys.pageOrder(head) != big[0]) {
                    throw new IllegalStateException("frame " + head + " is a large kmalloc nobody holds");
                }
            }
        }
        if (storeSlabs != slabs.size() || storeLarge != large.size()) {
            throw new IllegalStateException("page store has " + storeSlabs + " slab and " + storeLarge
                    + " large-kmalloc blocks, SLUB holds " + slabs.size() + " and " + large.size());
        }
    }

    private void checkSlab(KmemCache s, Slab slab, int nid, boolean rightList, String list) {
        if (slab.cache != s || slab.nid != nid || !rightList || slab.inuse < 0 || slab.inuse > s.objects) {
            throw new IllegalStateException(s.name + ": slab at pfn " + slab.pfn + " with " + slab.inuse + "/"
                    + s.objects + " objects is misfiled on node " + nid + "'s " + list + " list");
        }
        if (slabs.get(slab.pfn) != slab || phys.pageOwner(slab.pfn) != PageStore.OWNER_SLAB
                || phys.pageOrder(slab.pfn) != s.order) {
            throw new IllegalStateException(s.name + ": slab at pfn " + slab.pfn
                    + " is not an allocated order-" + s.order + " block flagged slab");
        }
        int inuse = 0;
        for (int i = 0; i < s.objects; i++) {
            if (!slab.isFree(i)) {
                inuse++;
            } else if (slab.requestedBytes[i] != 0) {
                throw new IllegalStateException(s.name + ": free object " + i + " of slab " + slab.pfn + " has a size");
            }
        }
        if (inuse != slab.inuse) {
            throw new IllegalStateException(s.name + ": slab " + slab.pfn + " inuse " + slab.inuse + " but "
                    + inuse + " objects taken");
        }
    }

    // ================================================================ snapshot

    /** Caches in slabinfo order, each node's partial then full list in order, each slab's objects; then large kmallocs. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeShort(caches.size());
        for (KmemCache s : caches) {
            out.writeUTF(s.name);
            for (int nid = 0; nid < s.partial.size(); nid++) {
                writeList(out, s.partial.get(nid));
                writeList(out, s.full.get(nid));
            }
        }
        out.writeInt(large.size());
        for (Map.Entry<Long, long[]> e : large.entrySet()) {
            out.writeLong(e.getKey());
            out.writeByte((int) e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
    }

    private static void writeList(DataOutputStream out, List<Slab> list) throws IOException {
        out.writeInt(list.size());
        for (Slab slab : list) {
            out.writeLong(slab.pfn);
            out.writeShort(slab.inuse);
            for (int i = 0; i < slab.cache.objects; i++) {
                if (!slab.isFree(i)) {
                    out.writeShort(i);
                    out.writeInt(slab.requestedBytes[i]);
                }
            }
        }
    }

    /** Reads what {@link #writeTo} wrote into this freshly built allocator (its pages are in {@code phys} already). */
    public void readFrom(DataInputStream in) throws IOException {
        int n = in.readShort();
        if (n != caches.size()) {
            throw new IOException("snapshot has " + n + " slab caches, this kernel " + caches.size());
        }
        for (KmemCache s : caches) {
            if (!in.readUTF().equals(s.name)) {
                throw new IOException("slab cache order differs at " + s.name);
            }
            for (int nid = 0; nid < s.partial.size(); nid++) {
                readList(in, s, nid, s.partial.get(nid));
                readList(in, s, nid, s.full.get(nid));
            }
        }
        int nrLarge = in.readInt();
        for (int i = 0; i < nrLarge; i++) {
            long pfn = in.readLong();
            int order = in.readByte();
            large.put(pfn, new long[] {order, in.readLong()});
        }
    }

    private void readList(DataInputStream in, KmemCache s, int nid, List<Slab> list) throws IOException {
        int n = in.readInt();
        for (int k = 0; k < n; k++) {
            Slab slab = new Slab(s, in.readLong(), nid);
            int inuse = in.readShort();
            for (int j = 0; j < inuse; j++) {
                int index = in.readShort();
                if (index < 0 || index >= s.objects) {
                    throw new IOException("bad object index " + index + " in " + s.name);
                }
                slab.take(index, in.readInt());
            }
            list.add(slab);
            slabs.put(slab.pfn, slab);
            s.nrSlabs++;
            s.activeObjects += inuse;
        }
    }
}
