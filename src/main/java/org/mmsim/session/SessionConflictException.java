package org.mmsim.session;

/** Another server process appended the same version first; the client may retry. */
public class SessionConflictException extends RuntimeException {

    public SessionConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
