package org.mmsim.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** GET …/reclaim, GET …/nodes/{nid}/lru/{list} and the reclaim machine config, over HTTP (mm/vmscan.c). */
class ReclaimApiTest extends ApiTest {

    // writing twice the RAM: kswapd and direct reclaim swap pages out; the lists and counters show it
    @Test
    void writingMoreThanRamShouldShowReclaimInTheCountersListsAndSwap() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-64m-swap64m\"}");
        String b = "/api/v1/sessions/" + s;
        int pid = body(postJson(b + "/processes", "{\"name\": \"writer\"}")).get("pid").asInt();
        String addr = body(postJson(b + "/processes/" + pid + "/mmap",
                "{\"length\": \"60MiB\", \"prot\": \"rw-\", \"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}"))
                .get("address").asText();
        postJson(b + "/processes/" + pid + "/touch", "{\"address\": \"" + addr + "\", \"length\": \"60MiB\", "
                + "\"access\": \"write\"}").andExpect(status().isOk()).andExpect(jsonPath("$.signal").doesNotExist())
                .andExpect(jsonPath("$.reclaim.allocstall").value(Matchers.greaterThan(0)))
                .andExpect(jsonPath("$.reclaim.swappedOut").value(Matchers.greaterThan(0)))
                .andExpect(jsonPath("$.reclaim.kswapdWoken").value(true));

        call(get(b + "/reclaim")).andExpect(status().isOk())
                .andExpect(jsonPath("$.policy").value("kernel"))
                .andExpect(jsonPath("$.swappiness").value(60))
                .andExpect(jsonPath("$.nodes[0].inactiveAnon").value(Matchers.greaterThan(1000)))
                .andExpect(jsonPath("$.vmstat.pswpout").value(Matchers.greaterThan(5000)))
                .andExpect(jsonPath("$.vmstat.pgsteal_direct").value(Matchers.greaterThan(0)))
                .andExpect(jsonPath("$.vmstat.allocstall_movable").value(Matchers.greaterThan(0)))
                .andExpect(jsonPath("$.vmstat.pageoutrun").value(Matchers.greaterThan(0)));
        call(get(b + "/nodes/0/lru/inactive_anon?limit=2")).andExpect(status().isOk())
                .andExpect(jsonPath("$.size").value(Matchers.greaterThan(1000)))
                .andExpect(jsonPath("$.pages.length()").value(2))
                .andExpect(jsonPath("$.pages[0].flags").value(Matchers.hasItems("lru", "swapbacked")))
                .andExpect(jsonPath("$.pages[0].address").exists());
        call(get(b + "/swap")).andExpect(jsonPath("$.devices[0].usedSlots").value(Matchers.greaterThan(5000)));
        call(get(b + "/proc/vmstat")).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(Matchers.containsString("\npgsteal_anon ")));
    }

    @Test
    void reclaimPolicyAndSwappinessShouldBeTakenFromTheMachineConfig() throws Exception {
        String s = createSession("{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64MiB\", \"cpus\": 1}], "
                + "\"swap\": \"32MiB\", \"tunables\": {\"swappiness\": 100}, \"reclaim\": {\"policy\": \"clock\"}}}");
        call(get("/api/v1/sessions/" + s + "/reclaim")).andExpect(status().isOk())
                .andExpect(jsonPath("$.policy").value("clock"))
                .andExpect(jsonPath("$.swappiness").value(100));
        call(get("/api/v1/sessions/" + s)).andExpect(jsonPath("$.machine.reclaim.policy").value("clock"))
                .andExpect(jsonPath("$.machine.tunables.swappiness").value(100));
    }

    @Test
    void unknownReclaimPolicyOrSwappinessOutOfRangeShouldBeProblemsNamingTheField() throws Exception {
        postJson("/api/v1/sessions", "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64MiB\"}], "
                + "\"reclaim\": {\"policy\": \"belady\"}}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("machine.reclaim.policy"));
        postJson("/api/v1/sessions", "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64MiB\"}], "
                + "\"tunables\": {\"swappiness\": 201}}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value(Matchers.containsString("swappiness")));
    }

    @Test
    void unknownListShouldBe404NamingIt() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-64m-swap64m\"}");
        call(get("/api/v1/sessions/" + s + "/nodes/0/lru/hot")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("list"));
        call(get("/api/v1/sessions/" + s + "/nodes/3/lru/active_anon")).andExpect(status().isNotFound());
    }
}
