package org.mmsim.api;

/** A request field the HTTP layer rejects before any state is touched; {@code field} names it. */
public class ApiInputException extends RuntimeException {

    private final String field;

    public ApiInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
