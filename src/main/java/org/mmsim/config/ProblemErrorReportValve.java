package org.mmsim.config;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.mmsim.api.Problems;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error page, for the requests it refuses before Spring sees them (an encoded NUL in
 * the path, a header over the size limit): an RFC 9457 problem instead of Tomcat's HTML, as every
 * other error of the API. Errors Spring answered already have a body and are left alone.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // ErrorReportValve's own guards: only an error status, nothing written yet, and a
        // connection that can still take the body
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String type;
        String title;
        String detail;
        if (throwable != null || status >= 500) {
            type = Problems.INTERNAL.toString();
            title = "Internal error";
            detail = Problems.INTERNAL_DETAIL;
        } else if (status == 400) {
            type = Problems.MALFORMED.toString();
            title = "Malformed request";
            detail = "the request line or its headers are malformed (for example an encoded NUL in the path, or a "
                    + "header longer than the server accepts); nothing changed";
        } else {
            type = "about:blank";
            String phrase = HttpStatus.resolve(status) != null ? HttpStatus.valueOf(status).getReasonPhrase() : "Error";
            title = phrase;
            detail = Problems.refusedDetail(status, phrase);
        }
        String body = "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
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
