package org.mmsim.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests Tomcat refuses before Spring (an encoded NUL in the path, an oversized header) are
 * answered as RFC 9457 problem details like every other error, over a real socket.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:tomcat;DB_CLOSE_DELAY=-1")
class TomcatProblemTest {

    @LocalServerPort
    int port;

    private String send(String requestHead) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEncodedNulInThePathIsAProblemNotTomcatsHtml() throws Exception {
        String answer = send("GET /api/v1/sessions/%00/machine HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"type\":\"https://mmsim.org/problems/malformed-request\"").contains("\"status\":400")
                .doesNotContain("<html");
    }

    @Test
    void anOversizedHeaderIsAProblemNotTomcatsHtml() throws Exception {
        String answer = send("GET /api/v1/presets HTTP/1.1\r\nHost: localhost\r\nX-Mmsim-Client: " + "a".repeat(12_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).doesNotContain("<html");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
    }

    // Tomcat refuses TRACE with 405 and forwards it to /error: a problem, not Boot's {"timestamp", "error"} body
    @Test
    void aTraceRequestIsAProblem() throws Exception {
        String answer = send("TRACE /api/v1/presets HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 405");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"type\":\"https://mmsim.org/problems/method-not-allowed\"")
                .doesNotContain("timestamp");
    }

    @Test
    void aNormalRequestIsUntouched() throws Exception {
        String answer = send("GET /api/v1/presets HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("x86_64-1node-1g");
    }
}
