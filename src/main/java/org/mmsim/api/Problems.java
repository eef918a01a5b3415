package org.mmsim.api;

import java.net.URI;

/**
 * The stable {@code type} URIs of mmsim's problem details. Clients switch on these; never change
 * one. Each resolves to a section of the README that explains it.
 */
public final class Problems {

    private static final String BASE = "https://mmsim.org/problems/";

    /** The body is not JSON, or a value has the wrong JSON type. */
    public static final URI MALFORMED = URI.create(BASE + "malformed-request");
    /** A field is present and well-formed but its value is not allowed (negative size, order 11…). */
    public static final URI INVALID_FIELD = URI.create(BASE + "invalid-field");
    /** The session, process, pid or other resource does not exist. */
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    /** A configured server limit (memory per session, nodes, sessions, batch size) would be exceeded. */
    public static final URI LIMIT_EXCEEDED = URI.create(BASE + "limit-exceeded");
    /** Another writer changed the session at the same time; retry the request. */
    public static final URI CONFLICT = URI.create(BASE + "conflict");
    /** The HTTP method is not supported on this path. */
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    /** The request's content type is not JSON. */
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    /** The response format asked for in Accept cannot be produced. */
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    /** A bug in mmsim; the request changed nothing. */
    public static final URI INTERNAL = URI.create(BASE + "internal");

    /** The detail of every {@link #INTERNAL} answer. */
    public static final String INTERNAL_DETAIL = "mmsim failed unexpectedly; the request changed nothing";

    private Problems() {
    }

    /** The detail of a status the server refused a request with, outside the API's own checks. */
    public static String refusedDetail(int status, String reasonPhrase) {
        return "the server refused the request (" + status + " " + reasonPhrase + "); nothing changed";
    }
}
