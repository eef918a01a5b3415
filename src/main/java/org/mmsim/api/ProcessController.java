package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Malloc;
import org.mmsim.kernel.journal.Mallopt;
import org.mmsim.kernel.journal.Mbind;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Mprotect;
import org.mmsim.kernel.journal.Munmap;
import org.mmsim.kernel.journal.Sbrk;
import org.mmsim.kernel.journal.SetMempolicy;
import org.mmsim.kernel.journal.SetOomScoreAdj;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.task.Task;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** Processes: create, inspect, exit, and the memory calls a program makes (malloc, mmap, brk, touch …). */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/processes", produces = "application/json")
@Tag(name = "Processes", description = "Processes, their system calls, glibc malloc, and memory accesses.")
class ProcessController {

    private final SessionService sessions;
    private final OperationRequests requests;

    ProcessController(SessionService sessions, OperationRequests requests) {
        this.sessions = sessions;
        this.requests = requests;
    }

    private SessionService.Applied apply(String sid, org.mmsim.kernel.journal.Operation op) {
        return sessions.apply(sid, op);
    }

    // ------------------------------------------------------------------ lifecycle

    @Schema(description = "The process created (201), or pid null with the errno when the machine had no memory.")
    record CreatedResponse(long version, Integer pid, String error, ProcessView process) {
    }

