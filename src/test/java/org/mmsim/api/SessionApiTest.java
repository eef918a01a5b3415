package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

/** The session resource as API.md describes it, and RFC 9457 answers for every kind of bad input. */
class SessionApiTest extends ApiTest {

    @Test
    void createFromPresetAnswers201WithVersionZeroAndLocation() throws Exception {
        var result = postJson("/api/v1/sessions", "{\"preset\":\"x86_64-2node-4g\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/v1/sessions/")))
                .andExpect(jsonPath("$.version").value(0))
                .andExpect(jsonPath("$.preset").value("x86_64-2node-4g"))
                .andExpect(jsonPath("$.machine.arch").value("x86_64"))
                .andExpect(jsonPath("$.machine.nodes.length()").value(2))
                .andExpect(jsonPath("$.machine.nodes[1].memory").value("4GiB"))
                .andExpect(jsonPath("$.machine.distances[0][1]").value(20));
        String id = body(result).get("id").asString();
        call(get("/api/v1/sessions/" + id)).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(id));
    }

    @Test
    void createWithoutBodyBootsTheDefaultPreset() throws Exception {
        call(post("/api/v1/sessions")).andExpect(status().isCreated())
                .andExpect(jsonPath("$.preset").value("x86_64-1node-1g"));
    }

    @Test
    void createFromMachineAcceptsSizesAsStringsOrBytes() throws Exception {
        postJson("/api/v1/sessions", """
                {"machine": {"arch": "i386", "nodes": [{"memory": "2GiB", "cpus": 2}], "swap": 1048576, "seed": 7}}
                """)
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.machine.arch").value("i386"))
                .andExpect(jsonPath("$.machine.swap").value("1MiB"))
                .andExpect(jsonPath("$.machine.seed").value(7));
    }

    @Test
    void aOneTebibyteMachineIsAllowedByDefault() throws Exception {
        postJson("/api/v1/sessions", """
                {"machine": {"arch": "x86_64", "nodes": [{"memory": "512GiB", "cpus": 4}, {"memory": "512GiB", "cpus": 4}]}}
                """).andExpect(status().isCreated());
    }

    @Test
    void listShowsOnlyTheCallersSessionsNewestFirst() throws Exception {
        String client = "student-" + UUID.randomUUID();
        String first = body(call(post("/api/v1/sessions").header("X-Mmsim-Client", client))).get("id").asString();
        String second = body(call(post("/api/v1/sessions").header("X-Mmsim-Client", client))).get("id").asString();
        call(get("/api/v1/sessions?size=1").header("X-Mmsim-Client", client))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalElements").value(2))
                .andExpect(jsonPath("$.content.length()").value(1));
        var all = body(call(get("/api/v1/sessions").header("X-Mmsim-Client", client)));
        assertThat(all.get("content").findValuesAsString("id")).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void deleteAnswers204AndTheSessionIsGone() throws Exception {
        String id = createSession("{}");
        call(delete("/api/v1/sessions/" + id)).andExpect(status().isNoContent());
        call(get("/api/v1/sessions/" + id)).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("https://mmsim.org/problems/not-found"));
        call(delete("/api/v1/sessions/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void presetsListTheirConfigsInTheShapeSessionsAccept() throws Exception {
        var presets = body(call(get("/api/v1/presets")).andExpect(status().isOk()));
        assertThat(presets.findValuesAsString("name")).contains("x86_64-2node-4g", "i386-1node-2g");
        var machine = presets.get(0).get("machine");
        postJson("/api/v1/sessions", "{\"machine\":" + machine + "}").andExpect(status().isCreated());
    }

    @ParameterizedTest(name = "{0} -> {1} naming {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"preset\": \"no-such\"}                                                  | 400 | preset",
        "{\"preset\": 5, \"machine\": {}}                                          | 400 | preset",
        "{\"machine\": {\"arch\": \"arm64\", \"nodes\": [{\"memory\": \"1GiB\"}]}} | 400 | machine.arch",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"-1GiB\"}]}} | 400 | machine.nodes[0].memory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\", \"cpus\": \"two\"}]}} | 400 | machine.nodes[0].cpus",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1XB\"}]}}  | 400 | machine.nodes[0].memory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1MiB\"}]}} | 400 | machine.nodes[0].memory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"99999999999999999999\"}]}} | 400 | machine.nodes[0].memory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64TiB\"}]}} | 422 | machine.nodes",
        "{\"machine\": {\"arch\": \"i386\", \"nodes\": [{\"memory\": \"8GiB\"}]}}   | 400 | machine.nodes[0].memory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"distances\": [[20]]}} | 400 | machine.distances[0][0]",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"swap\": \"-4KiB\"}} | 400 | machine.swap",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"tunables\": {\"overcommitMemory\": 3}}} | 400 | machine.tunables.overcommitMemory",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": []}}                       | 400 | machine.nodes",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"swap\": \"5TiB\"}} | 422 | machine.swap",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"distances\": [[null]]}} | 400 | machine.distances[0][0]",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"distances\": [null]}} | 400 | machine.distances[0]",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [null]}}                   | 400 | machine.nodes[0]",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\", \"cpus\": 1.5}]}} | 400 | machine.nodes[0].cpus",
        "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"1GiB\"}], \"colour\": 1}} | 400 | machine.colour",
    })
    void badInputIsAProblemNamingTheFieldAndCreatesNothing(String body, int status, String field) throws Exception {
        String client = "bad-" + UUID.randomUUID();
        call(post("/api/v1/sessions").header("X-Mmsim-Client", client)
                .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(status))
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.detail").isString())
                .andExpect(jsonPath("$.trace").doesNotExist());
        call(get("/api/v1/sessions").header("X-Mmsim-Client", client)).andExpect(jsonPath("$.totalElements").value(0));
    }

    @Test
    void malformedJsonIsAProblemNotA500() throws Exception {
        postJson("/api/v1/sessions", "{\"preset\": ")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://mmsim.org/problems/malformed-request"));
    }

    @Test
    void unknownSessionIs404NamingIt() throws Exception {
        call(get("/api/v1/sessions/nope")).andExpect(status().isNotFound()).andExpect(jsonPath("$.field").value("sid"));
        postJson("/api/v1/sessions/nope/kernel/alloc-pages", "{\"order\":0}").andExpect(status().isNotFound());
    }

    @Test
    void wrongMethodAndMediaTypeAreProblems() throws Exception {
        call(delete("/api/v1/presets")).andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.type").value("https://mmsim.org/problems/method-not-allowed"));
        call(post("/api/v1/sessions").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isUnsupportedMediaType());
        call(get("/api/v1/sessions?size=0")).andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("size"));
        call(get("/api/v1/sessions?page=x")).andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("page"));
    }
}
