package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Processes over HTTP: creation, malloc, mmap, touch with its faults, the VMA and page-table views, errors. */
class ProcessApiTest extends ApiTest {

    private String sid;

    private String base() throws Exception {
        if (sid == null) {
            sid = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        }
        return "/api/v1/sessions/" + sid;
    }

    private int createProcess() throws Exception {
        JsonNode created = body(postJson(base() + "/processes", "{\"name\": \"app\"}")
                .andExpect(status().isCreated())
                .andExpect(header().exists("Location")));
        return created.get("pid").asInt();
    }

    @Test
    void aNewX86Process_isAPieAt555555554000_withA132KiBStackAndNoHeap() throws Exception {
        int pid = createProcess();
        JsonNode vmas = body(call(get(base() + "/processes/" + pid + "/vmas")).andExpect(status().isOk()));
        assertThat(vmas.get("vmas").get(0).get("start").asString()).isEqualTo("0x555555554000");
        assertThat(vmas.get("vmas").get(0).get("kind").asString()).isEqualTo("text");
        JsonNode stack = vmas.get("vmas").get(vmas.get("vmas").size() - 1);
        assertThat(stack.get("kind").asString()).isEqualTo("stack");
        assertThat(stack.get("start").asString()).isEqualTo("0x7ffffffde000");
        assertThat(stack.get("end").asString()).isEqualTo("0x7ffffffff000");
        for (JsonNode v : vmas.get("vmas")) {
            assertThat(v.get("kind").asString()).isNotEqualTo("heap");
        }
        call(get(base() + "/processes/" + pid)).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("running"))
                .andExpect(jsonPath("$.mm.mmapBase").value("0x7ffff7fff000"))
                .andExpect(jsonPath("$.mm.stackVm").value(33));
        call(get(base() + "/processes/" + pid + "/vmas").param("view", "tree")).andExpect(status().isOk())
                .andExpect(jsonPath("$.tree.root").exists());
    }

    @Test
    void firstMallocGrowsTheBreakBy0x21000_andALargeOneIsMmapped() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        postJson(p + "/malloc", "{\"size\": 1}").andExpect(status().isOk())
                .andExpect(jsonPath("$.via").value("brk"))
                .andExpect(jsonPath("$.brkIncrement").value(0x21000));
        postJson(p + "/malloc", "{\"size\": \"200000\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.via").value("mmap"));
        JsonNode vmas = body(call(get(p + "/vmas")));
        boolean heap = false;
        for (JsonNode v : vmas.get("vmas")) {
            heap |= v.get("kind").asString().equals("heap");
        }
        assertThat(heap).isTrue();
    }

    // do_anonymous_page: a read maps the zero page (no RSS), a write then copies it (RSS + 1 per page)
    @Test
    void readThenWrite_takesZeroPageThenCowFaults() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        String addr = body(postJson(p + "/mmap", "{\"length\": \"64KiB\", \"prot\": \"rw-\", "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}").andExpect(status().isOk())).get("address").asString();
        postJson(p + "/touch", "{\"address\": \"" + addr + "\", \"length\": \"64KiB\", \"access\": \"read\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.pages").value(16))
                .andExpect(jsonPath("$.faults.minor").value(16))
                .andExpect(jsonPath("$.faults.zeroPage").value(16));
        postJson(p + "/touch", "{\"address\": \"" + addr + "\", \"length\": \"64KiB\", \"access\": \"write\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.faults.minor").value(16))
                .andExpect(jsonPath("$.faults.cowCopy").value(16));
        JsonNode tr = body(call(get(p + "/translate").param("address", addr)).andExpect(status().isOk()));
        assertThat(tr.get("levels")).hasSize(4);
        long pfn = tr.get("pfn").asLong();
        call(get(base() + "/frames/" + pfn)).andExpect(status().isOk())
                .andExpect(jsonPath("$.owner").value("anon"))
                .andExpect(jsonPath("$.mappedBy[0].pid").value(pid))
                .andExpect(jsonPath("$.mappedBy[0].address").value(addr));
        call(get(p + "/page-table")).andExpect(status().isOk())
                .andExpect(jsonPath("$.tables").isArray());
    }

    // arch/x86/mm/fault.c: no VMA → SIGSEGV SEGV_MAPERR, and SIGSEGV's default action kills the process
    @Test
    void touchingUnmappedMemory_killsTheProcessWithSegvMaperr() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        postJson(p + "/touch", "{\"address\": \"0x1000\", \"access\": \"read\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.signal.name").value("SIGSEGV"))
                .andExpect(jsonPath("$.signal.code").value("SEGV_MAPERR"))
                .andExpect(jsonPath("$.signal.address").value("0x1000"))
                .andExpect(jsonPath("$.state").value("killed"));
        call(get(p)).andExpect(jsonPath("$.state").value("killed")).andExpect(jsonPath("$.exitSignal").value("SIGSEGV"));
        postJson(p + "/malloc", "{\"size\": 1}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("pid"));
    }

    @Test
    void mmapErrorsAreResults_andBadFieldsAreProblems() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        postJson(p + "/mmap", "{\"length\": 0, \"prot\": \"rw-\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.error").value("EINVAL"));
        postJson(p + "/mmap", "{\"length\": 4096, \"prot\": \"rwz\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("prot"));
        postJson(p + "/mmap", "{\"length\": 4096, \"flags\": [\"MAP_PRIVATE\", \"MAP_BOGUS\"]}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("flags"));
        postJson(p + "/touch", "{\"address\": \"0xzz\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("address"));
        postJson(p + "/free", "{\"address\": \"0x1234\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("address"));
        call(get(base() + "/processes/4242")).andExpect(status().isNotFound());
        postJson(base() + "/processes", "{\"name\": \"this-name-is-far-too-long\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("name"));
    }

    @Test
    void exitFreesEverything_andTheProcessStaysListedAsExited() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String b = "/api/v1/sessions/" + s;
        long free = body(call(get(b + "/machine"))).get("nodes").get(0).get("zones").get(1).get("freePages").asLong();
        int pid = body(postJson(b + "/processes", "{\"name\": \"app\"}")).get("pid").asInt();
        postJson(b + "/processes/" + pid + "/touch", "{\"address\": \"0x555555554000\", \"length\": \"64KiB\"}");
        postJson(b + "/processes/" + pid + "/exit", "{\"code\": 3}").andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("exited"));
        call(get(b + "/processes/" + pid)).andExpect(jsonPath("$.exitCode").value(3))
                .andExpect(jsonPath("$.mm").doesNotExist());
        long after = body(call(get(b + "/machine"))).get("nodes").get(0).get("zones").get(1).get("freePages").asLong();
        assertThat(after).isEqualTo(free);
        call(get(b)).andExpect(jsonPath("$.processes").isEmpty());
    }

    @Test
    void batchOpsAcceptProcessOperations() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String b = "/api/v1/sessions/" + s;
        postJson(b + "/ops", "[{\"op\": \"create_process\", \"name\": \"a\"}, "
                + "{\"op\": \"mmap\", \"pid\": 1000, \"length\": \"8KiB\"}, "
                + "{\"op\": \"touch\", \"pid\": 1000, \"address\": \"0x7ffff7ffd000\", \"length\": 8192, \"access\": \"write\"}]")
                .andExpect(status().isOk());
        call(get(b + "/processes/1000")).andExpect(jsonPath("$.mm.rss.anon").value(3));
    }

    // fs/proc/task_mmu.c show_map_vma: the image, [stack]; status VmStk is the 132 KiB initial stack
    @Test
    void procPidFilesRenderTheKernelFormats_andVanishWithTheProcess() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String b = "/api/v1/sessions/" + s;
        int pid = body(postJson(b + "/processes", "{\"name\": \"app\"}")).get("pid").asInt();
        String maps = call(get(b + "/proc/" + pid + "/maps")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(maps).startsWith("555555554000-555555564000 r-xp 00000000 08:01 ");
        assertThat(maps).contains("/usr/bin/app\n").contains("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0");
        assertThat(maps).endsWith("[stack]\n");
        String status = call(get(b + "/proc/" + pid + "/status")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(status).contains("VmStk:\t     132 kB\n");
        call(get(b + "/proc/" + pid + "/smaps")).andExpect(status().isOk());
        call(get(b + "/proc/" + pid + "/numa_maps")).andExpect(status().isOk());
        call(get(b + "/proc/meminfo")).andExpect(status().isOk());
        postJson(b + "/processes/" + pid + "/exit", "{}").andExpect(status().isOk());
        call(get(b + "/proc/" + pid + "/maps")).andExpect(status().isNotFound());
    }

    // kernel/fork.c + kernel/exit.c: the child is a zombie until the parent waits
    @Test
    void forkExitAndWait_overHttp() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String b = "/api/v1/sessions/" + s + "/processes";
        int parent = body(postJson(b, "{\"name\": \"app\"}")).get("pid").asInt();
        int child = body(call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(b + "/" + parent + "/fork"))
                .andExpect(status().isCreated())).get("pid").asInt();
        call(get(b + "/" + parent)).andExpect(jsonPath("$.children[0]").value(child));
        call(get(b + "/" + child)).andExpect(jsonPath("$.ppid").value(parent));
        postJson(b + "/" + parent + "/wait", "{}").andExpect(status().isOk()).andExpect(jsonPath("$.pid").value(0));
        postJson(b + "/" + child + "/exit", "{\"code\": 5}").andExpect(jsonPath("$.state").value("zombie"));
        postJson(b + "/" + parent + "/wait", "{\"pid\": " + child + "}").andExpect(status().isOk())
                .andExpect(jsonPath("$.pid").value(child)).andExpect(jsonPath("$.code").value(5));
        call(get(b + "/" + child)).andExpect(jsonPath("$.state").value("exited"));
        postJson(b + "/" + parent + "/wait", "{}").andExpect(jsonPath("$.error").value("ECHILD"));
        postJson(b + "/" + parent + "/exec", "{\"name\": \"ls\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.returned").value(0));
        call(get(b + "/" + parent)).andExpect(jsonPath("$.name").value("ls"));
    }

    // history: a version's state and a diff include the processes, their VMAs and PTEs
    @Test
    void versionsAndDiffShowProcessesVmasAndPtes() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String b = "/api/v1/sessions/" + s;
        postJson(b + "/processes", "{\"name\": \"app\"}");
        postJson(b + "/processes/1000/mmap", "{\"length\": \"8KiB\"}");
        postJson(b + "/processes/1000/touch", "{\"address\": \"0x7ffff7ffd000\", \"access\": \"write\"}");
        call(get(b + "/versions/2")).andExpect(status().isOk())
                .andExpect(jsonPath("$.state.processes[0].vmas").isArray())
                .andExpect(jsonPath("$.state.processes[0].process.pid").value(1000));
        JsonNode diff = body(call(get(b + "/diff").param("from", "2").param("to", "3")).andExpect(status().isOk()));
        boolean pte = false;
        for (JsonNode c : diff.get("changes")) {
            pte |= c.get("path").asString().contains("ptes");
        }
        assertThat(pte).isTrue();
    }

    // the journal keeps a process's comm: a rejected call rebuilds the machine from the journal, which
    // must give back "app" and, after execve, "ls" (not the operation names create_process / exec)
    @Test
    void processNamesSurviveTheJournal_whenARejectedCallRebuildsTheMachine() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        int child = body(postJson(p + "/fork", "{}").andExpect(status().isCreated())).get("pid").asInt();
        postJson(base() + "/processes/" + child + "/exec", "{\"name\": \"ls\"}").andExpect(status().isOk());
        JsonNode journal = body(call(get(base() + "/journal")).andExpect(status().isOk()));
        assertThat(journal.toString()).contains("\"op\":\"create_process\"").contains("\"name\":\"app\"")
                .contains("\"name\":\"ls\"");
        postJson(base() + "/processes/1/malloc", "{\"size\": 100}").andExpect(status().isBadRequest());
        call(get(p)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("app"));
        call(get(base() + "/processes/" + child)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("ls"));
        String status = call(get(base() + "/proc/" + child + "/status")).andReturn().getResponse().getContentAsString();
        assertThat(status).startsWith("Name:\tls\n");
    }

    // API.md: prot is a string like "rw-" or a list ["PROT_READ","PROT_WRITE"]
    @Test
    void protMayBeAListOfProtNames_inMmapAndMprotect() throws Exception {
        String p = base() + "/processes/" + createProcess();
        String addr = body(postJson(p + "/mmap", "{\"length\": 8192, \"prot\": [\"PROT_READ\", \"PROT_WRITE\"], "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}").andExpect(status().isOk())).get("address").asString();
        postJson(p + "/mprotect", "{\"address\": \"" + addr + "\", \"length\": 4096, \"prot\": [\"PROT_READ\"]}")
                .andExpect(status().isOk());
        String maps = call(get(p.replace("/processes/", "/proc/") + "/maps")).andReturn().getResponse().getContentAsString();
        assertThat(maps).contains(addr.substring(2) + "-").contains(" r--p ").contains(" rw-p ");
        postJson(p + "/mprotect", "{\"address\": \"" + addr + "\", \"length\": 4096, \"prot\": [5]}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("prot"));
        postJson(p + "/mprotect", "{\"address\": \"" + addr + "\", \"length\": 4096, \"prot\": []}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("prot"));
    }

    // bad input is a problem naming the field, in the client's terms: fractions are not truncated to
    // integers, nulls inside lists are refused, and no Java type names leak into the detail
    @Test
    void fractionsNullsAndWrongTypesAreProblemsInJsonTerms() throws Exception {
        int pid = createProcess();
        String p = base() + "/processes/" + pid;
        String[][] cases = {
            {base() + "/kernel/alloc-pages", "{\"order\": 1.5}", "order"},
            {base() + "/kernel/alloc-pages", "{\"order\": 0, \"node\": 0.0001}", "node"},
            {p + "/oom_score_adj", "{\"value\": 0.5}", "value"},
            {p + "/exit", "{\"code\": 0.5}", "code"},
            {p + "/mempolicy", "{\"mode\": \"MPOL_WEIGHTED_INTERLEAVE\", \"nodes\": [0], \"weights\": [null]}", "weights[0]"},
            {p + "/mempolicy", "{\"mode\": \"MPOL_INTERLEAVE\", \"nodes\": [null]}", "nodes[0]"},
            {p + "/wait", "{\"pid\": false}", "pid"},
            {p + "/brk", "[{\"address\": \"0x55555558b000\"}]", null},
            {base() + "/kernel/free-pages", "{\"pfn\": 99999999999999999999999, \"order\": 0}", "pfn"},
        };
        for (String[] c : cases) {
            JsonNode problem = body(postJson(c[0], c[1]).andExpect(status().isBadRequest()));
            assertThat(problem.get("type").asString()).as(c[1]).endsWith("/malformed-request");
            if (c[2] != null) {
                assertThat(problem.get("field").asString()).as(c[1]).isEqualTo(c[2]);
            }
            assertThat(problem.get("detail").asString()).as(c[1]).doesNotContain("java.").doesNotContain("`")
                    .doesNotContain("org.mmsim").doesNotContain("Jackson");
        }
        call(get(p)).andExpect(status().isOk()).andExpect(jsonPath("$.state").value("running"));
    }

    // glibc sbrk(increment) answers the previous break; the increment takes sizes with units like
    // every other size field, and a leading minus shrinks the heap
    @Test
    void sbrkTakesSizesWithUnitsAndNegativeIncrements() throws Exception {
        String p = base() + "/processes/" + createProcess();
        JsonNode grown = body(postJson(p + "/sbrk", "{\"increment\": \"8KiB\"}").andExpect(status().isOk()));
        long start = Long.decode(grown.get("previous").asString());
        assertThat(Long.decode(grown.get("brk").asString())).isEqualTo(start + 8192);
        JsonNode shrunk = body(postJson(p + "/sbrk", "{\"increment\": \"-4KiB\"}").andExpect(status().isOk()));
        assertThat(Long.decode(shrunk.get("previous").asString())).isEqualTo(start + 8192);
        assertThat(Long.decode(shrunk.get("brk").asString())).isEqualTo(start + 4096);
        JsonNode bytes = body(postJson(p + "/sbrk", "{\"increment\": 4096}").andExpect(status().isOk()));
        assertThat(Long.decode(bytes.get("brk").asString())).isEqualTo(start + 8192);
        postJson(p + "/sbrk", "{\"increment\": \"4 apples\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("increment"));
        for (String bad : new String[] {"-abc", "- 4KiB", "-", "+4KiB"}) {
            postJson(p + "/sbrk", "{\"increment\": \"" + bad + "\"}").andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.field").value("increment"));
        }
    }

    // an empty GFP flag is refused before it is journaled (Gfp.parse itself stays lenient for old journals)
    @Test
    void anEmptyGfpFlagIsRefusedNamingGfp() throws Exception {
        for (String gfp : new String[] {"|", "GFP_KERNEL|", "GFP_KERNEL||__GFP_ZERO"}) {
            postJson(base() + "/kernel/alloc-pages", "{\"order\": 0, \"gfp\": \"" + gfp + "\"}")
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("gfp"));
            postJson(base() + "/kernel/kmalloc", "{\"size\": 64, \"gfp\": \"" + gfp + "\"}")
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("gfp"));
        }
        call(get(base() + "/phys/alloc-check").param("order", "0").param("gfp", "GFP_KERNEL|"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("gfp"));
    }
}
