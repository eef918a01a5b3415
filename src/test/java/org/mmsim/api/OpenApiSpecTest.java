package org.mmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The checked-in contract and the live one are the same document. */
class OpenApiSpecTest extends ApiTest {

    @Test
    void liveSpecEqualsCheckedInFile() throws Exception {
        String live = mvc.perform(get("/v3/api-docs.yaml")).andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        Path target = Path.of("target", "openapi.yaml");
        Files.createDirectories(target.getParent());
        Files.writeString(target, live);
        YAMLMapper yaml = new YAMLMapper();
        JsonNode liveTree = yaml.readTree(live);
        JsonNode fileTree = yaml.readTree(Files.readString(Path.of("openapi", "openapi.yaml")));
        assertThat(liveTree)
                .as("the live /v3/api-docs differs from openapi/openapi.yaml; if the change is intended, "
                        + "cp target/openapi.yaml openapi/openapi.yaml")
                .isEqualTo(fileTree);
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        int status = mvc.perform(get("/swagger-ui/index.html")).andReturn().getResponse().getStatus();
        assertThat(status).isEqualTo(200);
    }
}
