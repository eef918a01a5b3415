package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.phys.FrameView;
import org.mmsim.kernel.phys.FreeAreaView;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Nodes, zones, free lists and frames, as JSON. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}", produces = "application/json")
@Tag(name = "Physical memory")
class PhysicalMemoryController {

    private final SessionService sessions;

    PhysicalMemoryController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Schema(description = "A zone's free_area[]: per order, nr_free and the start pfn of each free block, list by "
            + "list in migratetype order, each from its head (the block the next allocation takes comes first).")
    record FreeAreaResponse(int node, String zone, List<OrderResponse> orders) {
    }

    @Schema(description = "One order of free_area[].")
    record OrderResponse(
            @Schema(example = "3") int order,
            @Schema(description = "Free blocks of this order (2^order pages each).") long nrFree,
            @Schema(description = "Start pfns of the blocks, from offset, at most limit.") List<Long> blocks) {
    }

    @Schema(description = "A page frame's struct page.")
    record FrameResponse(
            long pfn,
            @Schema(description = "Physical address of the frame.", example = "\"0x1000\"") String physical,
            int node, String zone,
            @Schema(description = "free, allocated, reserved or hole.") String state,
            @Schema(description = "Page flags and page type by kernel name (reserved, buddy, head…).")
            List<String> flags,
            @Schema(description = "page_ref_count().") int refcount,
            @Schema(description = "The raw _mapcount: -1 when no page table maps the frame.") int mapcount,
            @Schema(description = "Order of the free block (buddy head) or allocated block (head); null otherwise.")
            Integer order,
            @Schema(description = "First pfn of the block the frame belongs to; null when none.") Long headPfn,
            @Schema(description = "Who allocated it: kernel, or a process.") String owner,
            @Schema(description = "Migratetype of the frame's pageblock.") String migratetype,
            @Schema(description = "GFP flags of the allocation.") String gfp,
            @Schema(description = "Every process and virtual address that maps this frame.") List<Mapping> mappedBy) {

        static FrameResponse from(FrameView f) {
            return new FrameResponse(f.pfn(), Sizes.hex(f.pfn() << 12), f.nid(), f.zone(), f.state(), f.flags(),
                    f.refcount(), f.mapcount(), f.order() < 0 ? null : f.order(), f.headPfn() < 0 ? null : f.headPfn(),
                    blankToNull(f.owner()), f.migratetype(), blankToNull(f.gfp()), List.of());
        }

        FrameResponse withMappedBy(List<Mapping> mapped) {
            return new FrameResponse(pfn, physical, node, zone, state, flags, refcount, mapcount, order, headPfn, owner,
                    migratetype, gfp, mapped);
        }

        private static String blankToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    @Schema(description = "A process mapping a frame at a virtual address.")
    record Mapping(int pid, String address) {
    }

    @Schema(description = "The swap devices (swap_info[]): the simulator has at most one, type 0, of the machine's "
            + "swap size. Simplified: no swap cache, no priorities; pages are swapped out only by the kernel-level "
            + "swap-out primitive until reclaim (LRU, kswapd) is built.")
    record SwapResponse(List<SwapDevice> devices) {
    }

    @Schema(description = "One swap device.")
    record SwapDevice(
            @Schema(description = "The swap type (index in swap_info[]).", example = "0") int type,
            @Schema(description = "Size in bytes.", example = "67108864") long sizeBytes,
            @Schema(description = "Slots on the device (si->max), the header slot 0 included.", example = "16384")
            long slots,
            @Schema(description = "Usable slots, SwapTotal in pages (si->pages): slots - 1.", example = "16383")
            long totalPages,
            @Schema(description = "Slots with a non-zero swap count (si->inuse_pages).") long usedSlots,
            @Schema(description = "Pages read from the device (pswpin).") long pswpin,
            @Schema(description = "Pages written to the device (pswpout).") long pswpout,
            @Schema(description = "The used slots in slot order, each with its swap count and the PTEs holding it.")
            List<SwapSlot> entries) {
    }

    @Schema(description = "A used swap slot: swap_map count and who holds its entry.")
    record SwapSlot(long slot, int count, List<Mapping> mappedBy) {
    }

    @GetMapping("/swap")
    @Operation(operationId = "getSwap", summary = "Swap devices: size, used slots, which pages sit in which slot")
    SwapResponse swap(@PathVariable String sid) {
        return sessions.read(sid, m -> {
            org.mmsim.kernel.swap.SwapInfo si = m.phys().swap();
            if (si.maxSlots() == 0) {
                return new SwapResponse(List.of());
            }
            java.util.Map<Long, List<Mapping>> bySlot = new java.util.TreeMap<>();
            for (var e : m.processes().swapEntries()) {
                bySlot.computeIfAbsent(e.slot(), k -> new java.util.ArrayList<>())
                        .add(new Mapping(e.pid(), Sizes.hex(e.address())));
            }
            List<SwapSlot> entries = new java.util.ArrayList<>();
            for (long slot : si.usedSlots()) {
                entries.add(new SwapSlot(slot, si.count(slot), bySlot.getOrDefault(slot, List.of())));
            }
            return new SwapResponse(List.of(new SwapDevice(org.mmsim.kernel.swap.SwapInfo.TYPE,
                    m.config().swapBytes(), si.maxSlots(), si.totalPages(), si.inusePages(), si.pswpin(), si.pswpout(),
                    entries)));
        });
    }

    @GetMapping("/machine")
    @Operation(operationId = "getMachine", summary = "Nodes and zones with their page counts and watermarks")
    MachineView machine(@PathVariable String sid) {
        return sessions.read(sid, MachineView::from);
    }

    @GetMapping("/nodes/{nid}/zones/{zone}/free-area")
    @Operation(operationId = "getFreeArea", summary = "A zone's buddy free lists, per order",
            description = "free_area[order] for order 0..10: nr_free and the start pfns of the free blocks. A fresh "
                    + "large machine has many order-10 blocks: page through them with offset and limit.")
    FreeAreaResponse freeArea(@PathVariable String sid,
            @Parameter(description = "Node id.", example = "0") @PathVariable int nid,
            @Parameter(description = "Zone name: DMA, DMA32, Normal, HighMem, Movable (any case).", example = "DMA32")
            @PathVariable String zone,
            @Parameter(description = "Skip this many blocks of each order.") @RequestParam(defaultValue = "0") long offset,
            @Parameter(description = "At most this many blocks per order, 0..4096.")
            @RequestParam(defaultValue = "256") int limit) {
        if (offset < 0) {
            throw new ApiInputException("offset", "offset must be 0 or more");
        }
        if (limit < 0 || limit > 4096) {
            throw new ApiInputException("limit", "limit must be between 0 and 4096");
        }
        return sessions.read(sid, m -> {
            PhysicalMemory phys = m.phys();
            String name = zoneName(phys, nid, zone);
            FreeAreaView area = phys.freeArea(nid, name, offset, limit);
            return new FreeAreaResponse(area.nid(), area.zone(), area.orders().stream()
                    .map(o -> new OrderResponse(o.order(), o.nrFree(), o.blockPfns())).toList());
        });
    }

    @GetMapping("/frames/{pfn}")
    @Operation(operationId = "getFrame", summary = "One page frame's struct page")
    FrameResponse frame(@PathVariable String sid,
            @Parameter(description = "Page frame number (physical address >> 12).", example = "4096")
            @PathVariable long pfn) {
        return sessions.read(sid, m -> {
            if (pfn < 0 || pfn >= m.phys().maxPfn()) {
                throw new NotFoundException("pfn", "pfn " + pfn + " is outside physical memory (0.."
                        + (m.phys().maxPfn() - 1) + ")");
            }
            FrameResponse f = FrameResponse.from(m.phys().frame(pfn));
            List<Mapping> mapped = m.processes().mappedBy(pfn).stream()
                    .map(x -> new Mapping(x.pid(), Sizes.hex(x.address()))).toList();
            return f.withMappedBy(mapped);
        });
    }

    /** The zone's /proc name for a path element, or 404. */
    static String zoneName(PhysicalMemory phys, int nid, String zone) {
        if (nid < 0 || nid >= phys.nrNodes()) {
            throw new NotFoundException("nid", "node " + nid + " does not exist: the machine has " + phys.nrNodes()
                    + " nodes");
        }
        return phys.zones(nid).stream().map(z -> z.name()).filter(n -> n.equalsIgnoreCase(zone)).findFirst()
                .orElseThrow(() -> new NotFoundException("zone", "node " + nid + " has no zone \"" + zone
                        + "\"; it has " + phys.zones(nid).stream().map(z -> z.name()).toList()));
    }
}
