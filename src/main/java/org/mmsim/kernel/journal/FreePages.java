package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;

/**
 * Frees a block a kernel-level allocation returned: {@code __free_pages(page, order)}, mm/page_alloc.c.
 *
 * @param pfn   the first frame of the block
 * @param order the order it was allocated with
 */
public record FreePages(long pfn, int order) implements Operation {

    /** The block went back to the buddy allocator, merged with its free buddies up to {@code mergedOrder}. */
    public record Result(long pfn, int order) implements OperationResult {
    }

    @Override
    public String opName() {
        return "free_pages";
    }

    @Override
    public Result applyTo(Machine machine) {
        machine.phys().freePages(pfn, order);
        return new Result(pfn, order);
    }
}
