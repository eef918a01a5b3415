package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.mm.VmaTreeView;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.task.Task;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A process's address space: its VMAs (list or red-black tree), the MMU walk of an address, its page table. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/processes/{pid}", produces = "application/json")
@Tag(name = "Virtual memory", description = "VMAs, page tables and address translation.")
class VirtualMemoryController {

    private final SessionService sessions;

    VirtualMemoryController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Schema(description = "A vm_area_struct. end is exclusive.")
    record VmaView(String start, String end,
                   @Schema(example = "rw-") String prot,
                   @Schema(description = "p (private) or s (shared), as maps prints.") String sharing,
                   @Schema(description = "vm_flags by smaps mnemonic.", example = "[\"rd\", \"wr\", \"mr\", \"mw\", \"me\", \"ac\"]")
                   List<String> flags,
                   @Schema(description = "text, data, bss, heap, stack, anon or shmem.") String kind,
                   @Schema(description = "What maps prints as the name.") String name,
                   long pgoff, long pages,
                   @Schema(description = "Resident pages (present PTEs, the zero page excluded).") long rss,
                   @Schema(description = "anon_vma id, null before the first anonymous page.") Long anonVma,
                   @Schema(description = "vm_policy, null for none (the task's policy applies).") String policy) {
    }

    @Schema(description = "The VMAs in address order, or (view=tree) the red-black tree with subtree gaps.")
    record VmasResponse(int mapCount, List<VmaView> vmas, TreeView tree) {
    }

    @Schema(description = "The VMA red-black tree (mm_rb): height, black height, highest_vm_end and the nodes.")
    record TreeView(int mapCount, int height, int blackHeight, String highestVmEnd, VmaNodeView root) {
        static TreeView from(VmaTreeView t) {
            return new TreeView(t.mapCount(), t.height(), t.blackHeight(), Sizes.hex(t.highestVmEnd()),
                    VmaNodeView.from(t.root()));
        }
    }

    @Schema(description = "A node of the VMA tree: the VMA, its colour and rb_subtree_gap (the largest free gap "
            + "in its subtree, what get_unmapped_area searches by).")
    record VmaNodeView(String start, String end, @Schema(example = "black") String color, long subtreeGap,
                       VmaNodeView left, VmaNodeView right) {
        static VmaNodeView from(VmaTreeView.Node n) {
            return n == null ? null : new VmaNodeView(Sizes.hex(n.vmStart()), Sizes.hex(n.vmEnd()), n.color(),
                    n.rbSubtreeGap(), from(n.left()), from(n.right()));
        }
    }

    @GetMapping("/vmas")
    @Operation(operationId = "getVmas", summary = "The process's VMAs, or the VMA red-black tree (view=tree)")
    VmasResponse vmas(@PathVariable String sid, @PathVariable int pid,
                      @Parameter(description = "list (default) or tree.") @RequestParam(defaultValue = "list") String view) {
        if (!view.equals("list") && !view.equals("tree")) {
            throw new ApiInputException("view", "view must be list or tree");
        }
        return sessions.read(sid, m -> {
            MmStruct mm = mm(ProcessController.task(m, pid));
            if (view.equals("tree")) {
                return new VmasResponse(mm.vmas().mapCount(), null, TreeView.from(mm.vmas().view()));
            }
            List<VmaView> out = vmaViews(m.phys().zeroPfn(), mm);
            return new VmasResponse(mm.vmas().mapCount(), out, null);
        });
    }

