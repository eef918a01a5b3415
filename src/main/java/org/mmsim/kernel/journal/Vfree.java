package org.mmsim.kernel.journal;

import org.mmsim.kernel.machine.Machine;

/**
 * {@code vfree(address)}, mm/vmalloc.c: unmaps the area and frees its pages (the page tables stay).
 *
 * @param address what {@link Vmalloc} returned (0 is ignored)
 */
public record Vfree(long address) implements Operation {

    /** How many pages went back to the buddy allocator. */
    public record Result(long address, int pages) implements OperationResult {
    }

    @Override
    public String opName() {
        return "vfree";
    }

    @Override
    public Result applyTo(Machine machine) {
        var area = machine.vmalloc().vfree(address);
        return new Result(address, area == null ? 0 : area.pfns().length);
    }
}
