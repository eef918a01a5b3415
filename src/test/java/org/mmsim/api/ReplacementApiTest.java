package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
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

/** POST /api/v1/replacement/simulate as API.md describes it: stateless, the textbook table, problems naming the field. */
class ReplacementApiTest extends ApiTest {

    private static final String PATH = "/api/v1/replacement/simulate";
    private static final String BELADY = "[1,2,3,4,1,2,5,1,2,3,4,5]";

    @Test
    void fifoAnswersTheCountsAndTheStepTable() throws Exception {
        var result = postJson(PATH, "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": " + BELADY + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.policy").value("FIFO"))
                .andExpect(jsonPath("$.frames").value(3))
                .andExpect(jsonPath("$.faults").value(9))
                .andExpect(jsonPath("$.hits").value(3))
                .andExpect(jsonPath("$.faultRate").value(0.75))
                .andExpect(jsonPath("$.steps.length()").value(12))
                .andExpect(jsonPath("$.steps[0].ref").value(1))
                .andExpect(jsonPath("$.steps[0].hit").value(false))
                .andExpect(jsonPath("$.steps[0].evicted").isEmpty())
                .andExpect(jsonPath("$.steps[0].frames").value(contains(1)))
                .andExpect(jsonPath("$.steps[3].evicted").value(1))
                .andExpect(jsonPath("$.steps[3].frames").value(contains(4, 2, 3)))
                .andExpect(jsonPath("$.steps[3].loadedAt").value(contains(3, 1, 2)))
                .andExpect(jsonPath("$.steps[3].victimReason").isString())
                .andExpect(jsonPath("$.steps[3].hand").doesNotExist())
                .andExpect(jsonPath("$.steps[7].hit").value(true));
        var first = body(result).get("steps").get(0);
        assertThat(first.has("evicted")).as("evicted is always there, null when nothing was evicted").isTrue();
        assertThat(first.get("evicted").isNull()).isTrue();
        assertThat(first.has("victimReason")).isFalse();
        assertThat(first.has("lastUsed")).as("other policies' columns are left out").isFalse();
    }

    @Test
    void fourFramesShowBeladysAnomaly() throws Exception {
        postJson(PATH, "{\"policy\": \"FIFO\", \"frames\": 4, \"references\": " + BELADY + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.faults").value(10));
    }

    @ParameterizedTest(name = "{0} with {1} frames: {2} faults")
    @CsvSource({"lru, 3, 10, LRU", "Opt, 3, 7, OPT", "LRU, 4, 8, LRU", "OPT, 4, 6, OPT", "clock, 3, 9, CLOCK"})
    void policyNamesAreCaseInsensitiveAndAnsweredCanonically(String sent, int frames, int faults, String canonical)
            throws Exception {
        postJson(PATH, "{\"policy\": \"" + sent + "\", \"frames\": " + frames + ", \"references\": " + BELADY + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.policy").value(canonical))
                .andExpect(jsonPath("$.faults").value(faults));
    }

    @Test
    void clockStepsShowTheHandAndReferenceBitsAndOptShowsNextUse() throws Exception {
        postJson(PATH, "{\"policy\": \"CLOCK\", \"frames\": 3, \"references\": " + BELADY + "}")
                .andExpect(jsonPath("$.steps[3].hand").value(1))
                .andExpect(jsonPath("$.steps[3].referenceBits").value(contains(1, 0, 0)))
                .andExpect(jsonPath("$.steps[3].loadedAt").doesNotExist());
        postJson(PATH, "{\"policy\": \"OPT\", \"frames\": 3, \"references\": " + BELADY + "}")
                .andExpect(jsonPath("$.steps[9].nextUse").value(contains(null, null, 11)));
    }

    @Test
    void randomRepeatsBySeedAndEchoesIt() throws Exception {
        String request = "{\"policy\": \"RANDOM\", \"frames\": 3, \"references\": " + BELADY + ", \"seed\": 1}";
        String first = postJson(PATH, request).andExpect(status().isOk())
                .andExpect(jsonPath("$.seed").value(1)).andReturn().getResponse().getContentAsString();
        String second = postJson(PATH, request).andReturn().getResponse().getContentAsString();
        assertThat(second).isEqualTo(first);
        postJson(PATH, "{\"policy\": \"RANDOM\", \"frames\": 3, \"references\": " + BELADY + "}")
                .andExpect(jsonPath("$.seed").value(0));
    }

    @Test
    void needsNoSessionAndCreatesNone() throws Exception {
        String client = "replacement-" + UUID.randomUUID();
        call(post(PATH)
                .header("X-Mmsim-Client", client).contentType(MediaType.APPLICATION_JSON)
                .content("{\"policy\": \"LRU\", \"frames\": 2, \"references\": [0, 1, 0]}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.hits").value(1));
        call(get("/api/v1/sessions").header("X-Mmsim-Client", client)).andExpect(jsonPath("$.totalElements").value(0));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"policy\": \"LFU\", \"frames\": 3, \"references\": [1]}         | policy",
        "{\"frames\": 3, \"references\": [1]}                              | policy",
        "{\"policy\": \"FIFO\", \"references\": [1]}                       | frames",
        "{\"policy\": \"FIFO\", \"frames\": 0, \"references\": [1]}        | frames",
        "{\"policy\": \"FIFO\", \"frames\": 1025, \"references\": [1]}     | frames",
        "{\"policy\": \"FIFO\", \"frames\": \"three\", \"references\": [1]} | frames",
        "{\"policy\": \"FIFO\", \"frames\": 3}                             | references",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": []}         | references",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": [1, -2]}    | references[1]",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": [1, null]}  | references[1]",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": [1, \"x\"]} | references[1]",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": [1], \"seed\": \"s\"} | seed",
        "{\"policy\": \"FIFO\", \"frames\": 3, \"references\": [1], \"colour\": 1} | colour",
    })
    void badInputIsA400ProblemNamingTheField(String body, String field) throws Exception {
        postJson(PATH, body)
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.detail").isString());
    }

    @Test
    void aTableAboveTheCellCapIsA400OnReferences() throws Exception {
        String refs = "[" + "0,".repeat(1000) + "0]";
        postJson(PATH, "{\"policy\": \"FIFO\", \"frames\": 1000, \"references\": " + refs + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("references"));
    }
}
