package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.Brk;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Exec;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.journal.Free;
import org.mmsim.kernel.journal.Kfree;
import org.mmsim.kernel.journal.Kmalloc;
import org.mmsim.kernel.journal.Vfree;
import org.mmsim.kernel.journal.Vmalloc;
import org.mmsim.kernel.journal.FreePages;
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
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.phys.Gfp;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies of the mutating endpoints and their translation into core operations, shared by
 * the single endpoints and the {@code /ops} batch so both accept exactly the same fields.
 */
@Component
class OperationRequests {

    private final JsonMapper json;

    OperationRequests(JsonMapper json) {
        this.json = json;
    }

    @Schema(description = "alloc_pages(gfp, order) on a node: a block of 2^order physically contiguous frames.")
    record AllocPagesRequest(
            @Schema(description = "Order 0..10 (MAX_PAGE_ORDER): the block is 2^order pages.", example = "3")
            Integer order,
            @Schema(description = "GFP flags: a GFP_* name or __GFP_* flags joined by |.", example = "GFP_KERNEL",
                    defaultValue = "GFP_KERNEL")
            String gfp,
            @Schema(description = "Preferred node (alloc_pages_node); absent: the node of the allocating CPU "
                    + "(numa_node_id()), or what the policy picks.", example = "0")
            Integer node,
            @Schema(description = "The CPU the allocating thread runs on (default 0). numa_node_id() is its node: "
                    + "numastat counts local_node/other_node against it.", example = "0")
            Integer cpu,
            @Schema(description = "A memory policy to allocate under (alloc_pages_mpol); absent: the system default, "
                    + "local allocation.")
            PolicyRequest policy) {
    }

    @Schema(description = "A NUMA memory policy (struct mempolicy).")
    record PolicyRequest(
            @Schema(description = "MPOL_DEFAULT, MPOL_LOCAL, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, "
                    + "MPOL_PREFERRED_MANY or MPOL_WEIGHTED_INTERLEAVE.", example = "MPOL_INTERLEAVE")
            String mode,
            @Schema(description = "The nodemask as a list of node ids.", example = "[0, 1]")
            List<Integer> nodes,
            @Schema(description = "Weighted-interleave weights by node id (default 1 each).", example = "[5, 2]")
            List<Integer> weights) {
    }

    @Schema(description = "__free_pages(page, order): give back a block from alloc-pages.")
    record FreePagesRequest(
            @Schema(description = "First frame of the block.", example = "4096") Long pfn,
            @Schema(description = "The order it was allocated with.", example = "3") Integer order) {
    }

    Operation allocPages(AllocPagesRequest r, String prefix) {
        int order = required(r.order(), prefix + "order");
        String gfp = r.gfp() == null ? "GFP_KERNEL" : r.gfp();
        Gfp.requireNoEmptyFlag(prefix + "gfp", gfp);
        int node = r.node() == null ? -1 : r.node();
        int cpu = r.cpu() == null ? 0 : r.cpu();
        AllocPages.Policy policy = r.policy() == null ? null
                : new AllocPages.Policy(required(r.policy().mode(), prefix + "policy.mode"), r.policy().nodes(),
                        r.policy().weights());
        return new AllocPages(order, gfp, node, cpu, policy);
    }

    Operation freePages(FreePagesRequest r, String prefix) {
        long pfn = required(r.pfn(), prefix + "pfn");
        int order = required(r.order(), prefix + "order");
        return new FreePages(pfn, order);
    }

    @Schema(description = "kmalloc_node(size, gfp, node): an object of the kmalloc size class, or pages above 8 KiB.")
    record KmallocRequest(
            @Schema(description = "Bytes (or with a unit).", example = "100") String size,
            @Schema(description = "GFP flags (GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, …). __GFP_DMA32 and __GFP_HIGHMEM are "
                    + "refused (GFP_SLAB_BUG_MASK), __GFP_DMA too (dma-kmalloc caches are not simulated).",
                    example = "GFP_KERNEL", defaultValue = "GFP_KERNEL") String gfp,
            @Schema(description = "Node to allocate on (kmalloc_node); absent: the node of the CPU.", example = "0")
            Integer node,
            @Schema(description = "The CPU the caller runs on (default 0).", example = "0") Integer cpu) {
    }

    @Schema(description = "kfree(address): an address kmalloc returned.")
    record KfreeRequest(@Schema(example = "\"0xffff888003000000\"") String address) {
    }

