package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** kmalloc, kfree, vmalloc, vfree and their /proc and JSON views through HTTP (LINUX.md 8.1-8.3). */
class KernelAllocatorApiTest extends ApiTest {

    private String proc(String id, String file) throws Exception {
        return call(get("/api/v1/sessions/" + id + "/proc/" + file)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    // kmalloc(100) answers a kmalloc-128 object at a direct-map address; kfree gives it back
    @Test
    void kmalloc100AnswersAKmalloc128ObjectAndKfreeGivesItBack() throws Exception {
        String id = createSession("{\"preset\":\"x86_64-1node-1g\"}");
        JsonNode r = body(postJson("/api/v1/sessions/" + id + "/kernel/kmalloc", "{\"size\":100,\"gfp\":\"GFP_KERNEL\"}")
                .andExpect(status().isOk()));
        assertThat(r.get("cache").asString()).isEqualTo("kmalloc-128");
        assertThat(r.get("objectSize").asLong()).isEqualTo(128);
        String address = r.get("address").asString();
        assertThat(Long.parseUnsignedLong(address.substring(2), 16))
                .isEqualTo(0xffff888000000000L + (r.get("pfn").asLong() << 12));
        assertThat(proc(id, "slabinfo")).contains("\nkmalloc-128            1     32    128   32    1 :");
        call(get("/api/v1/sessions/" + id + "/kernel/slabs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.caches[?(@.name == 'kmalloc-128')].requestedBytes").value(100))
                .andExpect(jsonPath("$.caches[?(@.name == 'kmalloc-128')].wastedBytes").value(28));
        // the diff of version 0 → 1 shows the object appear in kmalloc-128 (caches[10]: after the 4 named caches and kmalloc-8k … kmalloc-256)
        JsonNode diff = body(call(get("/api/v1/sessions/" + id + "/diff?from=0&to=1")).andExpect(status().isOk()));
        boolean seen = false;
        for (JsonNode c : diff.get("changes")) {
            if (c.get("path").asString().equals("slabs.caches[10].activeObjs")) {
                seen = c.get("from").asLong() == 0 && c.get("to").asLong() == 1;
            }
        }
        assertThat(seen).as("diff %s", diff.get("changes")).isTrue();
        postJson("/api/v1/sessions/" + id + "/kernel/kfree", "{\"address\":\"" + address + "\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.cache").value("kmalloc-128"))
                .andExpect(jsonPath("$.slabFreed").value(true));
        assertThat(proc(id, "slabinfo")).contains("\nkmalloc-128            0      0    128   32    1 :");
    }

    // kfree of a pointer kmalloc never returned: a problem naming the address field, the version does not move
    @Test
    void kfreeOfABadPointerIsAProblemNamingTheAddress() throws Exception {
        String id = createSession("{\"preset\":\"x86_64-1node-1g\"}");
        postJson("/api/v1/sessions/" + id + "/kernel/kfree", "{\"address\":\"0xffff888000001008\"}")
                .andExpect(status().is4xxClientError())
                .andExpect(content().contentType("application/problem+json"))
                .andExpect(jsonPath("$.field").value("address"));
        postJson("/api/v1/sessions/" + id + "/kernel/kmalloc", "{\"size\":8,\"gfp\":\"GFP_DMA32\"}")
                .andExpect(status().is4xxClientError()).andExpect(jsonPath("$.field").value("gfp"));
        call(get("/api/v1/sessions/" + id)).andExpect(jsonPath("$.version").value(0));
    }

    // vmalloc: pages listed with their virtual addresses; /proc/vmallocinfo and VmallocUsed show the area
    @Test
    void vmallocListsItsPagesAndVfreeRemovesTheArea() throws Exception {
        String id = createSession("{\"preset\":\"x86_64-1node-1g\"}");
        JsonNode r = body(postJson("/api/v1/sessions/" + id + "/kernel/vmalloc", "{\"size\":12288}")
                .andExpect(status().isOk()));
        assertThat(r.get("address").asString()).isEqualTo("0xffffc90000000000");
        assertThat(r.get("pages")).hasSize(3);
        assertThat(r.get("pages").get(2).get("address").asString()).isEqualTo("0xffffc90000002000");
        assertThat(proc(id, "vmallocinfo")).startsWith("0xffffc90000000000-0xffffc90000004000   16384 ")
                .contains(" pages=3 vmalloc N0=3\n");
        assertThat(proc(id, "meminfo")).contains("\nVmallocUsed:          12 kB\n");
        postJson("/api/v1/sessions/" + id + "/kernel/vmalloc", "{\"size\":1}").andExpect(status().isOk())
                .andExpect(jsonPath("$.address").value("0xffffc90000004000"));
        postJson("/api/v1/sessions/" + id + "/kernel/vfree", "{\"address\":\"0xffffc90000000000\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.pages").value(3));
        assertThat(proc(id, "vmallocinfo")).startsWith("0xffffc90000004000-0xffffc90000006000    8192 ")
                .doesNotContain("0xffffc90000000000-");
        assertThat(proc(id, "meminfo")).contains("\nVmallocUsed:           4 kB\n");
        postJson("/api/v1/sessions/" + id + "/kernel/vfree", "{\"address\":\"0xffffc90000000000\"}")
                .andExpect(status().is4xxClientError()).andExpect(jsonPath("$.field").value("address"));
    }

    // the batch endpoint takes the same operations; a process created there holds its kernel objects
    @Test
    void batchOperationsIncludeKmallocAndVmalloc() throws Exception {
        String id = createSession("{\"preset\":\"x86_64-1node-1g\"}");
        postJson("/api/v1/sessions/" + id + "/ops", "[{\"op\":\"kmalloc\",\"size\":3000},{\"op\":\"vmalloc\",\"size\":\"8KiB\"},"
                + "{\"op\":\"create_process\",\"name\":\"app\"}]").andExpect(status().isOk());
        String slabinfo = proc(id, "slabinfo");
        assertThat(slabinfo).contains("\nkmalloc-4k             1      8   4096    8    8 :")
                .contains("\ntask_struct            1      7   4224    7    8 :")
                .contains("\nmm_struct              1     20   1600   20    8 :");
    }
}
