package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The OOM killer and overcommit over HTTP: /proc/PID/oom_score_adj written with PUT (journaled),
 * /proc/PID/oom_score, the touch answer's oomKill, and ENOMEM from strict overcommit as a result.
 */
class OomApiTest extends ApiTest {

    private static final String SMALL = "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64MiB\"}], "
            + "\"swap\": 0, \"seed\": 1}}";

    private int createProcess(String base, String name) throws Exception {
        return body(postJson(base + "/processes", "{\"name\": \"" + name + "\"}").andExpect(status().isCreated()))
                .get("pid").asInt();
    }

    private String mmapAndWrite(String p, String length) throws Exception {
        String addr = body(postJson(p + "/mmap", "{\"length\": \"" + length + "\", \"prot\": \"rw-\", "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}").andExpect(status().isOk())).get("address").asString();
        return addr;
    }

    // __set_oom_adj via PUT; proc_oom_score and oom_score_adj as /proc text; the process view shows both
    @Test
    void oomScoreAdjShouldBeSettableAndReadableAsProcFiles() throws Exception {
        String base = "/api/v1/sessions/" + createSession(SMALL);
        int pid = createProcess(base, "app");
        String p = base + "/processes/" + pid;
        call(put(p + "/oom_score_adj").contentType(MediaType.APPLICATION_JSON).content("{\"value\": -1000}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.oomScoreAdj").value(-1000))
                .andExpect(jsonPath("$.oomScore").value(0))
                .andExpect(jsonPath("$.version").value(2));
        call(get(base + "/proc/" + pid + "/oom_score_adj")).andExpect(status().isOk())
                .andExpect(content().string("-1000\n"));
        call(get(base + "/proc/" + pid + "/oom_score")).andExpect(status().isOk()).andExpect(content().string("0\n"));
        postJson(p + "/oom_score_adj", "{\"value\": 500}").andExpect(status().isOk())
                .andExpect(jsonPath("$.oomScoreAdj").value(500));
        JsonNode view = body(call(get(p)).andExpect(status().isOk()));
        assertThat(view.get("oomScoreAdj").asInt()).isEqualTo(500);
        long score = Long.parseLong(body(call(get(p))).get("oomScore").asString());
        // 7681 pages here, so adj 500 adds 500 * (7681 / 1000) = 3500 points, 3500 * 1000 / 7681 = 455 of the
        // 1000 scale; the process's few resident and table pages add about 1: (1000 + 456) * 2 / 3 = 970
        JsonNode mm = view.get("mm");
        long points = mm.get("rss").get("total").asLong() + mm.get("rss").get("swap").asLong()
                + mm.get("pgtablesBytes").asLong() / 4096 + 500 * (7681 / 1000);
        assertThat(score).isEqualTo((1000 + points * 1000 / 7681) * 2 / 3).isBetween(969L, 972L);
        call(get(base + "/proc/" + pid + "/oom_score")).andExpect(content().string(score + "\n"));
        call(get(base + "/journal")).andExpect(jsonPath("$.content[1].op").value("set_oom_score_adj"))
                .andExpect(jsonPath("$.content[1].params.value").value(-1000));
    }

    // oom_score_adj_write: a value outside -1000..1000 is EINVAL — a 400 problem naming the field
    @Test
    void aBadOomScoreAdjShouldBeA400NamingTheField() throws Exception {
        String base = "/api/v1/sessions/" + createSession(SMALL);
        int pid = createProcess(base, "app");
        String p = base + "/processes/" + pid;
        call(put(p + "/oom_score_adj").contentType(MediaType.APPLICATION_JSON).content("{\"value\": 1001}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("value"));
        call(put(p + "/oom_score_adj").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("value"));
        call(put(p + "/oom_score_adj").contentType(MediaType.APPLICATION_JSON).content("{\"value\": \"x\"}"))
                .andExpect(status().isBadRequest());
        call(get(base + "/proc/" + pid + "/oom_score_adj")).andExpect(content().string("0\n"));
        call(get(base + "/proc/9999/oom_score")).andExpect(status().isNotFound());
    }

    // out_of_memory from a fault: the touch answer and the journal say who was killed; the victim's state says oom
    @Test
    void aTouchThatRunsOutOfMemoryShouldReportTheOomKill() throws Exception {
        String base = "/api/v1/sessions/" + createSession(SMALL);
        int hog = createProcess(base, "hog");
        String h = base + "/processes/" + hog;
        String hogAddr = mmapAndWrite(h, "16MiB");
        postJson(h + "/touch", "{\"address\": \"" + hogAddr + "\", \"length\": \"16MiB\", \"access\": \"write\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.oomKill").doesNotExist());
        int grower = createProcess(base, "grower");
        String g = base + "/processes/" + grower;
        String addr = mmapAndWrite(g, "14MiB");
        postJson(g + "/touch", "{\"address\": \"" + addr + "\", \"length\": \"14MiB\", \"access\": \"write\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.oomKill.pid").value(hog))
                .andExpect(jsonPath("$.oomKill.comm").value("hog"))
                .andExpect(jsonPath("$.oomKills[0].pid").value(hog))
                .andExpect(jsonPath("$.state").value("running"))
                .andExpect(jsonPath("$.pages").value(14 * 256));
        call(get(h)).andExpect(jsonPath("$.state").value("killed"))
                .andExpect(jsonPath("$.exitSignal").value("SIGKILL"))
                .andExpect(jsonPath("$.reason").value("oom"));
        JsonNode journal = body(call(get(base + "/journal").param("size", "100")));
        JsonNode last = journal.get("content").get(journal.get("content").size() - 1);
        assertThat(last.get("op").asString()).isEqualTo("touch");
        assertThat(last.get("result").get("oomKill").get("pid").asInt()).isEqualTo(hog);
        String vmstat = call(get(base + "/proc/vmstat")).andReturn().getResponse().getContentAsString();
        assertThat(vmstat).contains("\noom_kill 1\n");
    }

    // __vm_enough_memory under OVERCOMMIT_NEVER: ENOMEM is the simulation's answer (200), not an HTTP error
    @Test
    void strictOvercommitShouldAnswerEnomemAsAResult() throws Exception {
        String base = "/api/v1/sessions/" + createSession("{\"machine\": {\"arch\": \"x86_64\", \"nodes\": "
                + "[{\"memory\": \"1GiB\"}], \"tunables\": {\"overcommitMemory\": 2}}}");
        int pid = createProcess(base, "app");
        postJson(base + "/processes/" + pid + "/mmap", "{\"length\": \"1GiB\", \"prot\": \"rw-\", "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.error").value("ENOMEM"));
        postJson(base + "/processes/" + pid + "/mmap", "{\"length\": \"1GiB\", \"prot\": \"r--\", "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.error").doesNotExist());
    }
}
