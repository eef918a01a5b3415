package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.phys.Lru;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ReclaimStats;
import org.mmsim.kernel.procfs.Vmstat;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Page reclaim: the LRU lists of each node, kswapd's state and the reclaim counters. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}", produces = "application/json")
@Tag(name = "Reclaim", description = "LRU lists, kswapd, direct reclaim and the reclaim policy (mm/vmscan.c).")
class ReclaimController {

    private final SessionService sessions;

    ReclaimController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Schema(description = "One node's lruvec: pages on each list (nr_inactive_anon …), and kswapd's failures "
            + "(balance_pgdat runs that reclaimed nothing; at 16 kswapd is no longer woken).")
    record NodeLru(int node, long inactiveAnon, long activeAnon, long inactiveFile, long activeFile,
                   long unevictable, int kswapdFailures) {
    }

    @Schema(description = "Reclaim on this machine: the policy choosing victims (kernel: Linux's active/inactive "
            + "LRU; fifo, lru, clock, random: teaching alternatives, every page then stays inactive), vm.swappiness, "
            + "each node's lists, and the reclaim events of /proc/vmstat. kswapd is woken when an allocation falls "
            + "below a zone's low watermark and runs when the operation returns, until a zone of the node is above its "
            + "high watermark; an allocation below min reclaims directly (allocstall).")
    record ReclaimResponse(String policy, int swappiness, List<NodeLru> nodes, long kswapdWakeups,
                           Map<String, Long> vmstat) {
    }

    @Schema(description = "A page on an LRU list: its frame, zone, page flags, and what the reverse map uses — "
            + "for an anonymous page the virtual address its mappers map it at, for a cached page the file and "
            + "index. stamp orders the teaching policies (when added or last used).")
    record LruPage(long pfn, String zone, List<String> flags, int mapcount, String address, String file, Long index,
                   long stamp) {
    }

    @Schema(description = "One LRU list, from its tail (the next page reclaim looks at) towards its head.")
    record LruListResponse(int node, String list, long size, List<LruPage> pages) {
    }

    @GetMapping("/reclaim")
    @Operation(operationId = "getReclaim", summary = "The reclaim policy, the LRU lists' sizes and the reclaim counters")
    ReclaimResponse reclaim(@PathVariable String sid) {
        return sessions.read(sid, ReclaimController::view);
    }

    static ReclaimResponse view(Machine m) {
        PhysicalMemory phys = m.phys();
        Lru lru = phys.lru();
        List<NodeLru> nodes = new ArrayList<>();
        for (int nid = 0; nid < phys.nrNodes(); nid++) {
            nodes.add(new NodeLru(nid, lru.size(nid, Lru.LRU_INACTIVE_ANON), lru.size(nid, Lru.LRU_ACTIVE_ANON),
                    lru.size(nid, Lru.LRU_INACTIVE_FILE), lru.size(nid, Lru.LRU_ACTIVE_FILE),
                    lru.size(nid, Lru.LRU_UNEVICTABLE), phys.kswapdFailures(nid)));
        }
        ReclaimStats s = phys.reclaimStats();
        Map<String, Long> vmstat = new LinkedHashMap<>();
        for (String name : ReclaimStats.EVENTS) {
            vmstat.put(name, s.event(name));
        }
        vmstat.put("pswpout", phys.swap().pswpout());
        vmstat.put("pswpin", phys.swap().pswpin());
        for (int z = 0; z < phys.nrZonesPerNode(); z++) {
            vmstat.put("allocstall_" + Vmstat.eventZoneName(phys.zoneTypeOfIdx(z).procName()), s.allocstall[z]);
        }
        return new ReclaimResponse(m.config().reclaim().id(), m.config().tunables().swappiness(), nodes,
                phys.vmEvents().kswapdWakeups(), vmstat);
    }

    @GetMapping("/nodes/{nid}/lru/{list}")
    @Operation(operationId = "getLruList", summary = "One LRU list of a node, from the tail reclaim scans first",
            description = "list: inactive_anon, active_anon, inactive_file, active_file or unevictable. Page through "
                    + "long lists with offset and limit.")
    LruListResponse lruList(@PathVariable String sid,
            @Parameter(description = "Node id.", example = "0") @PathVariable int nid,
            @Parameter(description = "The list.", example = "inactive_anon") @PathVariable String list,
            @Parameter(description = "Skip this many pages from the tail.") @RequestParam(defaultValue = "0") long offset,
            @Parameter(description = "At most this many pages, 0..4096.") @RequestParam(defaultValue = "256") int limit) {
        int l = List.of(Lru.NAMES).indexOf(list);
        if (l < 0) {
            throw new NotFoundException("list", "no LRU list \"" + list + "\": inactive_anon, active_anon, "
                    + "inactive_file, active_file or unevictable");
        }
        Paging.checkOffsetLimit(offset, limit);
        return sessions.read(sid, m -> {
            PhysicalMemory phys = m.phys();
            PhysicalMemoryController.checkNode(phys, nid);
            Lru lru = phys.lru();
            List<LruPage> pages = new ArrayList<>();
            long skipped = 0;
            for (long p = lru.tailPfn(nid, l); p >= 0 && pages.size() < limit; p = lru.towardsHead(p)) {
                if (skipped++ < offset) {
                    continue;
                }
                int mapping = lru.mappingOf(p);
                AddressSpace file = mapping == Lru.ANON ? null : m.processes().files().byId(mapping);
                pages.add(new LruPage(p, phys.zoneTypeOfIdx(lru.zoneOf(p)).procName(), phys.frame(p).flags(),
                        phys.pageMapcount(p), mapping == Lru.ANON ? Sizes.hex(lru.keyOf(p)) : null,
                        file == null ? null : file.path(), mapping == Lru.ANON ? null : lru.keyOf(p), lru.stampOf(p)));
            }
            return new LruListResponse(nid, list, lru.size(nid, l), pages);
        });
    }
}
