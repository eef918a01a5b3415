package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.task.Task;
import org.mmsim.kernel.tlb.CpuTlbs;
import org.mmsim.kernel.tlb.Tlb;
import org.mmsim.kernel.tlb.TlbConfig;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CPUs' TLBs: per CPU for the machine, and what each CPU caches of one process's address space. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}", produces = "application/json")
@Tag(name = "TLB", description = "Per-CPU TLBs, context switches, flushes and shootdowns (arch/x86/mm/tlb.c).")
class TlbController {

    private final SessionService sessions;

    TlbController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Schema(description = "The TLB every CPU has: entries, ways per set (ways = entries: fully associative), sets, "
            + "and whether entries carry a PCID (kept across context switches) or are flushed on each switch.")
    record ConfigView(int entries, int ways, int sets, boolean pcid) {
        static ConfigView from(TlbConfig c) {
            return new ConfigView(c.entries(), c.ways(), c.nrSets(), c.pcid());
        }
    }

    @Schema(description = "A cached translation: its set and way, the page, the frame and the PTE bits it was "
            + "filled with (Dirty once a write went through it); pid: the process whose mm it belongs to.")
    record EntryView(int set, int way, Integer pid, String address, long pfn, String pte, List<String> flags) {
    }

    @Schema(description = "One CPU's TLB: the process whose mm is loaded (CR3), its PCID (kern_pcid = ASID + 1; 0 "
            + "without PCID), counters (touches' hits and misses on this CPU; context switches and those that "
            + "flushed entries) and the valid entries in slot order.")
    record CpuView(int cpu, Integer loadedPid, int pcid, long hits, long misses, long contextSwitches,
                   long switchFlushes, int nrValid, List<EntryView> entries) {
    }

    @Schema(description = "Every CPU's TLB and the CONFIG_DEBUG_TLBFLUSH vmstat counters (nr_tlb_remote_flush: "
            + "flushes that sent IPIs; nr_tlb_remote_flush_received: IPIs handled; nr_tlb_local_flush_all / "
            + "nr_tlb_local_flush_one: full and per-page flushes on the initiating CPU).")
    record MachineTlbResponse(ConfigView config, Map<String, Long> vmstat, List<CpuView> cpus) {
    }

    @Schema(description = "What the CPUs cache of one process's address space, and its touches' hits and misses "
            + "on every CPU.")
    record ProcessTlbResponse(int pid, ConfigView config, long hits, long misses, List<CpuView> cpus) {
    }

    @GetMapping("/tlb")
    @Operation(operationId = "getTlbs", summary = "Every CPU's TLB: loaded mm, PCID, counters, entries",
            description = "A touch translates each page through the TLB of the CPU it runs on: a hit needs no "
                    + "page-table walk; a miss walks (and faults if needed) then fills the LRU way of the page's set. "
                    + "munmap, mprotect, a COW break, fork (the parent's PTEs become read-only), exec and exit "
                    + "flush; a CPU that has the mm loaded elsewhere receives a shootdown IPI.")
    MachineTlbResponse machine(@PathVariable String sid) {
        return sessions.read(sid, m -> {
            CpuTlbs tlbs = m.processes().tlbs();
            Map<Long, Integer> pids = pidsByTag(m);
            List<CpuView> cpus = new ArrayList<>();
            for (int c = 0; c < tlbs.nrCpus(); c++) {
                cpus.add(cpuView(tlbs.view(c, Tlb.NO_MM), pids, m.config().arch()));
            }
            return new MachineTlbResponse(ConfigView.from(tlbs.config()), tlbs.vmEvents(), cpus);
        });
    }

    @GetMapping("/processes/{pid}/tlb")
    @Operation(operationId = "getProcessTlb", summary = "Per-CPU TLB contents for a process's mm, with its hit/miss counters")
    ProcessTlbResponse process(@PathVariable String sid, @PathVariable int pid) {
        return sessions.read(sid, m -> {
            Task t = ProcessController.task(m, pid);
            MmStruct mm = VirtualMemoryController.mm(t);
            CpuTlbs tlbs = m.processes().tlbs();
            Map<Long, Integer> pids = pidsByTag(m);
            List<CpuView> cpus = new ArrayList<>();
            for (int c = 0; c < tlbs.nrCpus(); c++) {
                cpus.add(cpuView(tlbs.view(c, mm.tlbTag()), pids, m.config().arch()));
            }
            long[] counters = tlbs.mmCounters(mm.tlbTag());
            return new ProcessTlbResponse(pid, ConfigView.from(tlbs.config()), counters[0], counters[1], cpus);
        });
    }

    private static Map<Long, Integer> pidsByTag(Machine m) {
        Map<Long, Integer> pids = new TreeMap<>();
        for (Task t : m.processes().tasks().alive()) {
            if (t.mm() != null && t.mm().pgd() != null) {
                pids.put(t.mm().tlbTag(), t.pid());
            }
        }
        return pids;
    }

    private static CpuView cpuView(CpuTlbs.CpuView v, Map<Long, Integer> pids, Arch arch) {
        List<EntryView> entries = v.entries().stream().map(e -> new EntryView(e.set(), e.way(), pids.get(e.mmTag()),
                Sizes.hex(e.vpn() << Arch.PAGE_SHIFT), Pte.pfn(e.pte()), Pte.hex(e.pte(), arch),
                Pte.flagNames(e.pte(), arch))).toList();
        return new CpuView(v.cpu(), v.loadedMm() == Tlb.NO_MM ? null : pids.get(v.loadedMm()), v.loadedPcid(), v.hits(),
                v.misses(), v.contextSwitches(), v.switchFlushes(), v.nrValid(), entries);
    }
}
