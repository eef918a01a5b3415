package org.mmsim.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

/** GET …/swap and major faults in touch answers, over HTTP. */
class SwapApiTest extends ApiTest {

    // swapon of a 64 MiB device: 16384 slots, slot 0 the header, SwapTotal 16383 pages
    @Test
    void swapEndpointShouldDescribeThePresetsDevice() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-64m-swap64m\"}");
        call(get("/api/v1/sessions/" + s + "/swap")).andExpect(status().isOk())
                .andExpect(jsonPath("$.devices.length()").value(1))
                .andExpect(jsonPath("$.devices[0].type").value(0))
                .andExpect(jsonPath("$.devices[0].sizeBytes").value(64 << 20))
                .andExpect(jsonPath("$.devices[0].slots").value(16384))
                .andExpect(jsonPath("$.devices[0].totalPages").value(16383))
                .andExpect(jsonPath("$.devices[0].usedSlots").value(0))
                .andExpect(jsonPath("$.devices[0].pswpout").value(0))
                .andExpect(jsonPath("$.devices[0].entries.length()").value(0));
    }

    @Test
    void machineWithoutSwapShouldListNoDevice() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        call(get("/api/v1/sessions/" + s + "/swap")).andExpect(status().isOk())
                .andExpect(jsonPath("$.devices.length()").value(0));
    }

    // filemap_fault: the first read of a program-image page is a major fault (read from disk)
    @Test
    void touchShouldReportMajorFaultsOfTheFirstImageRead() throws Exception {
        String s = createSession("{\"preset\": \"x86_64-64m-swap64m\"}");
        String b = "/api/v1/sessions/" + s;
        int pid = body(postJson(b + "/processes", "{\"name\": \"app\"}")).get("pid").asInt();
        postJson(b + "/processes/" + pid + "/touch", "{\"address\": \"0x555555554000\", \"length\": \"16KiB\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.faults.major").value(4));
        postJson(b + "/processes/" + pid + "/touch", "{\"address\": \"0x555555554000\", \"length\": \"16KiB\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.faults.major").value(0));
    }
}
