package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.slab.Slub;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The SLUB caches as JSON, with their internal fragmentation. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/kernel", produces = "application/json")
@Tag(name = "Physical memory", description = "Nodes, zones, the buddy allocator and kernel-level allocations.")
class SlabController {

    private final SessionService sessions;

    SlabController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Schema(description = "A slab cache (struct kmem_cache) and its internal fragmentation.")
    record CacheView(
            @Schema(example = "kmalloc-128") String name,
            @Schema(description = "Allocated objects (slabinfo active_objs).") long activeObjs,
            @Schema(description = "Objects in all slabs (num_objs).") long numObjs,
            @Schema(description = "s->size in bytes (objsize).") int objsize,
            int objperslab, int pagesperslab,
            @Schema(description = "Page order of each slab.") int order,
            long numSlabs, long partialSlabs, long fullSlabs,
            @Schema(description = "Bytes the callers asked for, over the allocated objects.") long requestedBytes,
            @Schema(description = "Bytes the allocated objects take: activeObjs × objsize.") long allocatedBytes,
            @Schema(description = "allocatedBytes − requestedBytes: lost inside objects.") long wastedBytes,
            @Schema(description = "wastedBytes / allocatedBytes; 0 without objects.") double internalFragmentation) {

        static CacheView from(Slub.CacheInfo c) {
            double frag = c.allocatedBytes() == 0 ? 0 : (double) c.wastedBytes() / c.allocatedBytes();
            return new CacheView(c.name(), c.activeObjs(), c.numObjs(), c.objsize(), c.objperslab(), c.pagesperslab(),
                    c.order(), c.numSlabs(), c.partialSlabs(), c.fullSlabs(), c.requestedBytes(), c.allocatedBytes(),
                    c.wastedBytes(), frag);
        }
    }

    @Schema(description = "A kmalloc above 8 KiB: pages straight from the page allocator.")
    record LargeKmallocView(long pfn, String address, int order, long requestedBytes, long allocatedBytes) {
    }

    @Schema(description = "The slab caches in /proc/slabinfo order and the large kmallocs.")
    record SlabsView(List<CacheView> caches, List<LargeKmallocView> largeKmallocs) {

        static SlabsView from(Machine m) {
            return new SlabsView(m.slub().cacheInfo().stream().map(CacheView::from).toList(),
                    m.slub().largeAllocations().stream().map(l -> new LargeKmallocView(l[0],
                            Sizes.hex(m.slub().address(l[0], 0)), (int) l[1], l[2], 4096L << l[1])).toList());
        }
    }

    @GetMapping("/slabs")
    @Operation(operationId = "slabs", summary = "The slab caches with requested vs allocated bytes",
            description = "The caches of /proc/slabinfo in the same order, with partial and full slab counts and the "
                    + "internal fragmentation per cache: bytes kmalloc callers asked for against the object size they "
                    + "got (kmalloc(100) takes 128). Named caches count their whole object size as requested.")
    SlabsView slabs(@PathVariable String sid) {
        return sessions.read(sid, SlabsView::from);
    }
}
