package dev.superfactory.server.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Who calls: a tenant (sees only its own jobs and events), an operator (sees all, names no
 * tenant), or a site agent (names its site and no tenant; may call only its site's agent
 * protocol).
 */
public record Principal(Role role, Optional<String> tenant, Optional<String> site) {

    /** The roles of issue 11 item 4, and the site agent's of item 5. */
    public enum Role {
        TENANT, OPERATOR, AGENT;

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
        Objects.requireNonNull(site, "site");
        if ((role == Role.TENANT) != tenant.isPresent()) {
            throw new IllegalArgumentException(article(role) + " principal "
                    + (tenant.isPresent() ? "names no tenant, got " + tenant.get() : "needs a tenant"));
        }
        if ((role == Role.AGENT) != site.isPresent()) {
            throw new IllegalArgumentException(article(role) + " principal "
                    + (site.isPresent() ? "names no site, got " + site.get() : "needs a site"));
        }
    }

    private static String article(Role role) {
        return (role == Role.TENANT ? "a " : "an ") + role.sqlName();
    }

    public static Principal tenant(String tenant) {
        return new Principal(Role.TENANT, Optional.of(tenant), Optional.empty());
    }

    public static Principal operator() {
        return new Principal(Role.OPERATOR, Optional.empty(), Optional.empty());
    }

    /** The agent of {@code site}: it leases that site's commands and reports its shards, nothing else. */
    public static Principal agent(String site) {
        return new Principal(Role.AGENT, Optional.empty(), Optional.of(site));
    }

    /** "tenant acme", "operator", "agent of site east": for messages. */
    public String describe() {
        return switch (role) {
            case TENANT -> "tenant " + tenant.orElseThrow();
            case OPERATOR -> "operator";
            case AGENT -> "agent of site " + site.orElseThrow();
        };
    }
}
