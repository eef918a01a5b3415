package org.mmsim.kernel.slab;

import java.util.ArrayList;
import java.util.List;

/**
 * A slab cache: {@code struct kmem_cache}, mm/slab.h, with its per-node lists
 * ({@code struct kmem_cache_node}: {@code partial}, and the {@code full} list SLUB keeps only
 * under debugging — kept here so every slab can be listed).
 *
 * <p>No per-CPU slab ({@code kmem_cache_cpu}): objects come straight from the first slab of the
 * node's partial list. A new slab goes to the head of that list; a full slab that gets an object
 * back goes to its tail ({@code add_partial(n, slab, DEACTIVATE_TO_TAIL)} in {@code __slab_free});
 * a slab whose last object is freed goes back to the buddy allocator at once ({@code discard_slab}
 * without keeping {@code min_partial} empty slabs).
 */
public final class KmemCache {
    /** {@code slub_max_order}: PAGE_ALLOC_COSTLY_ORDER. */
    public static final int SLUB_MAX_ORDER = 3;
    /** {@code MAX_OBJS_PER_PAGE}: {@code slab->objects} is 15 bits. */
    static final int MAX_OBJS_PER_PAGE = 32767;
    private static final int PAGE_SHIFT = 12;

    final String name;
    /** {@code s->size}: the object with alignment and metadata, what slabinfo calls objsize. */
    final int size;
    /** {@code oo_order(s->oo)}. */
    final int order;
    /** {@code oo_objects(s->oo)}: objects per slab. */
    final int objects;
    /** Per node: slabs with free and used objects, in allocation order. */
    final List<List<Slab>> partial = new ArrayList<>();
    /** Per node: slabs without a free object. */
    final List<List<Slab>> full = new ArrayList<>();
    long activeObjects;
    long nrSlabs;

    KmemCache(String name, int size, int nrCpus, int nrNodes) {
        this.name = name;
        this.size = size;
        this.order = calculateOrder(size, nrCpus);
        this.objects = orderObjects(order, size);
        for (int nid = 0; nid < nrNodes; nid++) {
            partial.add(new ArrayList<>());
            full.add(new ArrayList<>());
        }
    }

    public String name() {
        return name;
    }

    /** {@code s->size} in bytes. */
    public int size() {
        return size;
    }

    public int order() {
        return order;
    }

    /** Objects per slab. */
    public int objects() {
        return objects;
    }

    /** {@code order_objects()}: how many objects of {@code size} fit in {@code 2^order} pages. */
    static int orderObjects(int order, int size) {
        return (int) ((1L << (order + PAGE_SHIFT)) / size);
    }

    /**
     * {@code calculate_order()}, mm/slub.c: the smallest order holding {@code min_objects =
     * 4 * (fls(nr_cpus) + 1)} objects (capped at what fits in {@code slub_max_order}) whose leftover
     * is at most 1/16 of the slab, relaxing to 1/8, 1/4, 1/2; else {@code get_order(size)}.
     * With 2 CPUs (min_objects 12): kmalloc-512 → order 1 (16 objects), kmalloc-1k → 2, kmalloc-2k
     * → 3, kmalloc-4k → min(12, 8) = 8 objects → order 3, task_struct (4224) → 7 objects in order 3.
     */
    static int calculateOrder(int size, int nrCpus) {
        int minObjects = 4 * (fls(Math.max(1, nrCpus)) + 1);
        int maxObjects = Math.max(orderObjects(SLUB_MAX_ORDER, size), 1);
        minObjects = Math.min(minObjects, maxObjects);
        int minOrder = getOrder((long) minObjects * size);
        if (orderObjects(minOrder, size) > MAX_OBJS_PER_PAGE) {
            return getOrder((long) size * MAX_OBJS_PER_PAGE) - 1;
        }
        for (int fraction = 16; fraction > 1; fraction /= 2) {
            int order = calcSlabOrder(size, minOrder, SLUB_MAX_ORDER, fraction);
            if (order <= SLUB_MAX_ORDER) {
                return order;
            }
        }
        return getOrder(size);
    }

    /** {@code calc_slab_order()}: the first order from {@code minOrder} whose leftover is at most 1/fraction. */
    private static int calcSlabOrder(int size, int minOrder, int maxOrder, int fraction) {
        int order;
        for (order = minOrder; order <= maxOrder; order++) {
            long slabSize = 1L << (order + PAGE_SHIFT);
            if (slabSize % size <= slabSize / fraction) {
                break;
            }
        }
        return order;
    }

    /** {@code get_order()}: the order of the smallest block of at least {@code bytes}: 4096 → 0, 4097 → 1. */
    static int getOrder(long bytes) {
        long pages = (bytes + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
        return pages <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(pages - 1);
    }

    /** {@code fls()}: the 1-based index of the highest set bit: fls(1) = 1, fls(2) = 2, fls(8) = 4. */
    private static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }

    /** Slabs of every node, partial first, in list order. */
    List<Slab> allSlabs() {
        List<Slab> out = new ArrayList<>();
        for (int nid = 0; nid < partial.size(); nid++) {
            out.addAll(partial.get(nid));
            out.addAll(full.get(nid));
        }
        return out;
    }

    /** Σ bytes callers asked for, over the allocated objects. */
    long requestedBytes() {
        long sum = 0;
        for (Slab s : allSlabs()) {
            sum += s.requestedTotal();
        }
        return sum;
    }
}
