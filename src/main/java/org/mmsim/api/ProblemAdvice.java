package org.mmsim.api;

import java.net.URI;
import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.session.LimitExceededException;
import org.mmsim.session.NotFoundException;
import org.mmsim.session.SessionConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions become RFC 9457 problem details: a stable {@code type}
 * ({@link Problems}), a {@code detail} that names the bad field, a {@code field} property with
 * its JSON path, and never a stack trace. Simulated outcomes (ENOMEM, SIGSEGV) never get here:
 * they are 200 answers.
 */
@RestControllerAdvice
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiInputException.class)
    ResponseEntity<ProblemDetail> apiInput(ApiInputException e) {
        return problem(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field", e.getMessage(), e.field());
    }

    @ExceptionHandler(KernelInputException.class)
    ResponseEntity<ProblemDetail> kernelInput(KernelInputException e) {
        return problem(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field", e.getMessage(), e.field());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found", e.getMessage(), e.field());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found",
                "no resource at /" + e.getResourcePath(), null);
    }

    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<ProblemDetail> limit(LimitExceededException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, Problems.LIMIT_EXCEEDED, "Limit exceeded", e.getMessage(),
                e.field());
    }

    @ExceptionHandler(SessionConflictException.class)
    ResponseEntity<ProblemDetail> conflict(SessionConflictException e) {
        return problem(HttpStatus.CONFLICT, Problems.CONFLICT, "Concurrent change", e.getMessage(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JacksonException je) {
            String field = path(je.getPath());
            if (je instanceof UnrecognizedPropertyException u) {
                return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                        "unknown field '" + field + "'; known fields here: " + u.getKnownPropertyIds(), field);
            }
            if (je instanceof InvalidNullException) {
                return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                        "field '" + field + "' must not be null", field);
            }
            if (je instanceof MismatchedInputException m && m.getTargetType() != null) {
                String where = field.isEmpty() ? "the body" : "field '" + field + "'";
                return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                        where + " must be " + expected(m.getTargetType()), field);
            }
            if (je instanceof StreamReadException && je.getOriginalMessage() != null
                    && je.getOriginalMessage().contains("out of range")) {
                return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                        (field.isEmpty() ? "a number" : "field '" + field + "'") + " is out of range for an integer",
                        field);
            }
            if (!field.isEmpty()) {
                return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                        "field '" + field + "' has the wrong type or format", field);
            }
            return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                    "the body is not valid JSON" + location(je), null);
        }
        return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                "the request body is missing or not readable JSON", null);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request",
                "parameter '" + e.getName() + "' has the wrong type: '" + e.getValue() + "'", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field",
                "parameter '" + e.getParameterName() + "' is required", e.getParameterName());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, Problems.METHOD_NOT_ALLOWED, "Method not allowed",
                e.getMethod() + " is not supported here; supported: " + e.getSupportedHttpMethods(), null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Problems.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "send the body as application/json, not " + e.getContentType(), null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(HttpStatus.NOT_ACCEPTABLE, Problems.NOT_ACCEPTABLE, "Not acceptable",
                "this resource produces " + e.getSupportedMediaTypes(), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> bug(Exception e) {
        log.error("Unexpected failure", e);
        return internal(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    /** The answer to a bug: {@link Problems#INTERNAL}, no detail of the failure. */
    static ResponseEntity<ProblemDetail> internal(HttpStatusCode status) {
        return problem(status, Problems.INTERNAL, "Internal error", Problems.INTERNAL_DETAIL, null);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, URI type, String title, String detail,
            String field) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type);
        body.setTitle(title);
        if (field != null && !field.isEmpty()) {
            body.setProperty("field", field);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** What a request field of this Java type takes, in JSON terms. */
    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** " (line 1, column 7)" from a parse error, without the parser's internals. */
    private static String location(JacksonException je) {
        var loc = je.getLocation();
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** A Jackson path as the client wrote it: {@code machine.nodes[1].memory}. */
    private static String path(List<JacksonException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : refs) {
            if (ref.getPropertyName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

}
