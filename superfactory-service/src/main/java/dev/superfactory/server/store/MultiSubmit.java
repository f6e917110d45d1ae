package dev.superfactory.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Submits of many jobs, of one tenant or several, in the caller's transaction, with one outcome
 * per job: created, already there with the same spec (an idempotent retry, also of a job earlier
 * in the same list), or refused (unknown tenant, clientId taken by another spec) with nothing
 * written for it. {@link JobStore#submitBatch} turns any refusal into a rollback of all; the group
 * commit of single submits ({@link GroupCommit}) hands each caller its own outcome.
 *
 * <p>Cost: four statements whatever the number of jobs: lock the tenants' rows, one multi-row
 * INSERT ... ON CONFLICT DO NOTHING (the unique (tenant, client_id) decides, also under concurrent
 * transactions), one read of the jobs that were there already (only if any), and one multi-row
 * event append under the event log's lock (taken once).
 */
final class MultiSubmit {

    /** One job to submit for a tenant. */
    record Request(String tenant, NewJob job) {
        Key key() {
            return new Key(tenant, job.clientId());
        }
    }

    /** The submission, or why the job was refused (then nothing was written for it). */
    record Outcome(Submission submission, RuntimeException failure) {
        static Outcome failed(RuntimeException failure) {
            return new Outcome(null, failure);
        }

        Submission orThrow() {
            if (failure != null) {
                throw failure;
            }
            return submission;
        }
    }

    private record Key(String tenant, String clientId) {
    }

    private MultiSubmit() {
    }

    /**
     * Submits {@code requests} on {@code c}; {@code betweenJobsAndEvents} runs after the job rows
     * are written, before their events (a test hook). Returns the outcomes in request order.
     */
    static List<Outcome> run(Connection c, List<Request> requests, Runnable betweenJobsAndEvents) throws SQLException {
        Outcome[] outcomes = new Outcome[requests.size()];
        Set<String> tenants = lockTenants(c, requests);
        for (int i = 0; i < requests.size(); i++) {
            if (!tenants.contains(requests.get(i).tenant())) {
                outcomes[i] = Outcome.failed(new NotFoundException("no tenant " + requests.get(i).tenant()));
            }
        }
        Map<Key, Job> created = insert(c, requests, outcomes);
        for (int i = 0; i < requests.size(); i++) {
            Job job = outcomes[i] == null ? created.remove(requests.get(i).key()) : null;
            if (job != null) {
                outcomes[i] = new Outcome(new Submission(job, true), null);
            }
        }
        existing(c, requests, outcomes);
        betweenJobsAndEvents.run();
        appendEvents(c, outcomes);
        return List.of(outcomes);
    }

    /** Locks the rows of the tenants named (FOR KEY SHARE: no tenant deleted meanwhile); returns those that exist. */
    private static Set<String> lockTenants(Connection c, List<Request> requests) throws SQLException {
        Object[] names = requests.stream().map(Request::tenant).distinct().toArray();
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT id FROM tenants WHERE id = ANY (?) ORDER BY id FOR KEY SHARE")) {
            lock.setArray(1, c.createArrayOf("text", names));
            Set<String> found = new HashSet<>();
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
    }

    /** Inserts the jobs without an outcome yet, in request order; returns those created, by key. */
    private static Map<Key, Job> insert(Connection c, List<Request> requests, Outcome[] outcomes) throws SQLException {
        List<Request> open = open(requests, outcomes);
        Map<Key, Job> created = new HashMap<>();
        if (open.isEmpty()) {
            return created;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (tenant, client_id, spec, state) "
                + "SELECT u.tn, u.cid, u.sp::jsonb, 'submitted' FROM unnest(?::text[], ?::text[], ?::text[]) "
                + "WITH ORDINALITY AS u(tn, cid, sp, n) ORDER BY u.n "
                + "ON CONFLICT (tenant, client_id) DO NOTHING RETURNING " + JobStore.COLUMNS)) {
            setRequests(c, insert, 1, open);
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    Job job = JobStore.job(rs);
                    created.put(new Key(job.tenant(), job.clientId()), job);
                }
            }
        }
        return created;
    }

    /** Gives each job still without an outcome the one already stored under its key, if its spec is the same. */
    private static void existing(Connection c, List<Request> requests, Outcome[] outcomes) throws SQLException {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (outcomes[i] == null) {
                indices.add(i);
            }
        }
        if (indices.isEmpty()) {
            return;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT " + JobStore.COLUMNS + ", spec = u.sp::jsonb, u.i "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::int[]) AS u(tn, cid, sp, i) "
                + "JOIN jobs ON tenant = u.tn AND client_id = u.cid")) {
            setRequests(c, select, 1, indices.stream().map(requests::get).toList());
            select.setArray(4, c.createArrayOf("integer", indices.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    outcomes[rs.getInt(10)] = sameSpecOrConflict(rs);
                }
            }
        }
        for (int i : indices) {
            if (outcomes[i] == null) {
                outcomes[i] = Outcome.failed(new StoreException("job " + requests.get(i).key()
                        + " conflicted but cannot be read"));
            }
        }
    }

    /** The job of the current row, whose 9th column says whether its spec equals the one submitted. */
    private static Outcome sameSpecOrConflict(ResultSet rs) throws SQLException {
        if (!rs.getBoolean(9)) {
            return Outcome.failed(new ConflictException("clientId " + rs.getString(3) + " of tenant " + rs.getString(2)
                    + " is already used by job " + rs.getLong(1) + " with a different spec"));
        }
        return new Outcome(new Submission(JobStore.job(rs), false), null);
    }

    private static void appendEvents(Connection c, Outcome[] outcomes) throws SQLException {
        List<Job> created = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.failure() == null && o.submission().created()) {
                created.add(o.submission().job());
            }
        }
        EventLog.appendAll(c, created.stream().map(Job::tenant).toArray(String[]::new),
                created.stream().mapToLong(Job::id).toArray(), "job.submitted",
                created.stream().map(job -> Map.of("clientId", job.clientId())).toList());
    }

    private static List<Request> open(List<Request> requests, Outcome[] outcomes) {
        List<Request> open = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (outcomes[i] == null) {
                open.add(requests.get(i));
            }
        }
        return open;
    }

    /** Sets parameters {@code first}.. {@code first + 2} to the tenants, clientIds and specs of {@code requests}. */
    private static void setRequests(Connection c, PreparedStatement statement, int first, List<Request> requests)
            throws SQLException {
        statement.setArray(first, c.createArrayOf("text", requests.stream().map(Request::tenant).toArray()));
        statement.setArray(first + 1, c.createArrayOf("text", requests.stream().map(r -> r.job().clientId()).toArray()));
        statement.setArray(first + 2, c.createArrayOf("text", requests.stream().map(r -> r.job().specJson()).toArray()));
    }
}
