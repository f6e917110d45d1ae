package dev.superfactory.server.store;

/**
 * A scheduler of an older leader term tried to commit: another control plane has started on the
 * same database since (fencing). The older one must stop.
 */
public final class FencedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
        super(message);
    }
}