    @Schema(description = "vmalloc(size): a virtually contiguous kernel area over order-0 frames.")
    record VmallocRequest(
            @Schema(description = "Bytes (or with a unit); rounded up to pages.", example = "12288") String size,
            @Schema(description = "The CPU the caller runs on (default 0): the pages come from its node.", example = "0")
            Integer cpu) {
    }

    @Schema(description = "vfree(address): the start of an area vmalloc returned.")
    record VfreeRequest(@Schema(example = "\"0xffffc90000000000\"") String address) {
    }

    Operation kmalloc(KmallocRequest r, String prefix) {
        Gfp.requireNoEmptyFlag(prefix + "gfp", r.gfp());
        return new Kmalloc(Sizes.bytes(prefix + "size", r.size()), r.gfp() == null ? "GFP_KERNEL" : r.gfp(),
                r.node() == null ? -1 : r.node(), r.cpu() == null ? 0 : r.cpu());
    }

    Operation kfree(KfreeRequest r, String prefix) {
        return new Kfree(Sizes.kernelAddress(prefix + "address", r.address()));
    }

    Operation vmalloc(VmallocRequest r, String prefix) {
        return new Vmalloc(Sizes.bytes(prefix + "size", r.size()), r.cpu() == null ? 0 : r.cpu());
    }

    Operation vfree(VfreeRequest r, String prefix) {
        return new Vfree(Sizes.kernelAddress(prefix + "address", r.address()));
    }

    // ------------------------------------------------------------------ processes

    @Schema(description = "The program a process runs: segment sizes in bytes or with a unit.")
    record ImageRequest(
            @Schema(description = "Text (code and read-only data).", example = "64KiB", defaultValue = "64KiB") String text,
            @Schema(description = "Initialised data.", example = "8KiB", defaultValue = "8KiB") String data,
            @Schema(description = "Zero-initialised data.", example = "16KiB", defaultValue = "16KiB") String bss) {
    }

    @Schema(description = "A new process running a program, a child of init (fork + execve).")
    record CreateProcessRequest(
            @Schema(description = "The process name (comm), 1..15 characters.", example = "app") String name,
            @Schema(description = "The CPU it runs on; its node is the local node.", example = "0") Integer cpu,
            @Schema(description = "Segment sizes; absent: 64KiB text, 8KiB data, 16KiB bss.") ImageRequest image,
            @Schema(description = "Its task memory policy (set_mempolicy); absent: the default (local).")
            PolicyRequest mempolicy) {
    }

    @Schema(description = "exit(2): the process ends; init reaps it.")
    record ExitRequest(@Schema(description = "Exit status 0..255.", example = "0") Integer code) {
    }

    @Schema(description = "execve(2): a new program in the process; absent fields keep the current name/sizes.")
    record ExecRequest(
            @Schema(description = "The new program's name (comm).", example = "ls") String name,
            @Schema(description = "Segment sizes.") ImageRequest image) {
    }

    @Schema(description = "waitpid(pid, &status, WNOHANG).")
    record WaitRequest(@Schema(description = "The child to reap; absent or -1: any.", example = "1001") Integer pid) {
    }

    @Schema(description = "glibc malloc(size).")
    record MallocRequest(@Schema(description = "Bytes (or with a unit).", example = "200000") String size) {
    }

    @Schema(description = "glibc free(ptr).")
    record FreeRequest(@Schema(description = "A pointer malloc returned.", example = "\"0x5555555592a0\"") String address) {
    }

    @Schema(description = "glibc mallopt(param, value).")
    record MalloptRequest(
            @Schema(description = "M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX, M_MXFAST, …",
                    example = "M_MMAP_THRESHOLD") String param,
            @Schema(description = "The value.", example = "65536") Long value) {
    }

    @Schema(description = "A write to /proc/PID/oom_score_adj.")
    record OomScoreAdjRequest(
            @Schema(description = "-1000..1000: added to the OOM badness in thousandths of RAM + swap; -1000 means "
                    + "never OOM-kill this process.", example = "-1000") Integer value) {
    }

