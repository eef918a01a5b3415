package org.mmsim.config;

import com.fasterxml.jackson.annotation.Nulls;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.apache.catalina.core.StandardHost;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;

/** Beans of the service around the core: the clock of journal timestamps and the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "mmsim", version = "v1",
                description = "A simulated Linux memory-management machine per session: NUMA nodes, zones, the buddy "
                        + "allocator, and (in later versions) processes with mm_struct, VMAs and page tables. Every "
                        + "change is an operation, journaled and snapshotted, so any past version can be shown again. "
                        + "Outcomes a kernel produces (ENOMEM, SIGSEGV) are 200 answers; bad requests are RFC 9457 "
                        + "problem details naming the field.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "/"))
public class ServiceConfiguration {

    /**
     * Request JSON is read strictly: a fraction where an integer is expected ({@code "order": 1.5})
     * and a null inside a list ({@code "weights": [null, 1]}) are malformed requests, not truncated
     * or passed on as null.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .changeDefaultNullHandling(n -> n.withContentNulls(Nulls.FAIL));
    }

    /** Tomcat's host answers the requests it refuses itself as problem details ({@link ProblemErrorReportValve}). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Wall-clock time for journal and snapshot timestamps only; the core never reads a clock. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Documents the problem-detail answers every operation can give, with the RFC 9457 schema,
     * so that clients and the response validator know their shape.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            Schema<?> problem = new Schema<>().type("object")
                    .description("RFC 9457 problem details. type is stable (see the README); field names the bad "
                            + "request field.")
                    .properties(new TreeMap<>(Map.of(
                            "type", new Schema<>().type("string").format("uri"),
                            "title", new Schema<>().type("string"),
                            "status", new Schema<>().type("integer"),
                            "detail", new Schema<>().type("string"),
                            "instance", new Schema<>().type("string").format("uri-reference"),
                            "field", new Schema<>().type("string"))));
            openApi.getComponents().addSchemas("Problem", problem);
            Content content = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths().forEach((name, path) -> path.readOperations().forEach(op -> {
                boolean session = name.contains("{sid}") || name.endsWith("/sessions");
                op.getResponses().putIfAbsent("400", new ApiResponse().description("Bad request: malformed JSON, a "
                        + "wrong type, or a value out of range; nothing changed.").content(content));
                if (session || !name.startsWith("/api/v1/replacement")) {
                    op.getResponses().putIfAbsent("404", new ApiResponse()
                            .description("No such session or resource.").content(content));
                }
                if (op.getRequestBody() != null || op.getOperationId().startsWith("take")) {
                    if (session) {
                        op.getResponses().putIfAbsent("409", new ApiResponse().description("Another server process "
                                + "changed the session at the same moment; nothing changed, retry.").content(content));
                    }
                    op.getResponses().putIfAbsent("415", new ApiResponse()
                            .description("The body is not application/json.").content(content));
                    if (session) {
                        op.getResponses().putIfAbsent("422", new ApiResponse().description("A configured server "
                                + "limit (mmsim.*: memory per session, nodes, sessions, batch size) would be exceeded.")
                                .content(content));
                    }
                }
                op.getResponses().putIfAbsent("500", new ApiResponse()
                        .description("A bug in mmsim; nothing changed.").content(content));
            }));
        };
    }
}