    @PostMapping(consumes = "application/json")
    @Operation(operationId = "createProcess", summary = "Create a process running a program (fork + execve from init)",
            description = "Maps the program's text and data from its image file (/usr/bin/NAME), the bss as "
                    + "anonymous memory, sets start_brk after it (no [heap] until the break moves) and sets up a "
                    + "132 KiB [stack] whose top page holds the arguments. x86_64: a PIE at 0x555555554000 without "
                    + "ASLR; i386: text at 0x08048000.")
    @ApiResponse(responseCode = "201", description = "Created; Location points at the process.")
    @ApiResponse(responseCode = "200", description = "Not created: the machine had no memory for it (error ENOMEM).")
    ResponseEntity<CreatedResponse> create(@PathVariable String sid,
                                           @RequestBody OperationRequests.CreateProcessRequest body) {
        var applied = apply(sid, requests.createProcess(body, ""));
        CreateProcess.Result r = (CreateProcess.Result) applied.result();
        if (r.pid() < 0) {
            return ResponseEntity.ok(new CreatedResponse(applied.version(), null, r.error(), null));
        }
        ProcessView view = sessions.read(sid, m -> ProcessView.from(m, m.processes().tasks().get(r.pid())));
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + sid + "/processes/" + r.pid()))
                .body(new CreatedResponse(applied.version(), r.pid(), null, view));
    }

    @GetMapping
    @Operation(operationId = "listProcesses", summary = "Every process, running or ended, in pid order")
    List<ProcessView> list(@PathVariable String sid) {
        return sessions.read(sid, m -> m.processes().tasks().all().stream().map(t -> ProcessView.from(m, t)).toList());
    }

    @GetMapping("/{pid}")
    @Operation(operationId = "getProcess", summary = "One process: state, layout, mm counters")
    ProcessView get(@PathVariable String sid, @PathVariable int pid) {
        return sessions.read(sid, m -> ProcessView.from(m, task(m, pid)));
    }

    static Task task(org.mmsim.kernel.machine.Machine m, int pid) {
        Task t = m.processes().tasks().find(pid);
        if (t == null) {
            throw new NotFoundException("pid", "no process with pid " + pid);
        }
        return t;
    }

    @PostMapping(path = "/{pid}/exit", consumes = "application/json")
    @Operation(operationId = "exitProcess", summary = "exit(2): tear down the mm; init reaps the process")
    ExitResponse exit(@PathVariable String sid, @PathVariable int pid,
                      @RequestBody(required = false) OperationRequests.ExitRequest body) {
        var applied = apply(sid, requests.exit(pid, body));
        Exit.Result r = (Exit.Result) applied.result();
        return new ExitResponse(applied.version(), r.pid(), r.state(), r.code());
    }

    @Schema(description = "The process ended; init reaped it.")
    record ExitResponse(long version, int pid, @Schema(example = "exited") String state, int code) {
    }

    @Schema(description = "The child of fork (201), or pid null with the errno.")
    record ForkResponse(long version, Integer pid, String error, ProcessView process) {
    }

    @PostMapping(path = "/{pid}/fork")
    @Operation(operationId = "fork", summary = "fork(2): a child sharing the parent's pages copy-on-write",
            description = "dup_mmap: every VMA is copied (VM_DONTCOPY ones excepted); page tables only for VMAs with "
                    + "an anon_vma, whose writable private PTEs are write-protected in both; MAP_SHARED memory "
                    + "stays shared. The child is a zombie after exit until this process waits.")
    @ApiResponse(responseCode = "201", description = "Created; Location points at the child.")
    @ApiResponse(responseCode = "200", description = "Not created: ENOMEM.")
    ResponseEntity<ForkResponse> fork(@PathVariable String sid, @PathVariable int pid) {
        var applied = apply(sid, requests.fork(pid));
        org.mmsim.kernel.journal.Fork.Result r = (org.mmsim.kernel.journal.Fork.Result) applied.result();
        if (r.pid() < 0) {
            return ResponseEntity.ok(new ForkResponse(applied.version(), null, r.error(), null));
        }
        ProcessView view = sessions.read(sid, m -> ProcessView.from(m, m.processes().tasks().get(r.pid())));
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + sid + "/processes/" + r.pid()))
                .body(new ForkResponse(applied.version(), r.pid(), null, view));
    }

    record ExecResponse(long version, int returned, String error) {
    }

    @PostMapping(path = "/{pid}/exec", consumes = "application/json")
    @Operation(operationId = "exec", summary = "execve(2): run a new program with a fresh mm (same pid)")
    ExecResponse exec(@PathVariable String sid, @PathVariable int pid,
                      @RequestBody(required = false) OperationRequests.ExecRequest body) {
        var applied = apply(sid, requests.exec(pid, body, ""));
        org.mmsim.kernel.journal.Exec.Result r = (org.mmsim.kernel.journal.Exec.Result) applied.result();
        return new ExecResponse(applied.version(), r.returned(), r.error());
    }

    @Schema(description = "The reaped child and its status (code after exit, or the signal that killed it); pid 0 "
            + "when children run but none has exited (WNOHANG); error ECHILD when there is no such child.")
    record WaitResponse(long version, int pid, Integer code, String signal, String error) {
    }

    @PostMapping(path = "/{pid}/wait", consumes = "application/json")
    @Operation(operationId = "wait", summary = "waitpid(…, WNOHANG): reap a zombie child")
    WaitResponse waitChild(@PathVariable String sid, @PathVariable int pid,
                           @RequestBody(required = false) OperationRequests.WaitRequest body) {
        var applied = apply(sid, requests.waitChild(pid, body));
        org.mmsim.kernel.journal.Wait.Result r = (org.mmsim.kernel.journal.Wait.Result) applied.result();
        return new WaitResponse(applied.version(), r.pid(), r.code(), r.signal(), r.error());
    }

    // ------------------------------------------------------------------ glibc

    @Schema(description = "malloc's answer: the pointer (null: NULL with ENOMEM), where the chunk lies.")
    record MallocResponse(long version, String address, String via, long chunkSize, String chunkAddress, String path,
                          String error,
                          @Schema(description = "How far this call moved the break (sbrk), bytes.") long brkIncrement,
                          @Schema(description = "SIGABRT when glibc aborted (error holds its message); the process "
                                  + "is then killed.") String signal) {
        static MallocResponse from(long version, Malloc.Result r) {
            return new MallocResponse(version, hexOrNull(r.address()), r.via(), r.chunkSize(),
                    hexOrNull(r.chunkAddress()), r.path(), r.error(), r.brkIncrement(), r.signal());
        }
    }

    @PostMapping(path = "/{pid}/malloc", consumes = "application/json")
    @Operation(operationId = "malloc", summary = "glibc malloc(size) in the process",
            description = "The main arena of glibc 2.36: tcache, fast/small/large bins, the top chunk; brk growth "
                    + "with M_TOP_PAD; its own mmap at or above M_MMAP_THRESHOLD (128 KiB, dynamic) when the top "
                    + "cannot serve it.")
    MallocResponse malloc(@PathVariable String sid, @PathVariable int pid,
                          @RequestBody OperationRequests.MallocRequest body) {
        var applied = apply(sid, requests.malloc(pid, body, ""));
        return MallocResponse.from(applied.version(), (Malloc.Result) applied.result());
    }

    @Schema(description = "What free did.")
    record FreeResponse(long version, String address, long chunkSize, String path, long trimmedBytes,
                        String munmapAddress, long munmapLength, long mmapThreshold, long trimThreshold) {
        static FreeResponse from(long version, Free.Result r) {
            return new FreeResponse(version, Sizes.hex(r.address()), r.chunkSize(), r.path(), r.trimmedBytes(),
                    hexOrNull(r.munmapAddress()), r.munmapLength(), r.mmapThreshold(), r.trimThreshold());
        }
    }

    @PostMapping(path = "/{pid}/free", consumes = "application/json")
    @Operation(operationId = "free", summary = "glibc free(ptr)",
            description = "An address malloc never returned (or already freed) is a 400: glibc would abort the "
                    + "process with \"free(): invalid pointer\".")
    FreeResponse free(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.FreeRequest body) {
        var applied = apply(sid, requests.free(pid, body, ""));
        return FreeResponse.from(applied.version(), (Free.Result) applied.result());
    }

    record MalloptResponse(long version, int returned, long mmapThreshold, long trimThreshold, long topPad) {
    }

    @PostMapping(path = "/{pid}/mallopt", consumes = "application/json")
    @Operation(operationId = "mallopt", summary = "glibc mallopt(param, value): 1 on success, 0 on error")
    MalloptResponse mallopt(@PathVariable String sid, @PathVariable int pid,
                            @RequestBody OperationRequests.MalloptRequest body) {
        var applied = apply(sid, requests.mallopt(pid, body, ""));
        Mallopt.Result r = (Mallopt.Result) applied.result();
        return new MalloptResponse(applied.version(), r.returned(), r.mmapThreshold(), r.trimThreshold(), r.topPad());
    }

    // ------------------------------------------------------------------ the OOM killer's knob

    @Schema(description = "The oom_score_adj now in effect and the resulting /proc/PID/oom_score.")
    record OomScoreAdjResponse(long version, int oomScoreAdj, long oomScore) {
    }

    @RequestMapping(path = "/{pid}/oom_score_adj", method = {RequestMethod.PUT, RequestMethod.POST},
            consumes = "application/json")
    @Operation(operationId = "setOomScoreAdj", summary = "Write /proc/PID/oom_score_adj (-1000..1000)",
            description = "__set_oom_adj, fs/proc/base.c: the value is added to the OOM badness as "
                    + "value * (totalpages / 1000) with totalpages = RAM + swap; -1000 exempts the process from the "
                    + "OOM killer. Inherited by fork, kept across exec. Outside -1000..1000 (EINVAL on Linux) is a "
                    + "400 naming the field value. Journaled as set_oom_score_adj.")
    OomScoreAdjResponse setOomScoreAdj(@PathVariable String sid, @PathVariable int pid,
                                       @RequestBody OperationRequests.OomScoreAdjRequest body) {
        var applied = apply(sid, requests.oomScoreAdj(pid, body, ""));
        SetOomScoreAdj.Result r = (SetOomScoreAdj.Result) applied.result();
        return new OomScoreAdjResponse(applied.version(), r.oomScoreAdj(), r.oomScore());
    }

    // ------------------------------------------------------------------ system calls

    @Schema(description = "A system call's outcome: the address (mmap), or the errno (EINVAL, ENOMEM, EEXIST, "
            + "EACCES, EFAULT) as the kernel would return it.")
    record SyscallResponse(long version, String address, String error) {
    }

    @PostMapping(path = "/{pid}/mmap", consumes = "application/json")
    @Operation(operationId = "mmap", summary = "mmap(2) of anonymous memory",
            description = "Top-down placement below mmap_base (the highest gap that fits), hints, MAP_FIXED, "
                    + "MAP_FIXED_NOREPLACE; merges with an adjacent compatible VMA. Errors are results.")
    SyscallResponse mmap(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.MmapRequest body) {
        var applied = apply(sid, requests.mmap(pid, body, ""));
        Mmap.Result r = (Mmap.Result) applied.result();
        return new SyscallResponse(applied.version(), hexOrNull(r.address()), r.error());
    }

    @PostMapping(path = "/{pid}/munmap", consumes = "application/json")
    @Operation(operationId = "munmap", summary = "munmap(2): splits VMAs at the ends, frees pages and empty tables")
    SyscallResponse munmap(@PathVariable String sid, @PathVariable int pid,
                           @RequestBody OperationRequests.MunmapRequest body) {
        var applied = apply(sid, requests.munmap(pid, body, ""));
        return new SyscallResponse(applied.version(), null, ((Munmap.Result) applied.result()).error());
    }

    @PostMapping(path = "/{pid}/mprotect", consumes = "application/json")
    @Operation(operationId = "mprotect", summary = "mprotect(2): split, change, re-merge; present PTEs follow")
    SyscallResponse mprotect(@PathVariable String sid, @PathVariable int pid,
                             @RequestBody OperationRequests.MprotectRequest body) {
        var applied = apply(sid, requests.mprotect(pid, body, ""));
        return new SyscallResponse(applied.version(), null, ((Mprotect.Result) applied.result()).error());
    }

    @Schema(description = "The program break after the call; error ENOMEM when the kernel refused (brk unchanged).")
    record BrkResponse(long version, String brk, String previous, String error) {
    }

    @PostMapping(path = "/{pid}/brk", consumes = "application/json")
    @Operation(operationId = "brk", summary = "brk(2): set the program break (the kernel call)")
    BrkResponse brk(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.BrkRequest body) {
        var applied = apply(sid, requests.brk(pid, body, ""));
        Brk.Result r = (Brk.Result) applied.result();
        return new BrkResponse(applied.version(), Sizes.hex(r.brk()), null, r.error());
    }

    @PostMapping(path = "/{pid}/sbrk", consumes = "application/json")
    @Operation(operationId = "sbrk", summary = "glibc sbrk(increment): the previous break, or ENOMEM")
    BrkResponse sbrk(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.SbrkRequest body) {
        var applied = apply(sid, requests.sbrk(pid, body, ""));
        Sbrk.Result r = (Sbrk.Result) applied.result();
        return new BrkResponse(applied.version(), Sizes.hex(r.brk()), hexOrNull(r.previous()), r.error());
    }

    record PolicyResponse(long version, int returned, String error) {
    }

    @PostMapping(path = "/{pid}/mempolicy", consumes = "application/json")
    @Operation(operationId = "setMempolicy", summary = "set_mempolicy(2): the task's NUMA policy")
    PolicyResponse mempolicy(@PathVariable String sid, @PathVariable int pid,
                             @RequestBody OperationRequests.MempolicyRequest body) {
        var applied = apply(sid, requests.mempolicy(pid, body, ""));
        return new PolicyResponse(applied.version(), ((SetMempolicy.Result) applied.result()).returned(), null);
    }

    @PostMapping(path = "/{pid}/mbind", consumes = "application/json")
    @Operation(operationId = "mbind", summary = "mbind(2): a NUMA policy for the VMAs of a range (split/merge)")
    PolicyResponse mbind(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.MbindRequest body) {
        var applied = apply(sid, requests.mbind(pid, body, ""));
        Mbind.Result r = (Mbind.Result) applied.result();
        return new PolicyResponse(applied.version(), r.returned(), r.error());
    }

    // ------------------------------------------------------------------ touch

    @Schema(description = "What an access did: pages accessed, faults by kind, the first events, and the signal "
            + "that stopped it (the process is then killed, as SIGSEGV's default action). tlb: what the CPU's TLB did. oomKill: the first process the OOM killer killed when a fault found no memory (maybe "
            + "another process: this one then continued), with its oom_badness points; oomKills: every such kill, "
            + "in order.")
    record TouchResponse(long version, long pages, FaultsView faults, List<EventView> events, TlbView tlb,
                         SignalView signal, String state, OomKillView oomKill, List<OomKillView> oomKills,
                         ReclaimView reclaim) {
    }

    @Schema(description = "Page reclaim during the access: allocstall = direct reclaims (an allocation fell below the "
            + "min watermark and the process reclaimed itself), the pages they scanned and reclaimed, pages written "
            + "to swap by them; kswapdWoken: an allocation fell below the low watermark and woke kswapd, which runs "
            + "when the access returns (its work shows in GET …/reclaim and /proc/vmstat, not here).")
    record ReclaimView(long allocstall, long scanned, long reclaimed, long swappedOut, boolean kswapdWoken) {
    }

    @Schema(description = "A process the OOM killer chose (highest oom_badness) and killed with SIGKILL.")
    record OomKillView(int pid, String comm, @Schema(description = "oom_badness: rss + swapents + page-table pages "
            + "+ oom_score_adj * totalpages / 1000.") long points) {
        static OomKillView from(Touch.OomKill k) {
            return k == null ? null : new OomKillView(k.pid(), k.comm(), k.points());
        }
    }

    @Schema(description = "Per page touched: a hit when the CPU's TLB held a translation allowing the access (no "
            + "page-table walk), else a miss: a walk (and the fault it raises, if any), then the entry is filled.")
    record TlbView(long hits, long misses) {
    }

    @Schema(description = "Faults by kind: minor + major is the number of faults; zeroPage: reads that mapped the "
            + "zero page; cowCopy: write faults that copied (the zero page, a page-cache page, a shared page); "
            + "cowReuse: write faults that reused an exclusive page; anonAlloc: fresh anonymous pages; stackGrowth: "
            + "expansions of a stack VMA.")
    record FaultsView(long minor, long major, long zeroPage, long cowCopy, long cowReuse, long anonAlloc,
                      long stackGrowth) {
    }

    record EventView(String address, String kind, Long pfn) {
    }

    record SignalView(String name, String code, String address, String reason) {
    }

    @PostMapping(path = "/{pid}/touch", consumes = "application/json")
    @Operation(operationId = "touch", summary = "Access a range: the MMU walk and its page faults",
            description = "Per page, first the TLB of the CPU the access runs on: an entry allowing the access is a "
                    + "hit; otherwise a miss walks the page table. "
                    + "If the PTE allows the access the CPU sets Accessed (and Dirty on a write); "
                    + "otherwise a page fault: no VMA → SIGSEGV SEGV_MAPERR (below a stack it grows instead); a "
                    + "forbidden access → SEGV_ACCERR (not counted as a fault); first read of anonymous memory → "
                    + "the shared zero page; first write → a new zeroed frame; write to a read-only private page → "
                    + "copy-on-write; a swap entry → a major fault reading the page back (do_swap_page). One fault per "
                    + "page, not per access. Up to 16M pages per request. An allocation below a zone's low watermark "
                    + "wakes kswapd (it runs when the access returns); below min the process reclaims directly "
                    + "(reclaim: LRU pages written to swap or dropped). A fault that still "
                    + "finds no free memory calls the OOM killer, which kills the process with the highest badness "
                    + "(oomKill); if that was another process the fault is retried, else this one ends with SIGKILL "
                    + "(reason oom).")
    TouchResponse touch(@PathVariable String sid, @PathVariable int pid, @RequestBody OperationRequests.TouchRequest body) {
        var applied = apply(sid, requests.touch(pid, body, ""));
        Touch.Result r = (Touch.Result) applied.result();
        List<EventView> events = r.events().stream().map(e -> new EventView(Sizes.hex(e.address()), e.kind(), e.pfn()))
                .toList();
        SignalView signal = r.signal() == null ? null : new SignalView(r.signal().name(), r.signal().code(),
                Sizes.hex(r.signal().address()), r.signal().reason());
        Touch.Faults f = r.faults();
        return new TouchResponse(applied.version(), r.pages(), new FaultsView(f.minor(), f.major(), f.zeroPage(),
                f.cowCopy(), f.cowReuse(), f.anonAlloc(), f.stackGrowth()), events,
                r.tlb() == null ? null : new TlbView(r.tlb().hits(), r.tlb().misses()), signal, r.state(),
                OomKillView.from(r.oomKill()), r.oomKills().stream().map(OomKillView::from).toList(),
                new ReclaimView(r.reclaim().allocstall(), r.reclaim().scanned(), r.reclaim().reclaimed(),
                        r.reclaim().swappedOut(), r.reclaim().kswapdWoken()));
    }

    static String hexOrNull(Long address) {
        return address == null ? null : Sizes.hex(address);
    }

    static HttpStatus created() {
        return HttpStatus.CREATED;
    }
}
