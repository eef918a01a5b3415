package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.mmsim.kernel.phys.AllocCheck;
import org.mmsim.kernel.phys.Fragmentation;
import org.mmsim.kernel.phys.FrameView;
import org.mmsim.kernel.phys.FreeAreaView;
import org.mmsim.kernel.phys.Gfp;
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
            @Schema(description = "Start pfns of the blocks, from offset, at most limit.") List<Long> blocks,
            @Schema(description = "unusable_free_index at this order (0..1, 3 decimals).") BigDecimal unusableIndex,
            @Schema(description = "__fragmentation_index at this order: -1.000 when a block of the order is free.")
            BigDecimal extfragIndex) {
    }

    @Schema(description = "Could an order-N allocation succeed now, and if not why: the zonelist walk of "
            + "get_page_from_freelist with __zone_watermark_ok, first at WMARK_LOW (fast path), then at WMARK_MIN "
            + "with the GFP's reserve access (slow path, kswapd woken), then — for a mask that may block — direct "
            + "reclaim by the kernel's estimate of reclaimable pages. Compaction is not attempted. Nothing changes.")
    record AllocCheckResponse(int order, String gfp, int node,
            @Schema(description = "gfp_zone(gfp): the highest zone the mask allows.") String highestZone,
            boolean wouldSucceed,
            @Schema(description = "The zone the block would come from, as N<node>-<zone>.", example = "N0-DMA32")
            String fromZone,
            @Schema(description = "fast (WMARK_LOW), slow (WMARK_MIN after waking kswapd), or reclaim (no zone passes "
                    + "min, but the mask may block and some zone's free + reclaimable pages would: direct reclaim, by "
                    + "should_reclaim_retry's estimate); null if it fails.")
            String path,
            @Schema(description = "Why it fails, as alloc-pages would report it; null if it succeeds.") String reason,
            List<ZoneCheckResponse> zones) {
        static AllocCheckResponse from(AllocCheck c) {
            return new AllocCheckResponse(c.order(), c.gfp(), c.node(), c.highestZone(), c.wouldSucceed(), c.fromZone(),
                    c.path(), c.reason(), c.zones().stream().map(ZoneCheckResponse::from).toList());
        }
    }

    @Schema(description = "One zone of the zonelist, in walk order: free pages against the watermark plus "
            + "lowmem_reserve[highest zone], the largest free order, both fragmentation indexes at the order, "
            + "and the verdict: ok; ok on the slow path; below watermark; fragmented (no free block of order >= N, "
            + "fragmentation index <= 0.500: short of memory); would need compaction (index > 0.500); not allowed "
            + "(above the mask's highest zone).")
    record ZoneCheckResponse(int node, String zone, boolean allowed, long freePages,
            @Schema(description = "WMARK_LOW in pages.") long low,
            @Schema(description = "WMARK_MIN as the slow path applies it (reduced for __GFP_HIGH / atomic).") long min,
            @Schema(description = "lowmem_reserve[highest zone] of this zone, in pages.") long lowmemReserve,
            @Schema(description = "Highest order with a free block; -1 for none.") int largestFreeOrder,
            BigDecimal unusableIndex, BigDecimal extfragIndex, boolean passesLow, boolean passesMin,
            String verdict,
            @Schema(description = "zone_reclaimable_pages: the zone's file LRU pages, plus its anon LRU pages while "
                    + "swap has free slots.") long reclaimablePages) {
        static ZoneCheckResponse from(AllocCheck.ZoneCheck z) {
            return new ZoneCheckResponse(z.nid(), z.zone(), z.allowed(), z.freePages(), z.low(), z.min(),
                    z.lowmemReserve(), z.largestFreeOrder(), BigDecimal.valueOf(z.unusableFreeIndex(), 3),
                    BigDecimal.valueOf(z.fragmentationIndex(), 3), z.passesLow(), z.passesMin(), z.verdict(),
                    z.reclaimablePages());
        }
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
            + "swap size. Pages are written out by reclaim (kswapd and direct reclaim, see GET …/reclaim). "
            + "Simplified: no swap cache, no priorities.")
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
        Paging.checkOffsetLimit(offset, limit);
        return sessions.read(sid, m -> {
            PhysicalMemory phys = m.phys();
            String name = zoneName(phys, nid, zone);
            FreeAreaView area = phys.freeArea(nid, name, offset, limit);
            List<Long> nrFree = area.orders().stream().map(o -> o.nrFree()).toList();
            int[] unusable = Fragmentation.unusableIndexes(nrFree);
            int[] extfrag = Fragmentation.fragmentationIndexes(nrFree);
            return new FreeAreaResponse(area.nid(), area.zone(), area.orders().stream()
                    .map(o -> new OrderResponse(o.order(), o.nrFree(), o.blockPfns(),
                            BigDecimal.valueOf(unusable[o.order()], 3), BigDecimal.valueOf(extfrag[o.order()], 3)))
                    .toList());
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

    @GetMapping("/phys/alloc-check")
    @Operation(operationId = "allocCheck", summary = "Could an order-N allocation succeed now, and if not why",
            description = "Walks the zonelist of the node as alloc_pages_node would, without taking a page: per zone "
                    + "the free pages against the watermark (+ lowmem_reserve), the largest free order, the unusable "
                    + "and external fragmentation indexes, and a verdict. A following POST …/kernel/alloc-pages "
                    + "with the same order, gfp and node succeeds exactly when wouldSucceed is true, from fromZone.")
    AllocCheckResponse allocCheck(@PathVariable String sid,
            @Parameter(description = "Order 0..10.", example = "3") @RequestParam int order,
            @Parameter(description = "GFP mask, e.g. GFP_KERNEL or GFP_ATOMIC | __GFP_ZERO.", example = "GFP_KERNEL")
            @RequestParam(defaultValue = "GFP_KERNEL") String gfp,
            @Parameter(description = "Node the allocation is made on.", example = "0")
            @RequestParam(defaultValue = "0") int node) {
        Gfp.requireNoEmptyFlag("gfp", gfp);
        return sessions.read(sid, m -> AllocCheckResponse.from(m.phys().allocCheck(order, gfp, node)));
    }

    /** The zone's /proc name for a path element, or 404. */
    static String zoneName(PhysicalMemory phys, int nid, String zone) {
        checkNode(phys, nid);
        return phys.zones(nid).stream().map(z -> z.name()).filter(n -> n.equalsIgnoreCase(zone)).findFirst()
                .orElseThrow(() -> new NotFoundException("zone", "node " + nid + " has no zone \"" + zone
                        + "\"; it has " + phys.zones(nid).stream().map(z -> z.name()).toList()));
    }

    /** 404 naming {@code nid} unless the machine has that node. */
    static void checkNode(PhysicalMemory phys, int nid) {
        if (nid < 0 || nid >= phys.nrNodes()) {
            throw new NotFoundException("nid", "node " + nid + " does not exist: the machine has " + phys.nrNodes()
                    + " nodes");
        }
    }
}
