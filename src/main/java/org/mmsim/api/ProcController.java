package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.function.Function;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.procfs.Buddyinfo;
import org.mmsim.kernel.procfs.Meminfo;
import org.mmsim.kernel.procfs.PidMaps;
import org.mmsim.kernel.procfs.PidNumaMaps;
import org.mmsim.kernel.procfs.PidSmaps;
import org.mmsim.kernel.procfs.PidSmapsRollup;
import org.mmsim.kernel.procfs.PidStatus;
import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.procfs.Numastat;
import org.mmsim.kernel.procfs.Pagetypeinfo;
import org.mmsim.kernel.procfs.Slabinfo;
import org.mmsim.kernel.procfs.Vmallocinfo;
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
        return sessions.read(sid, Zoneinfo::render);
    }

    @GetMapping("/meminfo")
    @Operation(operationId = "procMeminfo", summary = "/proc/meminfo",
            description = "MemTotal, MemFree, MemAvailable and the other fields of fs/proc/meminfo.c, with the "
                    + "processes' memory (AnonPages, Mapped, Cached, Shmem, PageTables, Committed_AS, the LRU lists). "
                    + "Slab/SUnreclaim count slab and large-kmalloc pages, VmallocUsed the pages of vmalloc areas. "
                    + "Fields of subsystems the simulator does not model yet (swap) are 0.")
    String meminfo(@PathVariable String sid) {
        return sessions.read(sid, Meminfo::render);
    }

    @GetMapping("/vmstat")
    @Operation(operationId = "procVmstat", summary = "/proc/vmstat: nr_free_pages, numa_*, pgalloc_*, pgfree, …")
    String vmstat(@PathVariable String sid) {
        return sessions.read(sid, Vmstat::render);
    }

    @GetMapping("/slabinfo")
    @Operation(operationId = "procSlabinfo", summary = "/proc/slabinfo (SLUB: slabinfo version 2.1)",
            description = "One row per cache in slab_caches order, as mm/slab_common.c cache_show prints it: "
                    + "active and total objects, object size, objects and pages per slab; tunables are 0 under SLUB.")
    String slabinfo(@PathVariable String sid) {
        return sessions.read(sid, Slabinfo::render);
    }

    @GetMapping("/vmallocinfo")
    @Operation(operationId = "procVmallocinfo", summary = "/proc/vmallocinfo",
            description = "One line per vmalloc area in address order (mm/vmalloc.c vmalloc_info_show): the range "
                    + "including the guard page, its size, the caller, pages=N, vmalloc, and N<node>=<pages>.")
    String vmallocinfo(@PathVariable String sid) {
        return sessions.read(sid, Vmallocinfo::render);
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

    @GetMapping("/{pid}/maps")
    @Operation(operationId = "procPidMaps", summary = "/proc/PID/maps: one line per VMA",
            description = "fs/proc/task_mmu.c show_map_vma: start-end perms offset dev inode, then the name at "
                    + "column 73: the image path, [heap], [stack], /dev/zero (deleted) for shared anonymous memory.")
    String maps(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, PidMaps::render);
    }

    @GetMapping("/{pid}/smaps")
    @Operation(operationId = "procPidSmaps", summary = "/proc/PID/smaps: per VMA Rss, Pss, Shared/Private Clean/Dirty, …",
            description = "__show_smap with smaps_account's rules: the zero page is not counted; Pss divides a "
                    + "shared page by its mapcount.")
    String smaps(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, PidSmaps::render);
    }

    @GetMapping("/{pid}/smaps_rollup")
    @Operation(operationId = "procPidSmapsRollup", summary = "/proc/PID/smaps_rollup: smaps summed over the VMAs")
    String smapsRollup(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, PidSmapsRollup::render);
    }

    @GetMapping("/{pid}/status")
    @Operation(operationId = "procPidStatus", summary = "/proc/PID/status: VmPeak, VmSize, VmRSS, RssAnon, VmPTE, …")
    String status(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, PidStatus::render);
    }

    @GetMapping("/{pid}/oom_score")
    @Operation(operationId = "procPidOomScore", summary = "/proc/PID/oom_score: the OOM badness scaled to 0..1333",
            description = "proc_oom_score, fs/proc/base.c: (1000 + oom_badness * 1000 / totalpages) * 2 / 3 with "
                    + "totalpages = RAM + swap and oom_badness = rss + swapents + page-table pages + oom_score_adj * "
                    + "(totalpages / 1000); 0 for a process that cannot be killed (oom_score_adj -1000).")
    String oomScore(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, (m, p) -> alive(m, p).map(t -> m.processes().oomKiller().oomScore(t) + "\n"));
    }

    @GetMapping("/{pid}/oom_score_adj")
    @Operation(operationId = "procPidOomScoreAdj", summary = "/proc/PID/oom_score_adj: -1000..1000",
            description = "Written with PUT …/processes/{pid}/oom_score_adj.")
    String oomScoreAdj(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, (m, p) -> alive(m, p).map(t -> t.oomScoreAdj() + "\n"));
    }

    /** The task behind a /proc/PID directory: any process not yet reaped (a zombie still has one). */
    private static Optional<org.mmsim.kernel.task.Task> alive(Machine m, int pid) {
        org.mmsim.kernel.task.Task t = m.processes().tasks().find(pid);
        return t == null || t.state() == org.mmsim.kernel.task.Task.State.EXITED
                || t.state() == org.mmsim.kernel.task.Task.State.KILLED ? Optional.empty() : Optional.of(t);
    }

    @GetMapping("/{pid}/numa_maps")
    @Operation(operationId = "procPidNumaMaps", summary = "/proc/PID/numa_maps: policy and pages per node, per VMA")
    String numaMaps(@PathVariable String sid, @PathVariable int pid) {
        return pidFile(sid, pid, PidNumaMaps::render);
    }

    /** A /proc/PID file: 404 when Linux would have no /proc/PID (no such process, or reaped). */
    private String pidFile(String sid, int pid, java.util.function.BiFunction<Machine, Integer, Optional<String>> renderer) {
        return sessions.read(sid, m -> renderer.apply(m, pid).orElseThrow(() -> new NotFoundException("pid",
                "/proc/" + pid + " does not exist: no such process, or it has exited and was reaped")));
    }

    private String render(String sid, Function<PhysicalMemory, String> renderer) {
        return sessions.read(sid, m -> renderer.apply(m.phys()));
    }
}
