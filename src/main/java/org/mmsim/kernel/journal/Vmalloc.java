package org.mmsim.kernel.journal;

import java.util.Arrays;
import java.util.List;
import org.mmsim.kernel.machine.Arch;
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
     * (at most {@link #MAX_LISTED_PAGES}; all of them are in the machine's vmalloc view), and its size
     * with the guard page.
     */
    public record Result(long address, List<Long> pfns, long size, String reason) implements OperationResult {

        /** The pages of the area: its size less the guard page; 0 for NULL. */
        public long nrPages() {
            return size == 0 ? 0 : size / Arch.PAGE_SIZE - 1;
        }
    }

    @Override
    public String opName() {
        return "vmalloc";
    }

    @Override
    public Result applyTo(Machine machine) {
        var r = machine.vmalloc().vmalloc(size, cpu);
        if (r.area() == null) {
            return new Result(0, List.of(), 0, r.reason());
        }
        return new Result(r.area().address(), Arrays.stream(r.area().pfns()).limit(MAX_LISTED_PAGES).boxed().toList(),
                r.area().size(), null);
    }
}
