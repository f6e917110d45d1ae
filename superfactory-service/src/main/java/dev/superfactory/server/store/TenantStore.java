package dev.superfactory.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Tenants and their versioned contracts. Each change commits with one event. Cost: one
 * transaction of two or three statements and one WAL flush per call.
 */
public final class TenantStore {

    private final DataSource dataSource;

    public TenantStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the tenant; returns false (and writes nothing) if it exists already. */
    public boolean create(String tenant, String displayName) {
        JobStore.requireText("tenant", tenant);
        JobStore.requireText("displayName", displayName);
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO tenants (id, display_name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setString(1, tenant);
                insert.setString(2, displayName);
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            EventLog.append(c, tenant, 0, 0, "tenant.created", Map.of("displayName", displayName));
            return true;
        });
    }

    /** The ids of every tenant, in order; one indexed scan. */
    public List<String> names() {
        return Jdbc.inTransaction(dataSource, c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM tenants ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    /** A tenant and the terms of its newest contract (JSON text). */
    public record Terms(String tenant, String displayName, int version, String termsJson) {
    }

    /** Every tenant that has a contract, in id order, with the terms of its newest one. One scan. */
    public List<Terms> currentTerms() {
        return terms("DESC");
    }

    /** Every tenant that has a contract, in id order, with the terms of its first one (what a replay starts from). */
    public List<Terms> firstTerms() {
        return terms("ASC");
    }

    private List<Terms> terms(String order) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Terms> terms = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT DISTINCT ON (t.id) t.id, t.display_name, "
                    + "c.version, c.terms::text FROM tenants t JOIN contracts c ON c.tenant = t.id "
                    + "ORDER BY t.id, c.version " + order);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    terms.add(new Terms(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
            return terms;
        });
    }

    /** One version of a tenant's contract: its terms (JSON text), in force from {@code validFrom} to the next version's. */
    public record Version(int version, Instant validFrom, String termsJson) {
    }

    /**
     * The tenant's contract versions in force at some time before {@code until}, oldest first: the
     * last version valid at or before {@code since} and every later one valid before {@code until}
     * (all of them from the first if none is valid by {@code since}). One scan of the tenant's
     * versions by the primary key.
     */
    public List<Version> contractsBetween(String tenant, Instant since, Instant until) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Version> versions = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT version, valid_from, terms::text FROM contracts "
                    + "WHERE tenant = ? AND valid_from < ? AND version >= coalesce((SELECT max(version) FROM contracts "
                    + "WHERE tenant = ? AND valid_from <= ?), 1) ORDER BY version")) {
                select.setString(1, tenant);
                select.setTimestamp(2, Jdbc.timestamp(until));
                select.setString(3, tenant);
                select.setTimestamp(4, Jdbc.timestamp(since));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        versions.add(new Version(rs.getInt(1), Jdbc.instant(rs.getTimestamp(2)), rs.getString(3)));
                    }
                }
            }
            return versions;
        });
    }

    /**
     * Adds the next version of the tenant's contract, valid from {@code validFrom}; returns its
     * version. The tenant row is locked first, so concurrent additions get consecutive versions.
     */
    public int addContract(String tenant, String termsJson, Instant validFrom) {
        JobStore.requireText("terms", termsJson);
        return Jdbc.inTransaction(dataSource, c -> {
            lockTenant(c, tenant, "FOR UPDATE");
            int version;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO contracts (tenant, version, terms, valid_from) "
                    + "SELECT ?, coalesce(max(version), 0) + 1, ?::jsonb, ? FROM contracts WHERE tenant = ? RETURNING version")) {
                insert.setString(1, tenant);
                insert.setString(2, termsJson);
                insert.setTimestamp(3, Jdbc.timestamp(validFrom));
                insert.setString(4, tenant);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            EventLog.append(c, tenant, 0, 0, "contract.added",
                    Map.of("version", version, "validFrom", validFrom.toString()));
            return version;
        });
    }

    /**
     * Locks the tenant's row in {@code mode} ({@code FOR UPDATE}, {@code FOR KEY SHARE}, …) for
     * the rest of the transaction; fails if there is no such tenant.
     */
    static void lockTenant(Connection c, String tenant, String mode) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ? " + mode)) {
            lock.setString(1, tenant);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("no tenant " + tenant);
                }
            }
        }
    }
}
