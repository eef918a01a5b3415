package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Physical memory through HTTP, as a student would drive it. */
class PhysicalMemoryApiTest extends ApiTest {

    private String buddyinfo(String id) throws Exception {
        return call(get("/api/v1/sessions/" + id + "/proc/buddyinfo")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private long version(String id) throws Exception {
        return body(call(get("/api/v1/sessions/" + id))).get("version").asLong();
    }

    /** nr_free per order of one zone line of /proc/buddyinfo. */
    private static long[] counts(String buddyinfo, String zone) {
        String line = buddyinfo.lines().filter(l -> l.contains("zone " + String.format("%8s", zone)))
                .findFirst().orElseThrow();
        return Arrays.stream(line.substring(line.indexOf(zone) + zone.length()).trim().split("\\s+"))
                .mapToLong(Long::parseLong).toArray();
    }

    @Test
    void twoNodeMachineHasDmaAndDma32OnNodeZeroAndNormalOnNodeOne() throws Exception {
        // arch/x86/mm/init.c zone_sizes_init: DMA < 16 MiB, DMA32 < 4 GiB, Normal above; nodes lie in order
        String id = createSession("{\"preset\":\"x86_64-2node-4g\"}");
        call(get("/api/v1/sessions/" + id + "/machine")).andExpect(status().isOk())
                .andExpect(jsonPath("$.nodes[0].zones[*].name").value(org.hamcrest.Matchers.contains("DMA", "DMA32")))
                .andExpect(jsonPath("$.nodes[1].zones[*].name").value(org.hamcrest.Matchers.contains("Normal")))
                .andExpect(jsonPath("$.nodes[1].zones[0].startPfn").value(1048576))
                .andExpect(jsonPath("$.nodes[0].distances[1]").value(20));
    }

    @Test
    void orderThreeAllocationSplitsTheSmallestSufficientBlockAndFreeRestoresBuddyinfo() throws Exception {
        // mm/page_alloc.c __rmqueue_smallest + expand; __free_one_page merges back
        String id = createSession("{\"preset\":\"x86_64-1node-1g\"}");
        String before = buddyinfo(id);
        long[] dma32 = counts(before, "DMA32");
        int smallest = 3;
        while (dma32[smallest] == 0) {
            smallest++;
        }
        JsonNode alloc = body(postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages",
                "{\"order\":3,\"gfp\":\"GFP_KERNEL\"}").andExpect(status().isOk()));
        assertThat(alloc.get("zone").asString()).isEqualTo("DMA32");
        long[] after = counts(buddyinfo(id), "DMA32");
        long[] expected = dma32.clone();
        expected[smallest]--;
        for (int o = 3; o < smallest; o++) {
            expected[o]++;
        }
        assertThat(after).containsExactly(expected);

        call(get("/api/v1/sessions/" + id + "/frames/" + alloc.get("pfn").asLong())).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("allocated"))
                .andExpect(jsonPath("$.order").value(3));
        postJson("/api/v1/sessions/" + id + "/kernel/free-pages",
                "{\"pfn\":" + alloc.get("pfn").asLong() + ",\"order\":3}").andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(2));
        assertThat(buddyinfo(id)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "alloc-pages ; {\"order\": 11} ; order",
        "alloc-pages ; {\"order\": -1} ; order",
        "alloc-pages ; {} ; order",
        "alloc-pages ; {\"order\": 0, \"gfp\": \"GFP_BOGUS\"} ; gfp",
        "alloc-pages ; {\"order\": 0, \"gfp\": \"__GFP_DMA|__GFP_HIGHMEM\"} ; gfp",
        "alloc-pages ; {\"order\": 0, \"node\": 7} ; node",
        "alloc-pages ; {\"order\": 0, \"cpu\": 99} ; cpu",
        "alloc-pages ; {\"order\": \"big\"} ; order",
        "alloc-pages ; {\"order\": 0, \"policy\": {\"mode\": \"MPOL_BIND\", \"nodes\": [5]}} ; policy.nodes",
        "alloc-pages ; {\"order\": 0, \"policy\": {\"mode\": \"MPOL_SOMETIMES\"}} ; policy.mode",
        "free-pages  ; {\"pfn\": 300000, \"order\": 0} ; pfn",
        "free-pages  ; {\"pfn\": 99999999999, \"order\": 0} ; pfn",
        "free-pages  ; {\"pfn\": 0, \"order\": 0} ; pfn",
        "free-pages  ; {\"order\": 0} ; pfn",
    })
    void badInputIsAProblemNamingTheFieldAndChangesNothing(String endpoint, String body, String field)
            throws Exception {
        String id = createSession("{\"preset\":\"x86_64-2node-4g\"}");
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":2}").andExpect(status().isOk());
        String before = buddyinfo(id);
        postJson("/api/v1/sessions/" + id + "/kernel/" + endpoint.trim(), body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType("application/problem+json"))
                .andExpect(jsonPath("$.field").value(field));
        assertThat(version(id)).isEqualTo(1);
        assertThat(buddyinfo(id)).isEqualTo(before);
    }

    @Test
    void freeingWithTheWrongOrderOrTwiceIsRejected() throws Exception {
        String id = createSession("{}");
        long pfn = body(postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":2}")).get("pfn").asLong();
        postJson("/api/v1/sessions/" + id + "/kernel/free-pages", "{\"pfn\":" + pfn + ",\"order\":1}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("order"));
        postJson("/api/v1/sessions/" + id + "/kernel/free-pages", "{\"pfn\":" + pfn + ",\"order\":2}")
                .andExpect(status().isOk());
        postJson("/api/v1/sessions/" + id + "/kernel/free-pages", "{\"pfn\":" + pfn + ",\"order\":2}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("pfn"));
        assertThat(version(id)).isEqualTo(2);
    }

    @Test
    void anAllocationTheMachineCannotSatisfyIsA200ResultWithAReason() throws Exception {
        // ZONE_DMA is 16 MiB with its first MiB reserved: three free 4 MiB (order-10) blocks, as live
        // /proc/buddyinfo shows ("... 1 1 3"); the fourth GFP_DMA order-10 request finds none
        String id = createSession("{}");
        for (int i = 0; i < 3; i++) {
            postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":10,\"gfp\":\"GFP_DMA\"}")
                    .andExpect(jsonPath("$.zone").value("DMA"));
        }
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":10,\"gfp\":\"GFP_DMA\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.pfn").doesNotExist())
                .andExpect(jsonPath("$.reason").isString())
                .andExpect(jsonPath("$.version").value(4));
    }

    @Test
    void procViewsAreKernelTextAndVersionsTravelBackInTime() throws Exception {
        String id = createSession("{\"preset\":\"x86_64-2node-4g\"}");
        for (String proc : new String[] {"buddyinfo", "zoneinfo", "pagetypeinfo", "meminfo", "vmstat", "numastat"}) {
            call(get("/api/v1/sessions/" + id + "/proc/" + proc)).andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith("text/plain"));
        }
        assertThat(buddyinfo(id)).startsWith("Node 0, zone      DMA ");
        long free0 = body(call(get("/api/v1/sessions/" + id + "/machine"))).get("nrFreePages").asLong();
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":4}").andExpect(status().isOk());
        call(get("/api/v1/sessions/" + id + "/versions/0")).andExpect(status().isOk())
                .andExpect(jsonPath("$.state.machine.nrFreePages").value(free0));
        call(get("/api/v1/sessions/" + id + "/versions/1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.state.machine.nrFreePages").value(free0 - 16));
        call(get("/api/v1/sessions/" + id + "/versions/2")).andExpect(status().isNotFound());
        call(get("/api/v1/sessions/" + id + "/journal")).andExpect(jsonPath("$.content[0].op").value("alloc_pages"))
                .andExpect(jsonPath("$.content[0].params.order").value(4));
    }

    @Test
    void aBranchStartsFromAPastVersionAndGoesOnByItself() throws Exception {
        String id = createSession("{}");
        String atZero = buddyinfo(id);
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":5}").andExpect(status().isOk());
        String atOne = buddyinfo(id);
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":6}").andExpect(status().isOk());
        String branch = body(postJson("/api/v1/sessions/" + id + "/branch", "{\"version\":1}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.version").value(0))).get("id").asString();
        assertThat(buddyinfo(branch)).isEqualTo(atOne).isNotEqualTo(atZero);
        // the same next operation gives the same block in the branch as it did in the original
        JsonNode again = body(postJson("/api/v1/sessions/" + branch + "/kernel/alloc-pages", "{\"order\":6}"));
        JsonNode original = body(call(get("/api/v1/sessions/" + id + "/journal"))).get("content").get(1).get("result");
        assertThat(again.get("pfn").asLong()).isEqualTo(original.get("pfn").asLong());
        postJson("/api/v1/sessions/" + id + "/branch", "{\"version\":9}").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("version"));
    }

    @Test
    void diffShowsTheChangedCountersAndTheOperationsInBetween() throws Exception {
        String id = createSession("{}");
        postJson("/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":2}").andExpect(status().isOk());
        JsonNode diff = body(call(get("/api/v1/sessions/" + id + "/diff?from=0&to=1")).andExpect(status().isOk()));
        assertThat(diff.get("operations").findValuesAsString("op")).containsExactly("alloc_pages");
        assertThat(diff.get("changes").findValuesAsString("path"))
                .contains("operationsApplied", "machine.nrFreePages", "machine.nodes[0].zones[1].freePages");
        JsonNode free = java.util.stream.StreamSupport.stream(diff.get("changes").spliterator(), false)
                .filter(c -> c.get("path").asString().equals("machine.nrFreePages")).findFirst().orElseThrow();
        assertThat(free.get("from").asLong() - free.get("to").asLong()).isEqualTo(4);
        call(get("/api/v1/sessions/" + id + "/diff?from=1&to=0")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("from"));
        call(get("/api/v1/sessions/" + id + "/diff?from=0&to=7")).andExpect(status().isNotFound());
    }

    @Test
    void aBatchIsAllOrNothing() throws Exception {
        String id = createSession("{}");
        postJson("/api/v1/sessions/" + id + "/ops",
                "[{\"op\":\"alloc_pages\",\"order\":0},{\"op\":\"alloc_pages\",\"order\":42}]")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("order"));
        assertThat(version(id)).isZero();
        postJson("/api/v1/sessions/" + id + "/ops",
                "[{\"op\":\"alloc_pages\",\"order\":0},{\"op\":\"free_pages\",\"pfn\":1,\"order\":0}]")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("pfn"));
        assertThat(version(id)).isZero();
        postJson("/api/v1/sessions/" + id + "/ops",
                "[{\"op\":\"alloc_pages\",\"order\":0},{\"op\":\"alloc_pages\",\"order\":1}]")
                .andExpect(status().isOk()).andExpect(jsonPath("$.version").value(2))
                .andExpect(jsonPath("$.results[1].result.order").value(1));
        postJson("/api/v1/sessions/" + id + "/ops", "[{\"op\":\"vfork\"}]").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("[0].op"));
    }
}
