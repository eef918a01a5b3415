package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.journal.Kfree;
import org.mmsim.kernel.journal.Kmalloc;
import org.mmsim.kernel.journal.Vfree;
import org.mmsim.kernel.journal.Vmalloc;
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
        var applied = sessions.apply(sid, requests.allocPages(body, ""));
        return AllocPagesResponse.from(applied.version(), (AllocPages.Result) applied.result());
    }

    @PostMapping("/free-pages")
    @Operation(operationId = "freePages", summary = "__free_pages: free a block, merging it with free buddies",
            description = "The block must be one alloc-pages returned, with the same order. Freeing merges it with "
                    + "its buddy (pfn ^ (1 << order)) while the buddy is free at the same order (__free_one_page).")
    FreePagesResponse freePages(@PathVariable String sid, @RequestBody OperationRequests.FreePagesRequest body) {
        var applied = sessions.apply(sid, requests.freePages(body, ""));
        FreePages.Result r = (FreePages.Result) applied.result();
        return new FreePagesResponse(applied.version(), r.pfn(), r.order());
    }

    @Schema(description = "What kmalloc returned: the object's direct-map address, or address null with the reason "
            + "(the kernel's NULL).")
    record KmallocResponse(
            @Schema(description = "The session's version after this operation.") long version,
            @Schema(description = "Direct-map virtual address: PAGE_OFFSET + (pfn << 12) + offset; 0x10 "
                    + "(ZERO_SIZE_PTR) for kmalloc(0); null when the allocation failed.",
                    example = "\"0xffff888003000000\"") String address,
            @Schema(description = "The kmalloc cache; null above 8 KiB (pages from the page allocator).",
                    example = "kmalloc-128") String cache,
            @Schema(description = "Bytes the object really takes (the cache's object size, or 2^order pages).",
                    example = "128") long objectSize,
            @Schema(description = "Page order of the slab, or of the pages of a large kmalloc.") int order,
            @Schema(description = "First frame of the slab or pages; null on failure.") Long pfn,
            @Schema(description = "Node of that frame.") Integer node,
            @Schema(description = "Why kmalloc returned NULL; null on success.") String reason) {

        static KmallocResponse from(long version, Kmalloc.Result r) {
            boolean ok = r.address() != 0;
            return new KmallocResponse(version, ok ? Sizes.hex(r.address()) : null, r.cache(), r.objectSize(), r.order(),
                    r.pfn() >= 0 ? r.pfn() : null, r.node() >= 0 ? r.node() : null, r.reason());
        }
    }

    @Schema(description = "The object went back to its cache (an emptied slab to the buddy allocator).")
    record KfreeResponse(long version, String address,
            @Schema(description = "The cache; null for a large kmalloc or a no-op kfree(NULL/ZERO_SIZE_PTR).") String cache,
            @Schema(description = "Whether the object's slab (or the large kmalloc's pages) went back to the buddy "
                    + "allocator.") boolean slabFreed) {
    }

    @Schema(description = "A vmalloc area: virtually contiguous, each page its own order-0 frame.")
    record VmallocResponse(long version,
            @Schema(description = "Start of the area in the vmalloc range; null when vmalloc failed.",
                    example = "\"0xffffc90000000000\"") String address,
            @Schema(description = "Each page's kernel virtual address and frame, in address order: the first 1024 "
                    + "pages (nrPages says how many there are; GET …/versions/{v} lists every frame).")
            List<VmallocPage> pages,
            @Schema(description = "vm->size: the pages plus the one-page guard hole.", example = "16384") long size,
            @Schema(description = "Why vmalloc returned NULL; null on success.") String reason,
            @Schema(description = "Pages in the area (size / 4096 - 1).", example = "3") long nrPages) {

        static VmallocResponse from(long version, Vmalloc.Result r) {
            if (r.address() == 0) {
                return new VmallocResponse(version, null, List.of(), 0, r.reason(), 0);
            }
            List<VmallocPage> pages = new java.util.ArrayList<>();
            for (int i = 0; i < r.pfns().size(); i++) {
                pages.add(new VmallocPage(Sizes.hex(r.address() + ((long) i << 12)), r.pfns().get(i)));
            }
            return new VmallocResponse(version, Sizes.hex(r.address()), pages, r.size(), null, r.nrPages());
        }
    }

    record VmallocPage(@Schema(example = "\"0xffffc90000000000\"") String address, long pfn) {
    }

    record VfreeResponse(long version, String address,
            @Schema(description = "Frames given back to the buddy allocator.") int pages) {
    }

    @PostMapping("/kmalloc")
    @Operation(operationId = "kmalloc", summary = "kmalloc: an object from the kmalloc size class",
            description = "Up to 192 bytes the kmalloc_size_index table picks the cache (65-96 → kmalloc-96, 129-192 → "
                    + "kmalloc-192), above that the next power of two up to kmalloc-8k. The object is the lowest free one "
                    + "of the first slab on the node's partial list; with none, a new slab of the cache's order comes "
                    + "from the buddy allocator. Above 8 KiB the pages come straight from the page allocator "
                    + "(get_order(size)); above 4 MiB kmalloc fails. A failure answers 200 with address null.")
    KmallocResponse kmalloc(@PathVariable String sid, @RequestBody OperationRequests.KmallocRequest body) {
        var applied = sessions.apply(sid, requests.kmalloc(body, ""));
        return KmallocResponse.from(applied.version(), (Kmalloc.Result) applied.result());
    }

    @PostMapping("/kfree")
    @Operation(operationId = "kfree", summary = "kfree: give a kmalloc object back",
            description = "The object returns to its slab; a slab whose last object is freed goes back to the buddy "
                    + "allocator (the simulator keeps no empty slabs). NULL and ZERO_SIZE_PTR are ignored. A pointer "
                    + "kmalloc did not return, an interior pointer, a double free or an object of a kernel-owned cache "
                    + "(task_struct, …) would be a kernel bug: answered with a problem naming the address field, "
                    + "nothing changed.")
    KfreeResponse kfree(@PathVariable String sid, @RequestBody OperationRequests.KfreeRequest body) {
        var applied = sessions.apply(sid, requests.kfree(body, ""));
        Kfree.Result r = (Kfree.Result) applied.result();
        return new KfreeResponse(applied.version(), Sizes.hex(r.address()), r.cache(), r.slabFreed());
    }

    @PostMapping("/vmalloc")
    @Operation(operationId = "vmalloc", summary = "vmalloc: virtually contiguous, physically scattered",
            description = "Finds the lowest free range in the vmalloc area (VMALLOC_START 0xffffc90000000000 on "
                    + "x86_64, no KASLR) for the pages plus a one-page guard hole, allocates each page as its own order-0 "
                    + "frame and maps it with PAGE_KERNEL into init_mm's page tables.")
    VmallocResponse vmalloc(@PathVariable String sid, @RequestBody OperationRequests.VmallocRequest body) {
        var applied = sessions.apply(sid, requests.vmalloc(body, ""));
        return VmallocResponse.from(applied.version(), (Vmalloc.Result) applied.result());
    }

    @PostMapping("/vfree")
    @Operation(operationId = "vfree", summary = "vfree: unmap a vmalloc area and free its frames",
            description = "The address must be the start of an area; the page tables stay (vunmap_range frees none).")
    VfreeResponse vfree(@PathVariable String sid, @RequestBody OperationRequests.VfreeRequest body) {
        var applied = sessions.apply(sid, requests.vfree(body, ""));
        Vfree.Result r = (Vfree.Result) applied.result();
        return new VfreeResponse(applied.version(), Sizes.hex(r.address()), r.pages());
    }
}
