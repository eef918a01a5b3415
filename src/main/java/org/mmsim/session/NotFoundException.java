package org.mmsim.session;

/** A session or a resource inside it that does not exist; {@code field} names the path element. */
public class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
