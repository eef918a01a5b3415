package org.mmsim.config;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error page, for the requests it refuses before Spring sees them (an encoded NUL in
 * the path, a header over the size limit): an RFC 9457 problem instead of Tomcat's HTML, as every
 * other error of the API. Errors Spring answered already have a body and are left alone.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        String detail = status == 400
                ? "the request line or its headers are malformed (for example an encoded NUL in the path, or a "
                        + "header longer than the server accepts); nothing changed"
                : "the server refused the request before reading it; nothing changed";
        String type = status == 400 ? "https://mmsim.org/problems/malformed-request" : "about:blank";
        String body = "{\"type\":\"" + type + "\",\"title\":\"" + (status == 400 ? "Malformed request" : "Refused")
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer w = response.getReporter();
            if (w != null) {
                w.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to say
        }
    }
}
