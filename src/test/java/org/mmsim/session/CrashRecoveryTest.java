package org.mmsim.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmsim.MmsimApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durability as a user sees it: the real service in its own JVM, on the default file database,
 * killed with SIGKILL ({@code kill -9}) right after answering 2xx, then started again — every
 * acknowledged operation is there. A graceful restart keeps them too.
 */
class CrashRecoveryTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedOperationSurvivesKillDashNine() throws Exception {
        int port = freePort();
        Process server = start(port);
        String id;
        long lastVersion;
        try {
            id = post(port, "/api/v1/sessions", "{\"preset\":\"x86_64-2node-4g\"}").get("id").asString();
            lastVersion = 0;
            for (int i = 0; i < 5; i++) {
                lastVersion = post(port, "/api/v1/sessions/" + id + "/kernel/alloc-pages",
                        "{\"order\":" + i + ",\"gfp\":\"GFP_KERNEL\"}").get("version").asLong();
            }
        } finally {
            server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush
        }
        assertThat(lastVersion).isEqualTo(5);

        Process restarted = start(port);
        try {
            JsonNode session = get(port, "/api/v1/sessions/" + id);
            assertThat(session.get("version").asLong()).isEqualTo(lastVersion);
            assertThat(get(port, "/api/v1/sessions/" + id + "/journal").get("totalElements").asLong()).isEqualTo(5);
            // the restarted service goes on from the recovered state
            assertThat(post(port, "/api/v1/sessions/" + id + "/kernel/alloc-pages", "{\"order\":0}")
                    .get("version").asLong()).isEqualTo(6);
        } finally {
            restarted.destroy();
            restarted.waitFor();
        }

        Process third = start(port);
        try {
            assertThat(get(port, "/api/v1/sessions/" + id).get("version").asLong()).isEqualTo(6);
        } finally {
            third.destroyForcibly().waitFor();
        }
    }

    private Process start(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String url = "jdbc:h2:file:" + dir.resolve("mmsim").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Path log = dir.resolve("server-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), MmsimApplication.class.getName(),
                "--server.port=" + port, "--spring.datasource.url=" + url,
                "--logging.level.root=WARN", "--springdoc.api-docs.enabled=false"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(log));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not start within 90 s: " + Files.readString(log));
    }

    private JsonNode post(int port, String path, String body) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return json.readTree(r.body());
    }

    private JsonNode get(int port, String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
