package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The TLB views, the touch's tlb field, the fragmentation indexes and alloc-check over HTTP. */
class TlbAndFragmentationApiTest extends ApiTest {

    // repeated touches of a page hit the TLB; GET …/processes/{pid}/tlb shows the cached translation
    @Test
    void touchReportsTlbHitsAndMissesAndTheProcessViewShowsTheEntry() throws Exception {
        String sid = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String p = "/api/v1/sessions/" + sid + "/processes/"
                + body(postJson("/api/v1/sessions/" + sid + "/processes", "{\"name\": \"app\"}")).get("pid").asInt();
        String a = body(postJson(p + "/mmap", "{\"length\": \"8KiB\", \"prot\": \"rw-\", "
                + "\"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}")).get("address").asString();
        postJson(p + "/touch", "{\"address\": \"" + a + "\", \"length\": \"8KiB\", \"access\": \"write\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tlb.hits").value(0)).andExpect(jsonPath("$.tlb.misses").value(2));
        postJson(p + "/touch", "{\"address\": \"" + a + "\", \"length\": \"8KiB\", \"access\": \"read\"}")
                .andExpect(jsonPath("$.tlb.hits").value(2)).andExpect(jsonPath("$.tlb.misses").value(0));
        JsonNode tlb = body(call(get(p + "/tlb")).andExpect(status().isOk()));
        assertThat(tlb.get("hits").asLong()).isEqualTo(2);
        assertThat(tlb.get("misses").asLong()).isEqualTo(2);
        assertThat(tlb.get("cpus").get(0).get("entries").findValuesAsString("address")).contains(a);
        assertThat(tlb.get("config").get("entries").asInt()).isEqualTo(64);
        // another CPU: the access runs there, its TLB misses; the machine view shows both CPUs
        postJson(p + "/touch", "{\"address\": \"" + a + "\", \"access\": \"read\", \"cpu\": 1}")
                .andExpect(jsonPath("$.tlb.misses").value(1));
        postJson(p + "/munmap", "{\"address\": \"" + a + "\", \"length\": 8192}").andExpect(status().isOk());
        JsonNode machine = body(call(get("/api/v1/sessions/" + sid + "/tlb")).andExpect(status().isOk()));
        assertThat(machine.get("cpus")).hasSize(2);
        assertThat(machine.get("vmstat").get("nr_tlb_remote_flush").asLong()).isEqualTo(1);
        assertThat(machine.get("cpus").get(1).get("entries").findValuesAsString("address")).doesNotContain(a);
    }

    @Test
    void aBadTlbConfigIsAProblemNamingTheField() throws Exception {
        postJson("/api/v1/sessions", "{\"machine\": {\"arch\": \"x86_64\", \"nodes\": [{\"memory\": \"64MiB\"}], "
                + "\"tlb\": {\"entries\": 48}}}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("tlb.entries")));
        String sid = createSession("{\"machine\": {\"arch\": \"i386\", \"nodes\": [{\"memory\": \"64MiB\"}], "
                + "\"tlb\": {\"entries\": 16, \"ways\": 16}}}");
        call(get("/api/v1/sessions/" + sid + "/tlb")).andExpect(jsonPath("$.config.pcid").value(false))
                .andExpect(jsonPath("$.config.sets").value(1));
    }

    // debugfs extfrag files and the zone views carry the same indexes; alloc-check answers without changing state
    @Test
    void fragmentationIndexesAndAllocCheck() throws Exception {
        String sid = createSession("{\"preset\": \"x86_64-1node-1g\"}");
        String s = "/api/v1/sessions/" + sid;
        String extfrag = call(get(s + "/sys/kernel/debug/extfrag/extfrag_index")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(extfrag).startsWith("Node 0, zone      DMA ");
        String unusable = call(get(s + "/sys/kernel/debug/extfrag/unusable_index")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(unusable.lines()).hasSize(2);
        JsonNode zone = body(call(get(s + "/machine"))).get("nodes").get(0).get("zones").get(1);
        assertThat(zone.get("extfragIndex").get(0).asDouble()).isEqualTo(-1.0);
        call(get(s + "/nodes/0/zones/DMA32/free-area").param("limit", "1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.orders[0].unusableIndex").value(0.0));
        JsonNode check = body(call(get(s + "/phys/alloc-check").param("order", "3").param("gfp", "GFP_KERNEL"))
                .andExpect(status().isOk()));
        assertThat(check.get("wouldSucceed").asBoolean()).isTrue();
        assertThat(check.get("fromZone").asString()).isEqualTo("N0-DMA32");
        assertThat(check.get("zones").get(0).get("verdict").asString()).isEqualTo("ok");
        assertThat(body(call(get(s))).get("version").asLong()).isZero();
        JsonNode alloc = body(postJson(s + "/kernel/alloc-pages", "{\"order\": 3, \"gfp\": \"GFP_KERNEL\"}"));
        assertThat(alloc.get("zone").asString()).isEqualTo("DMA32");
        call(get(s + "/phys/alloc-check").param("order", "11")).andExpect(status().isBadRequest());
    }
}
