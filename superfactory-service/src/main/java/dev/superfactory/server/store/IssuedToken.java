package dev.superfactory.server.store;

import java.time.Instant;

/**
 * A token as created: the only time its secret exists outside the caller. {@link #toString}
 * leaves the secret out so that the token cannot reach a log by accident.
 */
public record IssuedToken(long id, Principal principal, String secret, Instant expires) {

    @Override
    public String toString() {
        return "IssuedToken[id=" + id + ", principal=" + principal + ", secret=(hidden), expires=" + expires + "]";
    }
}