    @Schema(description = "mmap(2) of anonymous memory.")
    record MmapRequest(
            @Schema(description = "Hint, or the address with MAP_FIXED; absent: the kernel chooses.",
                    example = "\"0x7ffff7ff0000\"") String address,
            @Schema(description = "Bytes (or with a unit), rounded up to pages.", example = "64KiB") String length,
            @Schema(description = "\"rw-\" letters, PROT_READ|PROT_WRITE|PROT_EXEC|PROT_NONE, or a list of those "
                    + "names.", oneOf = {String.class, String[].class}, example = "rw-")
            Object prot,
            @Schema(description = "MAP_PRIVATE or MAP_SHARED, with MAP_ANONYMOUS; MAP_FIXED, MAP_FIXED_NOREPLACE, "
                    + "MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN.",
                    example = "[\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]") List<String> flags) {
    }

    @Schema(description = "munmap(2).")
    record MunmapRequest(
            @Schema(example = "\"0x7ffff7ff0000\"") String address,
            @Schema(example = "4KiB") String length) {
    }

    @Schema(description = "mprotect(2).")
    record MprotectRequest(
            @Schema(example = "\"0x7ffff7ff0000\"") String address,
            @Schema(example = "4KiB") String length,
            @Schema(description = "As mmap's prot: letters, PROT_* joined with |, or a list of PROT_* names.",
                    oneOf = {String.class, String[].class}, example = "r--") Object prot) {
    }

    @Schema(description = "brk(2), the kernel call: the new program break.")
    record BrkRequest(@Schema(example = "\"0x55555558b000\"") String address) {
    }

    @Schema(description = "glibc sbrk(increment).")
    record SbrkRequest(@Schema(description = "Bytes, or a size with a unit like the other size fields; may be "
            + "negative (\"-4KiB\").", example = "4096") String increment) {
    }

    @Schema(description = "set_mempolicy(2).")
    record MempolicyRequest(
            @Schema(example = "MPOL_INTERLEAVE") String mode,
            @Schema(example = "[0, 1]") List<Integer> nodes,
            @Schema(description = "Weighted-interleave weights by node id.") List<Integer> weights) {
    }

    @Schema(description = "mbind(2): a policy for the VMAs of a range.")
    record MbindRequest(
            @Schema(example = "\"0x7ffff7ff0000\"") String address,
            @Schema(example = "64KiB") String length,
            @Schema(example = "MPOL_BIND") String mode,
            @Schema(example = "[1]") List<Integer> nodes,
            List<Integer> weights) {
    }

    @Schema(description = "An access by the process to a range: the MMU walk and its page faults.")
    record TouchRequest(
            @Schema(example = "\"0x7ffff7ff0000\"") String address,
            @Schema(description = "Bytes (or with a unit), default 1; up to 64GiB.", example = "16KiB") String length,
            @Schema(description = "read, write or exec.", example = "write", defaultValue = "read") String access,
            @Schema(description = "The CPU the access runs on (the scheduler moved the task there for it); "
                    + "default: the process's own CPU. Its TLB translates the access.", example = "1") Integer cpu) {
    }

    Operation createProcess(CreateProcessRequest r, String prefix) {
        ImageRequest img = r.image();
        long text = img == null || img.text() == null ? 64 << 10 : Sizes.bytes(prefix + "image.text", img.text());
        long data = img == null || img.data() == null ? 8 << 10 : Sizes.bytes(prefix + "image.data", img.data());
        long bss = img == null || img.bss() == null ? 16 << 10 : Sizes.bytes(prefix + "image.bss", img.bss());
        AllocPages.Policy policy = r.mempolicy() == null ? null
                : new AllocPages.Policy(required(r.mempolicy().mode(), prefix + "mempolicy.mode"),
                        r.mempolicy().nodes(), r.mempolicy().weights());
        return new CreateProcess(required(r.name(), prefix + "name"), r.cpu() == null ? 0 : r.cpu(), text, data, bss,
                policy);
    }

    Operation exit(int pid, ExitRequest r) {
        return new Exit(pid, r == null || r.code() == null ? 0 : r.code());
    }

    Operation fork(int pid) {
        return new Fork(pid);
    }

    Operation exec(int pid, ExecRequest r, String prefix) {
        ImageRequest img = r == null ? null : r.image();
        Long text = img == null || img.text() == null ? null : Sizes.bytes(prefix + "image.text", img.text());
        Long data = img == null || img.data() == null ? null : Sizes.bytes(prefix + "image.data", img.data());
        Long bss = img == null || img.bss() == null ? null : Sizes.bytes(prefix + "image.bss", img.bss());
        return new Exec(pid, r == null ? null : r.name(), text, data, bss);
    }

