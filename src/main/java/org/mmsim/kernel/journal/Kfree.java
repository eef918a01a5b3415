package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.slab.Slub;

/**
 * {@code kfree(address)}, mm/slub.c: an object back to its slab (an emptied slab back to the
 * buddy allocator), or a large kmalloc's pages back to the buddy allocator.
 *
 * @param address what {@link Kmalloc} returned (0 and {@code ZERO_SIZE_PTR} are ignored)
 */
public record Kfree(long address) implements Operation {

    /** The cache the object went back to (null for a large kmalloc or a no-op) and whether its slab was freed. */
    public record Result(long address, String cache, int order, boolean slabFreed) implements OperationResult {
    }

    @Override
    public String opName() {
        return "kfree";
    }

    @Override
    public Result applyTo(Machine machine) {
        Slub.Kfree r = machine.slub().kfree(address);
        return new Result(r.address(), r.cache(), r.order(), r.slabFreed());
    }
}
