package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Kernel-level allocations: what a driver or the kernel itself asks of the buddy allocator. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/kernel", produces = "application/json", consumes = "application/json")
@Tag(name = "Physical memory", description = "Nodes, zones, the buddy allocator and kernel-level allocations.")
class KernelController {

    private final SessionService sessions;
    private final OperationRequests requests;

    KernelController(SessionService sessions, OperationRequests requests) {
        this.sessions = sessions;
        this.requests = requests;
    }

    @Schema(description = "The block alloc_pages handed out, or pfn null with the reason it failed (a simulated "
            + "outcome, like a NULL return in the kernel).")
    record AllocPagesResponse(
            @Schema(description = "The session's version after this operation.") long version,
            @Schema(description = "First frame of the block; null when the allocation failed.", example = "4096")
            Long pfn,
            @Schema(description = "Node the block came from.") Integer node,
            @Schema(description = "Zone the block came from.", example = "DMA32") String zone,
            @Schema(example = "3") int order,
            @Schema(description = "Why the allocation failed; null on success.") String reason) {

        static AllocPagesResponse from(long version, AllocPages.Result r) {
            boolean ok = r.pfn() >= 0;
            return new AllocPagesResponse(version, ok ? r.pfn() : null, ok ? r.node() : null, ok ? r.zone() : null,
                    r.order(), r.reason());
        }
    }

    @Schema(description = "The block went back to the buddy allocator.")
    record FreePagesResponse(long version, long pfn, int order) {
    }

    @PostMapping("/alloc-pages")
    @Operation(operationId = "allocPages", summary = "alloc_pages: allocate 2^order contiguous frames",
            description = "Walks the zonelist of the preferred node from the highest zone the GFP flags allow, "
                    + "takes the first zone above its watermark, and splits the smallest free block of at least "
                    + "the requested order (__rmqueue_smallest). A request the machine cannot satisfy answers 200 "
                    + "with pfn null and the reason.")
    AllocPagesResponse allocPages(@PathVariable String sid, @RequestBody OperationRequests.AllocPagesRequest body) {
        var applied = sessions.apply(sid, List.of(requests.allocPages(body, ""))).get(0);
        return AllocPagesResponse.from(applied.version(), (AllocPages.Result) applied.result());
    }

    @PostMapping("/free-pages")
    @Operation(operationId = "freePages", summary = "__free_pages: free a block, merging it with free buddies",
            description = "The block must be one alloc-pages returned, with the same order. Freeing merges it with "
                    + "its buddy (pfn ^ (1 << order)) while the buddy is free at the same order (__free_one_page).")
    FreePagesResponse freePages(@PathVariable String sid, @RequestBody OperationRequests.FreePagesRequest body) {
        var applied = sessions.apply(sid, List.of(requests.freePages(body, ""))).get(0);
        FreePages.Result r = (FreePages.Result) applied.result();
        return new FreePagesResponse(applied.version(), r.pfn(), r.order());
    }
}
