package dev.superfactory.server.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Who calls: a tenant (sees only its own jobs and events) or an operator (sees all, names no
 * tenant).
 */
public record Principal(Role role, Optional<String> tenant) {

    /** The two roles of issue 11 item 4. */
    public enum Role {
        TENANT, OPERATOR;

        String sqlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Role ofSql(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Principal {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tenant, "tenant");
        if ((role == Role.TENANT) != tenant.isPresent()) {
            throw new IllegalArgumentException("a " + role.sqlName() + " principal "
                    + (tenant.isPresent() ? "names no tenant, got " + tenant.get() : "needs a tenant"));
        }
    }

    public static Principal tenant(String tenant) {
        return new Principal(Role.TENANT, Optional.of(tenant));
    }

    public static Principal operator() {
        return new Principal(Role.OPERATOR, Optional.empty());
    }
}
