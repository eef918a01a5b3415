package org.mmsim.session;

/** A configured server limit that a request would exceed; {@code field} names what carries it. */
public class LimitExceededException extends RuntimeException {

    private final String field;

    public LimitExceededException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
