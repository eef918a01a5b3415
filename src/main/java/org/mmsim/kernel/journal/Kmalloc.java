package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.slab.Slub;

/**
 * {@code kmalloc_node(size, gfp, node)}, include/linux/slab.h and mm/slub.c: an object of the
 * kmalloc size class, or pages above {@code KMALLOC_MAX_CACHE_SIZE}.
 *
 * @param size bytes asked for
 * @param gfp  GFP flags as the kernel spells them ({@code "GFP_KERNEL"})
 * @param node the node to allocate on, or -1 for the node of {@code cpu}
 * @param cpu  the CPU the caller runs on
 */
public record Kmalloc(long size, String gfp, int node, int cpu) implements Operation {

    /**
     * The object's direct-map address (0 for NULL, with the reason), its cache (null for a large
     * kmalloc, whose {@code order} is then the page order), its size and the slab's frame.
     */
    public record Result(long address, String cache, long objectSize, int order, long pfn, int node, String reason)
            implements OperationResult {
    }

    @Override
    public String opName() {
        return "kmalloc";
    }

    @Override
    public Result applyTo(Machine machine) {
        Slub.Kmalloc r = machine.slub().kmalloc(size, Gfp.parse(gfp), node, cpu);
        return new Result(r.address(), r.cache(), r.objectSize(), r.order(), r.pfn(), r.nid(), r.reason());
    }
}
