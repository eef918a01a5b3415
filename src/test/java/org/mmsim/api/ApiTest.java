package org.mmsim.api;

import static com.atlassian.oai.validator.mockmvc.OpenApiValidationMatchers.openApi;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the whole-application tests: one Spring context on an in-memory H2 database, shared by
 * every subclass, and every response validated against the checked-in {@code openapi/openapi.yaml}.
 */
@SpringBootTest(properties = {
    "spring.datasource.url=jdbc:h2:mem:api;DB_CLOSE_DELAY=-1",
    "mmsim.snapshot-every=5",
    "mmsim.live-machines=4"})
@AutoConfigureMockMvc
abstract class ApiTest {

    private static OpenApiInteractionValidator spec;

    /** The validator of openapi/openapi.yaml, loaded once (lazily, so the drift test runs even when the file is off). */
    static synchronized OpenApiInteractionValidator spec() {
        if (spec == null) {
            spec = load();
        }
        return spec;
    }

    private static OpenApiInteractionValidator load() {
        return OpenApiInteractionValidator
            .createForSpecificationUrl("openapi/openapi.yaml")
            .withLevelResolver(LevelResolver.create()
                    // Requests are validated by the service itself; bad ones are sent on purpose.
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.contentType.notAllowed", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                    .build())
            .build();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;


    /** Performs a request and checks the response against the spec. */
    ResultActions call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andExpect(openApi().isValid(spec()));
    }

    ResultActions postJson(String path, String body) throws Exception {
        return call(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
    }

    String createSession(String body) throws Exception {
        return body(postJson("/api/v1/sessions", body)).get("id").asString();
    }
}
