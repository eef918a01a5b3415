package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.function.Function;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.procfs.Buddyinfo;
import org.mmsim.kernel.procfs.Meminfo;
import org.mmsim.kernel.procfs.Numastat;
import org.mmsim.kernel.procfs.Pagetypeinfo;
import org.mmsim.kernel.procfs.Vmstat;
import org.mmsim.kernel.procfs.Zoneinfo;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The machine-wide {@code /proc} files, as {@code text/plain} byte-compatible with the kernel's. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/proc", produces = "text/plain;charset=UTF-8")
@Tag(name = "/proc", description = "The kernel's own text views: the same bytes a real machine prints.")
class ProcController {

    private final SessionService sessions;

    ProcController(SessionService sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/buddyinfo")
    @Operation(operationId = "procBuddyinfo", summary = "/proc/buddyinfo: free blocks per order per zone",
            description = "One line per populated zone: \"Node %d, zone %8s \" then nr_free for orders 0..10 "
                    + "(mm/vmstat.c frag_show_print).")
    String buddyinfo(@PathVariable String sid) {
        return render(sid, Buddyinfo::render);
    }

    @GetMapping("/pagetypeinfo")
    @Operation(operationId = "procPagetypeinfo", summary = "/proc/pagetypeinfo: free blocks per order and migratetype")
    String pagetypeinfo(@PathVariable String sid) {
        return render(sid, Pagetypeinfo::render);
    }

    @GetMapping("/zoneinfo")
    @Operation(operationId = "procZoneinfo", summary = "/proc/zoneinfo: every zone's counters, watermarks, protection")
    String zoneinfo(@PathVariable String sid) {
        return render(sid, Zoneinfo::render);
    }

    @GetMapping("/meminfo")
    @Operation(operationId = "procMeminfo", summary = "/proc/meminfo",
            description = "MemTotal, MemFree, MemAvailable and the other fields of fs/proc/meminfo.c. Fields of "
                    + "subsystems the simulator does not model yet (page cache, slab, swap, user memory) are 0.")
    String meminfo(@PathVariable String sid) {
        return render(sid, Meminfo::render);
    }

    @GetMapping("/vmstat")
    @Operation(operationId = "procVmstat", summary = "/proc/vmstat: nr_free_pages, numa_*, pgalloc_*, pgfree, …")
    String vmstat(@PathVariable String sid) {
        return render(sid, Vmstat::render);
    }

    @GetMapping("/numastat")
    @Operation(operationId = "procNumastat", summary = "numastat: the per-node table of the numastat tool",
            description = "What `numastat` (numactl) prints without arguments: numa_hit, numa_miss, numa_foreign, "
                    + "interleave_hit, local_node, other_node per node, in pages.")
    String numastat(@PathVariable String sid) {
        return render(sid, Numastat::render);
    }

    @GetMapping("/nodes/{nid}/numastat")
    @Operation(operationId = "sysNodeNumastat", summary = "/sys/devices/system/node/nodeN/numastat",
            description = "The kernel's per-node counter file: one \"name value\" line per counter.")
    String nodeNumastat(@PathVariable String sid,
            @Parameter(description = "Node id.", example = "0") @PathVariable int nid) {
        return render(sid, pm -> {
            if (nid < 0 || nid >= pm.nrNodes()) {
                throw new NotFoundException("nid", "node " + nid + " does not exist: the machine has "
                        + pm.nrNodes() + " nodes");
            }
            return Numastat.renderSysfs(pm, nid);
        });
    }

    private String render(String sid, Function<PhysicalMemory, String> renderer) {
        return sessions.read(sid, m -> renderer.apply(m.phys()));
    }
}
