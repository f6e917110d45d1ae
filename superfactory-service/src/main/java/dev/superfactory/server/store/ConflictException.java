package dev.superfactory.server.store;

/**
 * A command conflicts with the state it found (HTTP 409): a stale version, a transition the job's
 * state does not allow, or an idempotency key reused for a different spec. Nothing was written.
 */
public final class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
