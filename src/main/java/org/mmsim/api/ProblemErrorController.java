package org.mmsim.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container forwards the errors it raises itself (a TRACE
 * request, a failure outside a controller): an RFC 9457 problem like every other error of the
 * API, instead of Spring Boot's {@code {"timestamp", "error", "path"}} body. Replaces Boot's
 * BasicErrorController.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
                ? HttpStatus.valueOf(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        if (status.is5xxServerError()) {
            return ProblemAdvice.internal(status);
        }
        if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            return ProblemAdvice.problem(status, Problems.METHOD_NOT_ALLOWED, "Method not allowed",
                    request.getMethod() + " is not supported here", null);
        }
        if (status == HttpStatus.NOT_FOUND) {
            return ProblemAdvice.problem(status, Problems.NOT_FOUND, "Not found", "no such resource", null);
        }
        return ProblemAdvice.problem(status, status == HttpStatus.BAD_REQUEST ? Problems.MALFORMED
                : java.net.URI.create("about:blank"), status.getReasonPhrase(),
                Problems.refusedDetail(status.value(), status.getReasonPhrase()), null);
    }
}
