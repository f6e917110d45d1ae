package dev.superfactory.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The scheduler thread's and the site agents' side of the store (issue 11 items 1, 5, 8).
 *
 * <p>A scheduling pass commits in one transaction: a {@code kernel.pass} event holding the pass's
 * time and inputs (what the kernel was told, in order: replaying these through a fresh kernel
 * rebuilds its state exactly), then every change the pass decided ({@link PassStep}), the agent
 * commands they cause (the outbox), and the agent reports the pass took into account. An agent
 * reads only committed commands, so nothing it does rests on a decision a crash could undo.
 *
 * <p>Costs: {@link #commit} is one transaction of about ten array statements however many steps
 * it has ({@link PassWriter}), and one WAL flush;
 * {@link #forEachPass} streams every pass event of the log (start-up only, O(history));
 * {@link #commands} is one index range scan; {@link #report} one insert.
 */
public final class SchedulerStore {

    private static final String PASS = "kernel.pass";
    /** Every committed pass in commit order: a scan of the partial index {@code event_log_passes} (V5). */
    static final String PASSES_IN_ORDER = "SELECT seq, payload::text FROM event_log WHERE type = '" + PASS + "' ORDER BY seq";

    private final DataSource dataSource;

    public SchedulerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts a leader term: the first start records {@code fleetJson}; a later one checks it is the
     * same fleet (a replay onto other GPUs would be wrong) and takes term + 1. Every site gets its
     * agent row. Returns the new term.
     *
     * @throws ConflictException if the database was built on another fleet
     */
    public long begin(String fleetJson, List<String> sites, Instant now) {
        return Jdbc.inTransaction(dataSource, c -> {
            long term;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT term, fleet = ?::jsonb, fleet::text FROM control_plane FOR UPDATE")) {
                select.setString(1, fleetJson);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getBoolean(2)) {
                            throw new ConflictException("this database was built on another fleet (" + rs.getString(3)
                                    + "), not " + fleetJson + "; start with the scenario it was built on, or a new --data");
                        }
                        term = rs.getLong(1) + 1;
                    } else {
                        term = 1;
                    }
                }
            }
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO control_plane (term, fleet, started) "
                    + "VALUES (?, ?::jsonb, ?) ON CONFLICT (id) DO UPDATE SET term = excluded.term, started = excluded.started")) {
                upsert.setLong(1, term);
                upsert.setString(2, fleetJson);
                upsert.setTimestamp(3, Jdbc.timestamp(now));
                upsert.executeUpdate();
            }
            try (PreparedStatement agent = c.prepareStatement(
                    "INSERT INTO agents (site) VALUES (?) ON CONFLICT (site) DO NOTHING")) {
                for (String site : sites) {
                    agent.setString(1, site);
                    agent.addBatch();
                }
                agent.executeBatch();
            }
            EventLog.append(c, null, 0, 0, "control_plane.started", Map.of("term", term));
            return term;
        });
    }

    /** A committed pass as {@link #commit} wrote it: {@code {"t": time, "term": term, "n": number, "in": [inputs]}}. */
    public record PassRecord(long seq, String inputsJson) {
    }

    /** Calls {@code action} with every committed pass in commit order, streamed (O(history)). */
    public void forEachPass(Consumer<PassRecord> action) {
        Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    PASSES_IN_ORDER)) {
                select.setFetchSize(1000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        action.accept(new PassRecord(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            return null;
        });
    }

    /** Jobs committed but not yet taken by the kernel (state submitted), in id order. */
    public List<Job> unscheduled() {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Job> jobs = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, tenant, client_id, spec::text, state, version, "
                    + "created, updated FROM jobs WHERE state = 'submitted' ORDER BY id")) {
                select.setFetchSize(1000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                JobState.ofLabel(rs.getString(5)), rs.getInt(6), Jdbc.instant(rs.getTimestamp(7)),
                                Jdbc.instant(rs.getTimestamp(8))));
                    }
                }
            }
            return jobs;
        });
    }

    /** The state of every job that is not finished. */
    public Map<Long, JobState> liveJobStates() {
        return Jdbc.inTransaction(dataSource, c -> {
            Map<Long, JobState> states = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, state FROM jobs "
                    + "WHERE state NOT IN ('succeeded', 'failed', 'cancelled') ORDER BY id")) {
                select.setFetchSize(1000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getLong(1), JobState.ofLabel(rs.getString(2)));
                    }
                }
            }
            return states;
        });
    }

    /** A shard of a run, as usage counts it: its site, GPUs, and when its run started and ended (null: not yet). */
    public record ShardTime(String site, int gpus, java.time.Instant started, java.time.Instant ended) {
    }

    /** The tenant's shards whose runs overlap [since, until), in run order. One indexed scan of the tenant's runs. */
    public List<ShardTime> shardTimes(String tenant, java.time.Instant since, java.time.Instant until) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<ShardTime> shards = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT s.site, (s.placement->>'gpus')::int, r.created, "
                    + "r.ended FROM runs r JOIN shards s ON s.run = r.id WHERE r.tenant = ? AND r.created < ? "
                    + "AND (r.ended IS NULL OR r.ended > ?) ORDER BY r.id, s.site")) {
                select.setString(1, tenant);
                select.setTimestamp(2, Jdbc.timestamp(until));
                select.setTimestamp(3, Jdbc.timestamp(since));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        shards.add(new ShardTime(rs.getString(1), rs.getInt(2), Jdbc.instant(rs.getTimestamp(3)),
                                Jdbc.instant(rs.getTimestamp(4))));
                    }
                }
            }
            return shards;
        });
    }

    /** The checkpointed work (seconds of true run time) of every job not finished that has some. */
    public Map<Long, Long> checkpoints() {
        return Jdbc.inTransaction(dataSource, c -> {
            Map<Long, Long> seconds = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, checkpoint_seconds FROM jobs WHERE "
                    + "checkpoint_seconds > 0 AND state NOT IN ('succeeded', 'failed', 'cancelled') ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seconds.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return seconds;
        });
    }

    /** Every held job (out of the kernel's queue) and its tenant. */
    public Map<Long, String> heldJobs() {
        return Jdbc.inTransaction(dataSource, c -> {
            Map<Long, String> held = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, tenant FROM jobs WHERE state = 'held' ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    held.put(rs.getLong(1), rs.getString(2));
                }
            }
            return held;
        });
    }

    /**
     * A run not ended: its job, each shard's site and state (not the shards a WAN cut stopped),
     * whether it started in two phases (it had shards on two or more sites, a shrink may have left
     * one), and whether its {@code go} commands were written (a one-phase run never has them).
     */
    public record LiveRun(long run, long job, String tenant, Map<String, String> shards, boolean twoPhase, boolean go) {
    }

    /** Every run that has not ended, in run order, with its shards still part of it. */
    public List<LiveRun> liveRuns() {
        return Jdbc.inTransaction(dataSource, c -> {
            Map<Long, LiveRun> runs = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.job, r.tenant, s.site, s.state, "
                    + "r.go_at IS NOT NULL, (SELECT count(*) FROM shards x WHERE x.run = r.id) > 1 "
                    + "FROM runs r JOIN shards s ON s.run = r.id WHERE r.ended IS NULL "
                    // a shard a WAN cut stopped left the run: stopping, or ended as stopped, failed or lost (in a live
                    // run no other shard has those states: a failed one ends its run in the pass that applies it)
                    + "AND s.state IN ('assigned', 'ready', 'running', 'finished') ORDER BY r.id, s.site")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long run = rs.getLong(1);
                        long job = rs.getLong(2);
                        String tenant = rs.getString(3);
                        boolean go = rs.getBoolean(6);
                        boolean twoPhase = rs.getBoolean(7);
                        runs.computeIfAbsent(run, r -> new LiveRun(r, job, tenant, new LinkedHashMap<>(), twoPhase, go))
                                .shards().put(rs.getString(4), rs.getString(5));
                    }
                }
            }
            return List.copyOf(runs.values());
        });
    }

    /**
     * An agent's report: shard {@code (run, site)} reached {@code state}; {@code seq} orders one
     * shard's reports; {@code checkpointSeconds}: with {@code failed}, the job's work (seconds of
     * its true run time) at its last checkpoint, 0 if none; {@code reason}: why, in the cluster's
     * words (at most {@value #MAX_REASON} characters; empty if none).
     */
    public record Report(long run, String site, int seq, String state, long checkpointSeconds, String reason) {
        /** The longest reason a report may carry. */
        public static final int MAX_REASON = 200;

        public Report {
            if (checkpointSeconds < 0) {
                throw new IllegalArgumentException("checkpointSeconds must be >= 0, got " + checkpointSeconds);
            }
            if (reason.length() > MAX_REASON) {
                throw new IllegalArgumentException("reason has " + reason.length() + " characters, more than " + MAX_REASON);
            }
        }

        /** A report without a reason. */
        public Report(long run, String site, int seq, String state, long checkpointSeconds) {
            this(run, site, seq, state, checkpointSeconds, "");
        }

        /** A report without a checkpoint or a reason. */
        public Report(long run, String site, int seq, String state) {
            this(run, site, seq, state, 0);
        }
    }

    /** Reports stored but not yet taken into account by the scheduler thread, in arrival order. */
    public List<Report> unappliedReports() {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Report> reports = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT run, site, seq, state, checkpoint_seconds, reason "
                    + "FROM shard_reports WHERE NOT applied ORDER BY received, run, site, seq")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        reports.add(new Report(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getLong(5), rs.getString(6)));
                    }
                }
            }
            return reports;
        });
    }

    /**
     * Commits pass {@code number} of leader {@code term}: its {@code kernel.pass} event (time
     * {@code t}, the inputs as a JSON array), then the steps in order, then marks {@code applied}
     * reports. Returns the id of each new run, in the
     * order of the {@link PassStep.StartRun} steps.
     *
     * @throws IllegalStateException if a job is not in the state a step starts from (the kernel
     *     and the store disagree: a bug; nothing is written)
     */
    public long[] commit(long t, long number, String inputsJson, List<PassStep> steps, List<Report> applied,
                         long term) {
        return Jdbc.inTransaction(dataSource, c -> {
            fence(c, term);
            markApplied(c, applied);
            return PassWriter.write(c, steps, term, PASS,
                    "{\"t\":" + t + ",\"term\":" + term + ",\"n\":" + number + ",\"in\":" + inputsJson + "}");
        });
    }

    /**
     * Fencing: the pass commits only if {@code term} is still the database's leader term. The row
     * lock (FOR SHARE) makes a new leader's {@link #begin} wait for passes in flight, and every pass
     * after it fail.
     *
     * @throws FencedException if another control plane has started on this database since
     */
    private static void fence(Connection c, long term) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT term FROM control_plane FOR SHARE");
             ResultSet rs = select.executeQuery()) {
            long current = rs.next() ? rs.getLong(1) : 0;
            if (current != term) {
                throw new FencedException("the database's leader term is " + current + ", not this scheduler's " + term);
            }
        }
    }

    private static void markApplied(Connection c, List<Report> applied) throws SQLException {
        if (applied.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE shard_reports r SET applied = true FROM "
                + "unnest(?::bigint[], ?::text[], ?::int[]) AS u(run, site, seq) "
                + "WHERE r.run = u.run AND r.site = u.site AND r.seq = u.seq")) {
            update.setArray(1, c.createArrayOf("bigint", applied.stream().map(Report::run).toArray(Long[]::new)));
            update.setArray(2, c.createArrayOf("text", applied.stream().map(Report::site).toArray(String[]::new)));
            update.setArray(3, c.createArrayOf("integer", applied.stream().map(Report::seq).toArray(Integer[]::new)));
            update.executeUpdate();
        }
    }

    // ---- the agents' side ----

    /** A command for a site agent, as leased: its id (the agent's cursor), leader term, run, kind and payload. */
    public record AgentCommand(long id, long term, long run, String kind, String payloadJson) {
    }

    /**
     * The site's commands after {@code after}, at most {@code limit}, in id order; moving the cursor
     * to {@code after} acknowledges every command up to it, and records the heartbeat.
     *
     * @throws NotFoundException if there is no such site
     */
    public List<AgentCommand> commands(String site, long after, int limit, Instant now) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement beat = c.prepareStatement("UPDATE agents SET last_heartbeat = greatest(?, registered), "
                    + "acked_command = greatest(acked_command, ?) WHERE site = ?")) {
                beat.setTimestamp(1, Jdbc.timestamp(now));
                beat.setLong(2, after);
                beat.setString(3, site);
                if (beat.executeUpdate() == 0) {
                    throw new NotFoundException("no site " + site);
                }
            }
            List<AgentCommand> commands = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, term, run, kind, payload::text "
                    + "FROM agent_commands WHERE site = ? AND id > ? ORDER BY id LIMIT ?")) {
                select.setString(1, site);
                select.setLong(2, after);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        commands.add(new AgentCommand(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return commands;
        });
    }

    /**
     * Stores an agent's report; false if it was stored before (a retry or a duplicate: reports are
     * idempotent on (run, site, seq)).
     *
     * @throws NotFoundException if the run has no shard on the site
     */
    public boolean report(Report report) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement shard = c.prepareStatement("SELECT 1 FROM shards WHERE run = ? AND site = ?")) {
                shard.setLong(1, report.run());
                shard.setString(2, report.site());
                try (ResultSet rs = shard.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("run " + report.run() + " has no shard on site " + report.site());
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO shard_reports (run, site, seq, state, "
                    + "checkpoint_seconds, reason) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run, site, seq) DO NOTHING")) {
                insert.setLong(1, report.run());
                insert.setString(2, report.site());
                insert.setInt(3, report.seq());
                insert.setString(4, report.state());
                insert.setLong(5, report.checkpointSeconds());
                insert.setString(6, report.reason());
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** The newest command id of the site, 0 if none: where an agent that runs nothing of the past starts reading. */
    public long newestCommand(String site) {
        return Jdbc.inTransaction(dataSource, c -> newestCommand(c, site));
    }

    private static long newestCommand(Connection c, String site) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT coalesce(max(id), 0) FROM agent_commands WHERE site = ?")) {
            select.setString(1, site);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Shards of {@code site} that are assigned, ready, running or stopping: what its agent should be running. */
    public List<Report> shardsOn(String site) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Report> shards = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT s.run, s.state, coalesce(max(r.seq), 0) "
                    + "FROM shards s LEFT JOIN shard_reports r ON r.run = s.run AND r.site = s.site "
                    + "WHERE s.site = ? AND s.state IN ('assigned', 'ready', 'running', 'stopping') GROUP BY s.run, s.state ORDER BY s.run")) {
                select.setString(1, site);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        shards.add(new Report(rs.getLong(1), site, rs.getInt(3), rs.getString(2)));
                    }
                }
            }
            return shards;
        });
    }

    /**
     * A shard the control plane believes is live on a site, for its agent's reconciliation.
     *
     * @param seq the highest seq reported for it (0: none yet)
     * @param placementJson {@code {"gpus": n, "domains": [[domain, gpus], …]}}
     * @param go whether the run's go is written (a prepared shard may start)
     */
    public record LiveShard(long run, long job, String tenant, String state, int seq, String placementJson, boolean go) {
    }

    /** A site's live shards and its newest command id, read in one snapshot. */
    public record SiteShards(long newestCommand, List<LiveShard> shards) {
    }

    /**
     * As {@link #shardsOn}, with each shard's job, tenant and placement, and the site's newest
     * command id, all from one snapshot (REPEATABLE READ): a pass committing meanwhile is in both or
     * in neither, so an agent that moves its cursor to the newest command never skips a start whose
     * shard the list lacks. Three queries.
     *
     * @throws NotFoundException if there is no such site
     */
    public SiteShards liveShardsOn(String site) {
        return Jdbc.inTransaction(dataSource, c -> {
            c.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement known = c.prepareStatement("SELECT 1 FROM agents WHERE site = ?")) {
                known.setString(1, site);
                try (ResultSet rs = known.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("no site " + site);
                    }
                }
            }
            List<LiveShard> shards = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT s.run, u.job, u.tenant, s.state, "
                    + "coalesce((SELECT max(r.seq) FROM shard_reports r WHERE r.run = s.run AND r.site = s.site), 0), "
                    + "s.placement::text, u.go_at IS NOT NULL FROM shards s JOIN runs u ON u.id = s.run "
                    + "WHERE s.site = ? AND s.state IN ('assigned', 'ready', 'running', 'stopping') ORDER BY s.run")) {
                select.setString(1, site);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        shards.add(new LiveShard(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getString(6), rs.getBoolean(7)));
                    }
                }
            }
            return new SiteShards(newestCommand(c, site), shards);
        });
    }

    /**
     * Logs that a site's agent found a shard on its cluster that the control plane does not
     * believe live and stopped it (a reconciliation's "unknown run": fleet-wide event
     * {@code agent.orphan_stopped}). One insert.
     */
    public void orphanStopped(String site, String shard, String clusterId, String reason) {
        Jdbc.inTransaction(dataSource, c -> EventLog.append(c, null, 0, 0, "agent.orphan_stopped",
                Map.of("site", site, "shard", shard, "clusterId", clusterId, "reason", reason)));
    }
}
