package dev.superfactory.server.store;

/**
 * The object does not exist or is not the caller's (HTTP 404 either way, so that a tenant cannot
 * learn that another tenant's job exists).
 */
public final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
