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

    /** The area's address (0 for NULL, with the reason), its pages in address order, and its size with the guard page. */
    public record Result(long address, List<Long> pfns, long size, String reason) implements OperationResult {
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
        return new Result(r.area().address(), Arrays.stream(r.area().pfns()).boxed().toList(), r.area().size(), null);
    }
}
