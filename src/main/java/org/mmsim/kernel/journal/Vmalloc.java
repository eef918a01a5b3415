package org.mmsim.kernel.journal;

import java.util.Arrays;
import java.util.List;
import org.mmsim.kernel.machine.Machine;

/**
 * {@code vmalloc(size)}, mm/vmalloc.c: a virtually contiguous kernel area over order-0 frames
 * allocated one by one.
 *
 * @param size bytes (rounded up to pages)
 * @param cpu  the CPU the caller runs on: the pages come from its node
 */
public record Vmalloc(long size, int cpu) implements Operation {

    /** How many of an area's frames a result lists: the answer (and its journal row) stays small for any size. */
    public static final int MAX_LISTED_PAGES = 1024;

    /**
     * The area's address (0 for NULL, with the reason), the frames of its first pages in address order
     * (at most {@link #MAX_LISTED_PAGES}; all of them are in the machine's vmalloc view), how many pages
     * it has, and its size with the guard page.
     */
    public record Result(long address, List<Long> pfns, long nrPages, long size, String reason) implements OperationResult {
    }

    @Override
    public String opName() {
        return "vmalloc";
    }

    @Override
    public Result applyTo(Machine machine) {
        var r = machine.vmalloc().vmalloc(size, cpu);
        if (r.area() == null) {
            return new Result(0, List.of(), 0, 0, r.reason());
        }
        long[] pfns = r.area().pfns();
        return new Result(r.area().address(), Arrays.stream(pfns).limit(MAX_LISTED_PAGES).boxed().toList(), pfns.length,
                r.area().size(), null);
    }
}
