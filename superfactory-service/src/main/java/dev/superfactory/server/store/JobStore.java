package dev.superfactory.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Jobs in PostgreSQL, plain JDBC. Tenancy is enforced here: every query names the tenant, so a
 * job of another tenant is simply not found. Every change commits with exactly one event.
 *
 * <p>Costs (default durability): {@link #submit} is one transaction of four statements and one
 * WAL flush, shared by the submits that arrive while the previous one commits (group commit); a
 * retry of an existing (tenant, clientId) is an index lookup and writes nothing;
 * {@link #transition} is one conditional UPDATE plus one event; {@link #list} is one index range
 * scan of limit + 1 rows; {@link #submitBatch} is four statements and one WAL flush for up to
 * 1,000 jobs.
 */
public final class JobStore {

    static final String COLUMNS = "id, tenant, client_id, spec::text, state, version, created, updated";

    private final DataSource dataSource;
    private final Runnable betweenJobAndEvent;
    private final GroupCommit<MultiSubmit.Request, MultiSubmit.Outcome> groups =
            new GroupCommit<>(this::commitGroup, MultiSubmit.Outcome::failed);

    public JobStore(DataSource dataSource) {
        this(dataSource, () -> { });
    }

    /** For tests: {@code betweenJobAndEvent} runs after the job row is written, before its event. */
    JobStore(DataSource dataSource, Runnable betweenJobAndEvent) {
        this.dataSource = dataSource;
        this.betweenJobAndEvent = betweenJobAndEvent;
    }

    /**
     * Inserts the job in state submitted and appends its {@code submitted} event in one
     * transaction, which may hold the jobs of concurrent callers too ({@link GroupCommit}); returns
     * once it has committed. A retry with the same (tenant, clientId) returns the job already
     * there, created false; the unique constraint makes this hold under concurrent retries too.
     *
     * @throws ConflictException if the clientId is already used for a different spec
     * @throws NotFoundException if the tenant does not exist
     */
    public Submission submit(String tenant, String clientId, String specJson) {
        requireText("tenant", tenant);
        return groups.submit(new MultiSubmit.Request(tenant, new NewJob(clientId, specJson))).orThrow();
    }

    /**
     * Submits every job of {@code batch} in one transaction ({@link MultiSubmit}: four statements
     * and one WAL flush whatever the batch size). Each job is idempotent on (tenant, clientId) as in
     * {@link #submit}; the result is in {@code batch} order.
     *
     * @throws ConflictException if a clientId is already used for a different spec (nothing is written)
     * @throws NotFoundException if the tenant does not exist
     * @throws IllegalArgumentException if the batch is empty or names a clientId twice
     */
    public List<Submission> submitBatch(String tenant, List<NewJob> batch) {
        requireText("tenant", tenant);
        requireDistinctClientIds(batch);
        List<MultiSubmit.Request> requests = batch.stream().map(job -> new MultiSubmit.Request(tenant, job)).toList();
        return Jdbc.inTransaction(dataSource, c -> {
            List<Submission> submissions = new ArrayList<>();
            for (MultiSubmit.Outcome outcome : MultiSubmit.run(c, requests, betweenJobAndEvent)) {
                submissions.add(outcome.orThrow()); // a refusal rolls the whole batch back
            }
            return List.copyOf(submissions);
        });
    }

    /** Transactions of single submits so far: fewer than the submits when they were grouped. */
    long submitTransactions() {
        return groups.groups();
    }

    /** One transaction for a group of single submits; if it fails as a whole, each job alone, so one bad job fails alone. */
    private List<MultiSubmit.Outcome> commitGroup(List<MultiSubmit.Request> group) {
        try {
            return Jdbc.inTransaction(dataSource, c -> MultiSubmit.run(c, group, betweenJobAndEvent));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                return List.of(MultiSubmit.Outcome.failed(e));
            }
            return group.stream().map(request -> commitGroup(List.of(request)).get(0)).toList();
        }
    }

    private static void requireDistinctClientIds(List<NewJob> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one job");
        }
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Integer earlier = first.putIfAbsent(batch.get(i).clientId(), i);
            if (earlier != null) {
                throw new IllegalArgumentException("jobs " + earlier + " and " + i + " share clientId " + batch.get(i).clientId());
            }
        }
    }

    /** The job if it exists and is the tenant's; empty otherwise (another tenant's job included). */
    public Optional<Job> get(String tenant, long jobId) {
        return Jdbc.inTransaction(dataSource, c -> find(c, tenant, jobId));
    }

    /** An operator's read: the job whatever its tenant, empty if there is none. */
    public Optional<Job> getAnyTenant(long jobId) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
                select.setLong(1, jobId);
                return first(select);
            }
        });
    }

    /**
     * The job's newest run with its shards (one transaction, two indexed reads: runs by (job,
     * attempt), shards by run), or empty if it never ran. The caller has checked the job is visible.
     */
    public Optional<RunRecord> newestRun(long jobId) {
        return Jdbc.inTransaction(dataSource, c -> {
            long run;
            int attempt;
            String state;
            java.time.Instant created;
            java.time.Instant ended;
            try (PreparedStatement select = c.prepareStatement("SELECT id, attempt, state, created, ended FROM runs"
                    + " WHERE job = ? ORDER BY attempt DESC LIMIT 1")) {
                select.setLong(1, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    run = rs.getLong(1);
                    attempt = rs.getInt(2);
                    state = rs.getString(3);
                    created = Jdbc.instant(rs.getTimestamp(4));
                    ended = rs.getTimestamp(5) == null ? null : Jdbc.instant(rs.getTimestamp(5));
                }
            }
            List<RunRecord.Shard> shards = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT site, state, placement::text FROM shards"
                    + " WHERE run = ? ORDER BY site")) {
                select.setLong(1, run);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        shards.add(new RunRecord.Shard(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return Optional.of(new RunRecord(run, attempt, state, created, ended, shards));
        });
    }

    /** The tenant's jobs in id order, only those in {@code states} unless it is empty. */
    public Page.Of<Job> list(String tenant, Set<JobState> states, Page page) {
        requireText("tenant", tenant);
        return list(Optional.of(tenant), states, page);
    }

    /** An operator's read: every tenant's jobs in id order, only those in {@code states} unless it is empty. */
    public Page.Of<Job> listAllTenants(Set<JobState> states, Page page) {
        return list(Optional.empty(), states, page);
    }

    private Page.Of<Job> list(Optional<String> tenant, Set<JobState> states, Page page) {
        String[] labels = states.stream().map(JobState::label).toArray(String[]::new);
        String sql = "SELECT " + COLUMNS + " FROM jobs WHERE " + (tenant.isPresent() ? "tenant = ? AND " : "")
                + "id > ?" + (labels.length == 0 ? "" : " AND state = ANY (?)") + " ORDER BY id LIMIT ?";
        List<Job> jobs = Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                if (tenant.isPresent()) {
                    select.setString(i++, tenant.get());
                }
                select.setLong(i++, page.afterId());
                if (labels.length > 0) {
                    select.setArray(i++, c.createArrayOf("text", labels));
                }
                select.setInt(i, page.limit() + 1);
                return readAll(select);
            }
        });
        return pageOf(jobs, page.limit());
    }

    /**
     * Moves the tenant's job from {@code from} to {@code to} if it is still at
     * {@code expectedVersion}, and appends a {@code job.state} event; returns the job as committed.
     *
     * @throws ConflictException if the transition is illegal, or the job is no longer in
     *     {@code from} at {@code expectedVersion}
     * @throws NotFoundException if the tenant has no such job
     */
    public Job transition(String tenant, long jobId, JobState from, JobState to, int expectedVersion) {
        if (!from.canBecome(to)) {
            throw new ConflictException("job " + jobId + ": " + from.label() + " → " + to.label()
                    + " is not a legal transition");
        }
        return Jdbc.inTransaction(dataSource, c -> {
            Optional<Job> updated = update(c, tenant, jobId, from, to, expectedVersion);
            if (updated.isEmpty()) {
                throw staleOrMissing(c, tenant, jobId, from, expectedVersion);
            }
            Job job = updated.get();
            EventLog.append(c, tenant, jobId, 0, "job.state",
                    Map.of("from", from.label(), "to", to.label(), "version", job.version()));
            return job;
        });
    }

    private static Optional<Job> update(Connection c, String tenant, long jobId, JobState from, JobState to,
                                        int expectedVersion) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = ?, version = version + 1, "
                + "updated = greatest(now(), created) WHERE tenant = ? AND id = ? AND state = ? AND version = ? "
                + "RETURNING " + COLUMNS)) {
            update.setString(1, to.label());
            update.setString(2, tenant);
            update.setLong(3, jobId);
            update.setString(4, from.label());
            update.setInt(5, expectedVersion);
            return first(update);
        }
    }

    private static RuntimeException staleOrMissing(Connection c, String tenant, long jobId, JobState from,
                                                   int expectedVersion) throws SQLException {
        Optional<Job> current = find(c, tenant, jobId);
        if (current.isEmpty()) {
            return new NotFoundException("tenant " + tenant + " has no job " + jobId);
        }
        Job job = current.get();
        return new ConflictException("job " + jobId + " is " + job.state().label() + " at version "
                + job.version() + ", not " + from.label() + " at version " + expectedVersion);
    }

    private static Optional<Job> find(Connection c, String tenant, long jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM jobs WHERE tenant = ? AND id = ?")) {
            select.setString(1, tenant);
            select.setLong(2, jobId);
            return first(select);
        }
    }

    private static Optional<Job> first(PreparedStatement statement) throws SQLException {
        List<Job> jobs = readAll(statement);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    private static List<Job> readAll(PreparedStatement statement) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                jobs.add(job(rs));
            }
        }
        return jobs;
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                JobState.ofLabel(rs.getString(5)), rs.getInt(6), Jdbc.instant(rs.getTimestamp(7)),
                Jdbc.instant(rs.getTimestamp(8)));
    }

    private static Page.Of<Job> pageOf(List<Job> jobs, int limit) {
        if (jobs.size() <= limit) {
            return new Page.Of<>(jobs, OptionalLong.empty());
        }
        List<Job> items = List.copyOf(jobs.subList(0, limit));
        return new Page.Of<>(items, OptionalLong.of(items.get(limit - 1).id()));
    }

    static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing or blank: '" + value + "'");
        }
    }
}
