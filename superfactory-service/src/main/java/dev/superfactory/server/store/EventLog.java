package dev.superfactory.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The append-only event log, the source of truth (issue 11 item 2). Every store command appends
 * exactly one event in the transaction of the change it explains.
 *
 * <p>Order: before drawing a seq, {@link #append} takes a transaction-scoped advisory lock, so
 * appends commit in seq order and a reader that has seen seq n will never later see a smaller seq
 * appear (a plain sequence gives no such promise: two transactions can commit in the other order).
 * Cost: appends are serialised from the event insert to the commit (one WAL flush; the NOTIFY
 * queued with each adds a short global lock at commit, already serialised by the advisory lock);
 * reads are one index range scan of {@code limit} rows.
 */
public final class EventLog {

    /** Advisory lock key of the event log; ASSUMPTION: no other code in the database uses it. */
    private static final long APPEND_LOCK = 0x5346_4556_454e_5431L;
    /** The NOTIFY channel of appends ({@link EventListener} listens on it). */
    public static final String CHANNEL = "superfactory_events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "seq, time, tenant, job, run, type, payload::text";

    private final DataSource dataSource;

    public EventLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends one event on the caller's connection (inside its transaction); returns its seq. The
     * same statement queues a NOTIFY on {@link #CHANNEL} with payload {@code "<seq> <tenant>"}
     * (tenant empty for fleet-wide events), which PostgreSQL delivers at commit and never for a
     * rolled-back transaction, so a listener is never told of an uncommitted event.
     */
    static long append(Connection connection, String tenant, long job, long run, String type,
                       Map<String, ?> payload) throws SQLException {
        return appendJson(connection, tenant, job, run, type, json(payload));
    }

    /** Appends one event whose payload is already JSON text (a JSON object). */
    static long appendJson(Connection connection, String tenant, long job, long run, String type,
                           String payloadJson) throws SQLException {
        lockAppends(connection);
        try (PreparedStatement insert = connection.prepareStatement(
                "WITH appended AS (INSERT INTO event_log (tenant, job, run, type, payload)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING seq, tenant)"
                        + " SELECT seq, pg_notify('" + CHANNEL + "', seq || ' ' || coalesce(tenant, '')) FROM appended")) {
            insert.setString(1, tenant);
            setId(insert, 2, job);
            setId(insert, 3, run);
            insert.setString(4, type);
            insert.setString(5, payloadJson);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The newest seq in the log, 0 if it is empty. Cost: one backward step of the primary key index. */
    public long newestSeq() {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM event_log");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * The newest seq {@code who} may read (a tenant's own newest, or the log's), 0 if none: where a
     * client that wants only new events starts. Cost: one backward step of an index.
     */
    public long newestSeq(Principal who) {
        if (who.tenant().isEmpty()) {
            return newestSeq();
        }
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT coalesce(max(seq), 0) FROM event_log WHERE tenant = ?")) {
                select.setString(1, who.tenant().get());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Appends one event of {@code type} per job of {@code jobs} (its tenant and payload at the
     * same index), on the caller's connection, in that order: the advisory lock is taken once and
     * the rows go in one statement, with one notification per tenant ({@link #appendRows}).
     * Cost: one lock, one INSERT of {@code jobs.length} rows.
     */
    static void appendAll(Connection connection, String[] tenants, long[] jobs, String type,
                          List<? extends Map<String, ?>> payloads) throws SQLException {
        if (jobs.length != tenants.length || jobs.length != payloads.size()) {
            throw new IllegalArgumentException(jobs.length + " jobs, " + tenants.length + " tenants, "
                    + payloads.size() + " payloads: one of each per event");
        }
        String[] types = new String[jobs.length];
        String[] texts = new String[jobs.length];
        for (int i = 0; i < jobs.length; i++) {
            types[i] = type;
            texts[i] = json(payloads.get(i));
        }
        appendRows(connection, tenants, jobs, new long[jobs.length], types, texts);
    }

    /**
     * Appends one event per index (tenant, job, run, type, payload as JSON text; 0 for no job or
     * run), on the caller's connection, in index order: the advisory lock is taken once and the
     * rows go in one statement, with ONE notification per tenant of the rows (fleet-wide counted as
     * one), carrying that tenant's newest seq (delivered at commit, as {@link #appendJson}'s). A
     * notification is a wake-up hint (the woken reader queries the log), so one per tenant says all
     * that one per row would; a pass that queues 5,000 jobs of 4 tenants queues 4, not 5,000 (each
     * is a slot in PostgreSQL's notify queue, written at commit under its global lock, and a
     * message to every listener). Cost: one lock, one INSERT of {@code jobs.length} rows.
     */
    static void appendRows(Connection connection, String[] tenants, long[] jobs, long[] runs, String[] types,
                           String[] payloads) throws SQLException {
        int n = jobs.length;
        if (tenants.length != n || runs.length != n || types.length != n || payloads.length != n) {
            throw new IllegalArgumentException("one tenant, job, run, type and payload per event: " + tenants.length
                    + ", " + n + ", " + runs.length + ", " + types.length + ", " + payloads.length);
        }
        if (n == 0) {
            return;
        }
        lockAppends(connection);
        Long[] jobIds = new Long[n];
        Long[] runIds = new Long[n];
        for (int i = 0; i < n; i++) {
            jobIds[i] = jobs[i] == 0 ? null : jobs[i];
            runIds[i] = runs[i] == 0 ? null : runs[i];
        }
        try (PreparedStatement insert = connection.prepareStatement("WITH appended AS (INSERT INTO event_log "
                + "(tenant, job, run, type, payload) SELECT u.tenant, u.job, u.run, u.type, u.payload::jsonb FROM "
                + "unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[]) WITH ORDINALITY "
                + "AS u(tenant, job, run, type, payload, n) ORDER BY u.n RETURNING seq, tenant) "
                + "SELECT count(pg_notify('" + CHANNEL + "', newest || ' ' || coalesce(tenant, ''))) "
                + "FROM (SELECT max(seq) AS newest, tenant FROM appended GROUP BY tenant) AS per_tenant")) {
            insert.setArray(1, connection.createArrayOf("text", tenants));
            insert.setArray(2, connection.createArrayOf("bigint", jobIds));
            insert.setArray(3, connection.createArrayOf("bigint", runIds));
            insert.setArray(4, connection.createArrayOf("text", types));
            insert.setArray(5, connection.createArrayOf("text", payloads));
            insert.executeQuery().close();
        }
    }

    /** Serialises appends until the caller's transaction ends, so seq order is commit order. */
    private static void lockAppends(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, APPEND_LOCK);
            lock.execute();
        }
    }

    /**
     * Events after {@code sinceSeq} in seq order, at most {@code limit}: a tenant's own events for
     * a tenant, every event for an operator.
     */
    public List<Event> since(long sinceSeq, Principal who, int limit) {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new IllegalArgumentException("limit=" + limit + " is not within 1.." + Page.MAX_LIMIT);
        }
        String sql = who.tenant().isPresent()
                ? "SELECT " + COLUMNS + " FROM event_log WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?"
                : "SELECT " + COLUMNS + " FROM event_log WHERE ? IS NULL AND seq > ? ORDER BY seq LIMIT ?";
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, who.tenant().orElse(null));
                select.setLong(2, sinceSeq);
                select.setInt(3, limit);
                return read(select);
            }
        });
    }

    /**
     * Job {@code job}'s events after {@code sinceSeq} in seq order, at most {@code limit}: none if
     * the job is another tenant's and {@code who} a tenant. One range scan of the index
     * {@code event_log_job_seq}.
     */
    public List<Event> ofJob(long job, long sinceSeq, Principal who, int limit) {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new IllegalArgumentException("limit=" + limit + " is not within 1.." + Page.MAX_LIMIT);
        }
        String sql = "SELECT " + COLUMNS + " FROM event_log WHERE job = ? AND seq > ? AND (? IS NULL OR tenant = ?)"
                + " ORDER BY seq LIMIT ?";
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setLong(1, job);
                select.setLong(2, sinceSeq);
                select.setString(3, who.tenant().orElse(null));
                select.setString(4, who.tenant().orElse(null));
                select.setInt(5, limit);
                return read(select);
            }
        });
    }

    private static List<Event> read(PreparedStatement select) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                events.add(new Event(rs.getLong(1), Jdbc.instant(rs.getTimestamp(2)), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7)));
            }
        }
        return events;
    }

    private static void setId(PreparedStatement statement, int index, long id) throws SQLException {
        if (id == 0) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, id);
        }
    }

    /** Parses JSON text (for embedding it in a payload map); the caller's error if it is not JSON. */
    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String json(Map<String, ?> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not JSON-serialisable: " + e.getMessage(), e);
        }
    }
}