    Operation waitChild(int pid, WaitRequest r) {
        return new Wait(pid, r == null || r.pid() == null ? -1 : r.pid());
    }

    Operation malloc(int pid, MallocRequest r, String prefix) {
        return new Malloc(pid, Sizes.bytes(prefix + "size", r.size()));
    }

    Operation free(int pid, FreeRequest r, String prefix) {
        return new Free(pid, Sizes.address(prefix + "address", r.address()));
    }

    Operation oomScoreAdj(int pid, OomScoreAdjRequest r, String prefix) {
        return new SetOomScoreAdj(pid, required(r == null ? null : r.value(), prefix + "value"));
    }

    Operation mallopt(int pid, MalloptRequest r, String prefix) {
        return new Mallopt(pid, required(r.param(), prefix + "param"), required(r.value(), prefix + "value"));
    }

    Operation mmap(int pid, MmapRequest r, String prefix) {
        return new Mmap(pid, Sizes.address(prefix + "address", r.address(), 0), Sizes.bytes(prefix + "length", r.length()),
                r.prot() == null ? "rw-" : prot(r.prot(), prefix + "prot"),
                r.flags() == null ? List.of("MAP_PRIVATE", "MAP_ANONYMOUS") : r.flags());
    }

    Operation munmap(int pid, MunmapRequest r, String prefix) {
        return new Munmap(pid, Sizes.address(prefix + "address", r.address()), Sizes.bytes(prefix + "length", r.length()));
    }

    Operation mprotect(int pid, MprotectRequest r, String prefix) {
        return new Mprotect(pid, Sizes.address(prefix + "address", r.address()),
                Sizes.bytes(prefix + "length", r.length()), prot(required(r.prot(), prefix + "prot"), prefix + "prot"));
    }

    Operation brk(int pid, BrkRequest r, String prefix) {
        return new Brk(pid, Sizes.address(prefix + "address", r.address()));
    }

    Operation sbrk(int pid, SbrkRequest r, String prefix) {
        String field = prefix + "increment";
        String inc = required(r.increment(), field).trim();
        boolean negative = inc.startsWith("-");
        String magnitude = negative ? inc.substring(1) : inc;
        if (magnitude.isEmpty() || !Character.isDigit(magnitude.charAt(0))) {
            throw new ApiInputException(field, field + " must be bytes or a size like \"4KiB\", negative to shrink "
                    + "(\"-4KiB\"), got \"" + r.increment() + "\"");
        }
        long bytes = Sizes.bytes(field, magnitude);
        return new Sbrk(pid, negative ? -bytes : bytes);
    }

    Operation mempolicy(int pid, MempolicyRequest r, String prefix) {
        return new SetMempolicy(pid, required(r.mode(), prefix + "mode"), r.nodes(), r.weights());
    }

    Operation mbind(int pid, MbindRequest r, String prefix) {
        return new Mbind(pid, Sizes.address(prefix + "address", r.address()), Sizes.bytes(prefix + "length", r.length()),
                required(r.mode(), prefix + "mode"), r.nodes(), r.weights());
    }

    Operation touch(int pid, TouchRequest r, String prefix) {
        long length = r.length() == null ? 1 : Sizes.bytes(prefix + "length", r.length());
        return new Touch(pid, Sizes.address(prefix + "address", r.address()), length,
                r.access() == null ? "read" : r.access(), r.cpu());
    }

    private static final java.util.Set<String> PROCESS_OPS = java.util.Set.of("exit", "fork", "exec", "wait", "malloc", "free", "mallopt",
            "mmap", "munmap", "mprotect", "brk", "sbrk", "set_mempolicy", "mbind", "touch", "set_oom_score_adj");
    private static final String OPS = "alloc_pages, free_pages, kmalloc, kfree, vmalloc, vfree, create_process, exit, fork, exec, wait, malloc, free, mallopt, mmap, "
            + "munmap, mprotect, brk, sbrk, set_mempolicy, mbind, touch, set_oom_score_adj";

