package dev.superfactory.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API tokens (issue 11 item 4): a tenant's, an operator's or a site agent's (bound to one site of
 * the fleet). A token is 32 random bytes (SecureRandom), shown once as
 * {@code sf_} + base64url; the table holds only its SHA-256. Authentication hashes the presented
 * token and looks the hash up, refusing expired and revoked tokens. No method logs or stores a
 * token. Costs: {@link #authenticate} is one SHA-256 (about a microsecond) and one unique-index
 * lookup; {@link #create} and {@link #revoke} are one transaction with an event.
 */
public final class TokenStore {

    private static final String PREFIX = "sf_";
    private static final int TOKEN_BYTES = 32;

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Creates a token for the principal valid for {@code lifetime}; the result is the only copy of
     * its secret.
     *
     * @throws NotFoundException if the principal's tenant or site does not exist
     */
    public IssuedToken create(Principal principal, Duration lifetime, String label) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime " + lifetime + " is not positive");
        }
        String secret = newSecret();
        Instant created = clock.instant();
        Instant expires = created.plus(lifetime);
        String tenant = principal.tenant().orElse(null);
        String site = principal.site().orElse(null);
        long id = Jdbc.inTransaction(dataSource, c -> {
            if (tenant != null) {
                TenantStore.lockTenant(c, tenant, "FOR KEY SHARE");
            }
            if (site != null) {
                lockSite(c, site);
            }
            long tokenId;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO api_tokens "
                    + "(tenant, role, token_hash, label, created, expires, site) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, tenant);
                insert.setString(2, principal.role().sqlName());
                insert.setBytes(3, sha256(secret));
                insert.setString(4, label);
                insert.setTimestamp(5, Jdbc.timestamp(created));
                insert.setTimestamp(6, Jdbc.timestamp(expires));
                insert.setString(7, site);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    tokenId = rs.getLong(1);
                }
            }
            Map<String, Object> payload = new java.util.LinkedHashMap<>(Map.of("tokenId", tokenId,
                    "role", principal.role().sqlName(), "expires", expires.toString()));
            principal.site().ifPresent(s -> payload.put("site", s));
            EventLog.append(c, tenant, 0, 0, "token.created", payload);
            return tokenId;
        });
        return new IssuedToken(id, principal, secret, expires);
    }

    /** The principal of a valid token: known, not revoked, not expired. Empty for anything else. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT role, tenant, site FROM api_tokens "
                    + "WHERE token_hash = ? AND revoked IS NULL AND expires > ?")) {
                select.setBytes(1, hash);
                select.setTimestamp(2, Jdbc.timestamp(clock.instant()));
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(principal(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
                }
            }
        });
    }

    /** Revokes the token; returns false if it does not exist or was revoked already. */
    public boolean revoke(long tokenId) {
        return Jdbc.inTransaction(dataSource, c -> {
            String tenant;
            try (PreparedStatement update = c.prepareStatement("UPDATE api_tokens SET revoked = greatest(?, created) "
                    + "WHERE id = ? AND revoked IS NULL RETURNING tenant")) {
                update.setTimestamp(1, Jdbc.timestamp(clock.instant()));
                update.setLong(2, tokenId);
                try (ResultSet rs = update.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    tenant = rs.getString(1);
                }
            }
            EventLog.append(c, tenant, 0, 0, "token.revoked", Map.of("tokenId", tokenId));
            return true;
        });
    }

    private String newSecret() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The sites an agent token can be bound to (the fleet's, recorded when a scheduler starts), sorted. */
    public List<String> sites() {
        return Jdbc.inTransaction(dataSource, c -> {
            List<String> sites = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT site FROM agents ORDER BY site");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sites.add(rs.getString(1));
                }
            }
            return sites;
        });
    }

    private static void lockSite(Connection c, String site) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM agents WHERE site = ? FOR KEY SHARE")) {
            lock.setString(1, site);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("no site " + site);
                }
            }
        }
    }

    private static Principal principal(String role, String tenant, String site) {
        return switch (Principal.Role.ofSql(role)) {
            case TENANT -> Principal.tenant(tenant);
            case OPERATOR -> Principal.operator();
            case AGENT -> Principal.agent(site);
        };
    }
}