    /** The VMAs of {@code mm} as the API shows them, in address order. */
    static List<VmaView> vmaViews(long zero, MmStruct mm) {
        List<VmaView> out = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            long[] rss = {0};
            mm.pgd().forEachPte(v.vmStart(), v.vmEnd(), (va, pte) -> {
                if ((pte & Pte._PAGE_PRESENT) != 0 && Pte.pfn(pte) != zero) {
                    rss[0]++;
                }
            });
            var policy = mm.vmaPolicy(v);
            out.add(new VmaView(Sizes.hex(v.vmStart()), Sizes.hex(v.vmEnd()), Prot.format((int) (v.vmFlags() & 7)),
                    (v.vmFlags() & VmFlags.VM_MAYSHARE) != 0 ? "s" : "p",
                    List.of(VmFlags.mnemonics(v.vmFlags()).trim().split(" ")), mm.kind(v), name(mm, v),
                    v.vmPgoff(), v.nrPages(), rss[0], v.anonVma() == Vma.NO_ANON_VMA ? null : v.anonVma(),
                    policy == null ? null : policy.mode().name() + policy.nodeList()));
        }
        return out;
    }

    static String name(MmStruct mm, Vma v) {
        if (v.vmFile() != null) {
            return v.vmFile().path();
        }
        if (mm.isInitialHeap(v)) {
            return "[heap]";
        }
        if (mm.isInitialStack(v)) {
            return "[stack]";
        }
        return v.name().isEmpty() ? "" : "[anon:" + v.name() + "]";
    }

    static MmStruct mm(Task t) {
        if (t.mm() == null) {
            throw new NotFoundException("pid", "process " + t.pid() + " has " + t.state().label() + ": it has no address space");
        }
        return t.mm();
    }

    @Schema(description = "One level of the walk: the table's index for the address and the entry read there.")
    record LevelView(@Schema(example = "pgd") String level, int index,
                     @Schema(description = "The entry in hex.", example = "\"0x0000000003e80067\"") String entry,
                     List<String> flags,
                     @Schema(description = "The frame holding this table.") long tablePfn) {
    }

    @Schema(description = "The MMU walk of an address: the levels the architecture has, then the frame, or where "
            + "the walk stops and what an access would do there.")
    record TranslateResponse(String address, String arch, List<LevelView> levels, String pte, List<String> pteFlags,
                             Long pfn, String physical,
                             @Schema(description = "Offset within the page.", example = "\"0x5b0\"") String offset,
                             @Schema(description = "What a read and a write would do now.") String outcome) {
    }

    @GetMapping("/translate")
    @Operation(operationId = "translate", summary = "Walk the page table for an address, as the MMU does")
    TranslateResponse translate(@PathVariable String sid, @PathVariable int pid,
                                @Parameter(description = "Virtual address, hex or decimal.", example = "\"0x555555554000\"")
                                @RequestParam String address) {
        long va = Sizes.address("address", address);
        return sessions.read(sid, m -> {
            MmStruct mm = mm(ProcessController.task(m, pid));
            PageTable pt = mm.pgd();
            Arch arch = pt.arch();
            if (va >= mm.taskSizeMax()) {
                throw new ApiInputException("address", "above the user address space (TASK_SIZE "
                        + Sizes.hex(mm.taskSizeMax()) + ")");
            }
            PageTable.Walk walk = pt.walk(va);
            List<LevelView> levels = walk.levels().stream().map(l -> new LevelView(l.name(), l.index(),
                    Pte.hex(l.entry(), arch), Pte.flagNames(l.entry(), arch), l.tablePfn())).toList();
            long pte = walk.pte();
            boolean present = walk.complete() && (pte & Pte._PAGE_PRESENT) != 0;
            Long pfn = present ? Pte.pfn(pte) : null;
            return new TranslateResponse(Sizes.hex(va), arch.id(), levels, walk.complete() ? Pte.hex(pte, arch) : null,
                    walk.complete() ? Pte.flagNames(pte, arch) : List.of(), pfn,
                    present ? Sizes.hex((pfn << Arch.PAGE_SHIFT) | (va & (Arch.PAGE_SIZE - 1))) : null,
                    Sizes.hex(va & (Arch.PAGE_SIZE - 1)), outcome(mm, va, pte, present, m.phys().zeroPfn()));
        });
    }

    private static String outcome(MmStruct mm, long va, long pte, boolean present, long zeroPfn) {
        Vma vma = mm.vmas().findVma(va);
        if (vma == null || vma.vmStart() > va) {
            if (vma != null && (vma.vmFlags() & VmFlags.VM_GROWSDOWN) != 0) {
                return "below a stack VMA: an access grows the stack (expand_stack) if within RLIMIT_STACK and the guard gap";
            }
            return "no VMA: an access raises SIGSEGV (SEGV_MAPERR)";
        }
        boolean writable = (vma.vmFlags() & VmFlags.VM_WRITE) != 0;
        if (!present) {
            if ((vma.vmFlags() & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) == 0) {
                return "PROT_NONE VMA: an access raises SIGSEGV (SEGV_ACCERR)";
            }
            String read = vma.isAnonymous() ? "a read maps the zero page" : "a read maps the page-cache page";
            return "not present: " + read + (writable ? ", a write allocates a page (page fault)" : "; a write raises SIGSEGV (SEGV_ACCERR)");
        }
        if (Pte.write(pte)) {
            return "present and writable: reads and writes hit";
        }
        if (!writable) {
            return "present, read-only VMA: reads hit, a write raises SIGSEGV (SEGV_ACCERR)";
        }
        return Pte.pfn(pte) == zeroPfn ? "zero page: a write faults and gets a new zeroed page (wp_page_copy)"
                : "write-protected: a write faults (do_wp_page: reuse if exclusive, else copy)";
    }

    @Schema(description = "A present (non-none) PTE.")
    record EntryView(String address, String pte, long pfn, List<String> flags) {
    }

    @Schema(description = "A page of the page table: its level, frame, the first address it maps, its entries.")
    record TableView(String level, long pfn, String address, int entries) {
    }

    @Schema(description = "The page table: CR3, the table pages (frames from the buddy allocator), and the "
            + "non-none PTEs in address order, paged.")
    record PageTableResponse(String cr3, long pgdPfn, long pgtablesBytes, List<TableView> tables, long offset,
                             int limit, List<EntryView> entries) {
    }

    @GetMapping("/page-table")
    @Operation(operationId = "getPageTable", summary = "The page table: table pages and present entries (paged)")
    PageTableResponse pageTable(@PathVariable String sid, @PathVariable int pid,
                                @RequestParam(defaultValue = "0") long offset,
                                @Parameter(description = "Entries to return, 0..4096.") @RequestParam(defaultValue = "256") int limit) {
        if (offset < 0) {
            throw new ApiInputException("offset", "offset must be 0 or more");
        }
        if (limit < 0 || limit > 4096) {
            throw new ApiInputException("limit", "limit must be between 0 and 4096");
        }
        return sessions.read(sid, m -> {
            MmStruct mm = mm(ProcessController.task(m, pid));
            PageTable pt = mm.pgd();
            Arch arch = pt.arch();
            List<TableView> tables = pt.tablePages().stream()
                    .map(tp -> new TableView(tp.level(), tp.pfn(), Sizes.hex(tp.address()), tp.nrEntries())).toList();
            List<EntryView> entries = new ArrayList<>();
            long[] seen = {0};
            pt.forEachPte(0, mm.taskSizeMax(), (va, e) -> {
                if (seen[0]++ >= offset && entries.size() < limit) {
                    entries.add(new EntryView(Sizes.hex(va), Pte.hex(e, arch), Pte.pfn(e), Pte.flagNames(e, arch)));
                }
            });
            return new PageTableResponse(Sizes.hex(pt.cr3()), pt.pgdPfn(), pt.pgtablesBytes(), tables, offset, limit,
                    entries);
        });
    }
}