    /** One element of an {@code /ops} batch: {@code {"op": "alloc_pages", …fields}}. */
    Operation fromBatch(JsonNode element, int index) {
        String prefix = "[" + index + "].";
        if (!(element instanceof ObjectNode object)) {
            throw new ApiInputException("[" + index + "]", "each operation must be an object with an op field");
        }
        JsonNode op = object.get("op");
        if (op == null || !op.isString()) {
            throw new ApiInputException(prefix + "op", "op is required: one of " + OPS);
        }
        ObjectNode fields = object.deepCopy();
        fields.remove("op");
        JsonNode pidNode = fields.remove("pid");
        try {
            return switch (op.asString()) {
                case "alloc_pages" -> allocPages(json.treeToValue(fields, AllocPagesRequest.class), prefix);
                case "free_pages" -> freePages(json.treeToValue(fields, FreePagesRequest.class), prefix);
                case "kmalloc" -> kmalloc(json.treeToValue(fields, KmallocRequest.class), prefix);
                case "kfree" -> kfree(json.treeToValue(fields, KfreeRequest.class), prefix);
                case "vmalloc" -> vmalloc(json.treeToValue(fields, VmallocRequest.class), prefix);
                case "vfree" -> vfree(json.treeToValue(fields, VfreeRequest.class), prefix);
                case "create_process" -> createProcess(json.treeToValue(fields, CreateProcessRequest.class), prefix);
                default -> {
                    if (!PROCESS_OPS.contains(op.asString())) {
                        throw new ApiInputException(prefix + "op", "unknown op \"" + op.asString() + "\"; one of " + OPS);
                    }
                    yield processOp(op.asString(), pid(pidNode, prefix), fields, prefix);
                }
            };
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "" : e.getPath().get(0).getPropertyName();
            throw new ApiInputException(prefix + field, "operation " + index + ": field '" + field
                    + "' is unknown or has the wrong type");
        }
    }

    private Operation processOp(String op, int pid, ObjectNode fields, String prefix) {
        return switch (op) {
            case "exit" -> exit(pid, json.treeToValue(fields, ExitRequest.class));
            case "fork" -> fork(pid);
            case "exec" -> exec(pid, json.treeToValue(fields, ExecRequest.class), prefix);
            case "wait" -> waitChild(pid, json.treeToValue(fields, WaitRequest.class));
            case "malloc" -> malloc(pid, json.treeToValue(fields, MallocRequest.class), prefix);
            case "free" -> free(pid, json.treeToValue(fields, FreeRequest.class), prefix);
            case "mallopt" -> mallopt(pid, json.treeToValue(fields, MalloptRequest.class), prefix);
            case "mmap" -> mmap(pid, json.treeToValue(fields, MmapRequest.class), prefix);
            case "munmap" -> munmap(pid, json.treeToValue(fields, MunmapRequest.class), prefix);
            case "mprotect" -> mprotect(pid, json.treeToValue(fields, MprotectRequest.class), prefix);
            case "brk" -> brk(pid, json.treeToValue(fields, BrkRequest.class), prefix);
            case "sbrk" -> sbrk(pid, json.treeToValue(fields, SbrkRequest.class), prefix);
            case "set_mempolicy" -> mempolicy(pid, json.treeToValue(fields, MempolicyRequest.class), prefix);
            case "mbind" -> mbind(pid, json.treeToValue(fields, MbindRequest.class), prefix);
            case "touch" -> touch(pid, json.treeToValue(fields, TouchRequest.class), prefix);
            case "set_oom_score_adj" -> oomScoreAdj(pid, json.treeToValue(fields, OomScoreAdjRequest.class), prefix);
            default -> throw new ApiInputException(prefix + "op", "unknown op \"" + op + "\"; one of " + OPS);
        };
    }

    private static int pid(JsonNode node, String prefix) {
        if (node == null || !node.isInt()) {
            throw new ApiInputException(prefix + "pid", "pid is required: the process the operation runs in");
        }
        return node.asInt();
    }

    /**
     * {@code prot} as API.md allows it: a string ({@code "rw-"}, {@code "PROT_READ|PROT_WRITE"}) or a
     * list of {@code PROT_*} names, joined here with {@code |} for the kernel's parser.
     */
    static String prot(Object value, String field) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof List<?> names && !names.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Object name : names) {
                if (!(name instanceof String text) || text.isBlank() || text.contains("|")) {
                    throw new ApiInputException(field, field + " lists " + name + "; each entry must be one PROT_* name");
                }
                sb.append(sb.length() == 0 ? "" : "|").append(text);
            }
            return sb.toString();
        }
        throw new ApiInputException(field, field + " must be a string like \"rw-\" or a non-empty list of PROT_* names");
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new ApiInputException(field, field + " is required");
        }
        return value;
    }

    /** The JSON of a result, for batch answers. */
    JsonNode tree(OperationResult result) {
        return json.valueToTree(result);
    }

}
