package dev.superfactory.server.store;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongLinkedOpenHashSet;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one pass's {@link PassStep}s set-wise: a handful of array statements per pass, whatever
 * its size, instead of a few statements per step (a pass that queues 2,000 jobs is one UPDATE and
 * one INSERT of events, not 6,000 round trips).
 *
 * <p>The steps are cut into segments in which each job has at most one run change (a start or an
 * end; a job started and stopped in one pass spans two segments). Within a segment, in this order:
 * shard states from agents' reports (last one per shard wins), go commands of two-phase runs
 * whose shards are all ready, ended runs (and stop commands for their shards still assigned,
 * ready or running), started runs (their shards and start commands), job transitions
 * collapsed per job (checked against the state of the first, versions counted). The events of
 * every step follow the pass's own event, in step order, appended at the end of the transaction. Order across jobs never matters; within a job it is the steps' order.
 *
 * <p>Cost per segment: about eight statements, each O(rows it touches) with index lookups.
 */
final class PassWriter {

    private final Connection c;
    private final long term;
    private final List<Long> runIds = new ArrayList<>();
    private final List<String> tenants = new ArrayList<>();
    private final List<Long> jobs = new ArrayList<>();
    private final List<Long> runs = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<String> payloads = new ArrayList<>();

    private PassWriter(Connection c, long term) {
        this.c = c;
        this.term = term;
    }

    /**
     * Writes the steps on {@code c} (inside the caller's transaction), then appends the pass's own
     * event ({@code passPayloadJson}, type {@code passType}) and every step's event last, in one
     * statement: the event log's lock is taken only then, so it is held for the appends and the
     * commit, not for the whole pass. Returns the new runs' ids in StartRun order.
     */
    static long[] write(Connection c, List<PassStep> steps, long term, String passType, String passPayloadJson)
            throws SQLException {
        PassWriter writer = new PassWriter(c, term);
        writer.add(null, 0, 0, passType, passPayloadJson);
        for (List<PassStep> segment : segments(steps)) {
            writer.segment(segment);
        }
        writer.appendEvents();
        return writer.runIds.stream().mapToLong(Long::longValue).toArray();
    }

    private void appendEvents() throws SQLException {
        EventLog.appendRows(c, tenants.toArray(String[]::new), jobs.stream().mapToLong(Long::longValue).toArray(),
                runs.stream().mapToLong(Long::longValue).toArray(), types.toArray(String[]::new),
                payloads.toArray(String[]::new));
    }

    private void add(String tenant, long job, long run, String type, String payloadJson) {
        tenants.add(tenant);
        jobs.add(job);
        runs.add(run);
        types.add(type);
        payloads.add(payloadJson);
    }

    /** Cuts the steps where a job would change its run a second time. */
    static List<List<PassStep>> segments(List<PassStep> steps) {
        List<List<PassStep>> segments = new ArrayList<>();
        List<PassStep> current = new ArrayList<>();
        LongOpenHashSet runChanged = new LongOpenHashSet();
        for (PassStep step : steps) {
            long job = step instanceof PassStep.StartRun s ? s.job() : step instanceof PassStep.EndRun e ? e.job() : 0;
            if (job != 0 && !runChanged.add(job)) {
                segments.add(current);
                current = new ArrayList<>();
                runChanged.clear();
                runChanged.add(job);
            }
            current.add(step);
        }
        if (!current.isEmpty()) {
            segments.add(current);
        }
        return segments;
    }

    private void segment(List<PassStep> steps) throws SQLException {
        shardStates(steps);
        checkpoints(steps);
        Long2LongOpenHashMap liveRun = liveRuns(steps);
        shardStops(steps); // first: a go in the same pass must not reach a shard a WAN cut stopped
        goes(steps);
        Long2LongOpenHashMap ended = endRuns(steps);
        Long2LongOpenHashMap started = startRuns(steps);
        Long2IntOpenHashMap versions = transitions(steps);
        events(steps, liveRun, ended, started, versions);
    }

    private void shardStates(List<PassStep> steps) throws SQLException {
        Map<String, PassStep.ShardState> last = new LinkedHashMap<>();
        for (PassStep step : steps) {
            if (step instanceof PassStep.ShardState s) {
                last.put(s.run() + "/" + s.site(), s);
            }
        }
        if (last.isEmpty()) {
            return;
        }
        List<PassStep.ShardState> rows = new ArrayList<>(last.values());
        try (PreparedStatement update = c.prepareStatement("UPDATE shards s SET state = u.state FROM "
                + "unnest(?::bigint[], ?::text[], ?::text[]) AS u(run, site, state) WHERE s.run = u.run AND s.site = u.site "
                // only forward: a late 'ready' or 'running' does not undo a later state, a stop or an end
                + "AND " + PassStep.ShardState.rankSql("u.state") + " > " + PassStep.ShardState.rankSql("s.state"))) {
            update.setArray(1, longs(rows.stream().mapToLong(PassStep.ShardState::run).toArray()));
            update.setArray(2, texts(rows.stream().map(PassStep.ShardState::site).toArray(String[]::new)));
            update.setArray(3, texts(rows.stream().map(PassStep.ShardState::state).toArray(String[]::new)));
            update.executeUpdate();
        }
    }

    /** Each job's newest checkpoint in the segment (the last one wins). */
    private void checkpoints(List<PassStep> steps) throws SQLException {
        Long2LongOpenHashMap last = new Long2LongOpenHashMap();
        for (PassStep.Checkpoint step : ofType(steps, PassStep.Checkpoint.class)) {
            last.put(step.job(), step.seconds());
        }
        if (last.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE jobs j SET checkpoint_seconds = u.seconds FROM "
                + "unnest(?::bigint[], ?::bigint[]) AS u(id, seconds) WHERE j.id = u.id")) {
            update.setArray(1, longs(last.keySet().toLongArray()));
            update.setArray(2, longs(last.values().toLongArray()));
            update.executeUpdate();
        }
    }

    /** The live run of every job whose transitions or run changes are in the segment. */
    private Long2LongOpenHashMap liveRuns(List<PassStep> steps) throws SQLException {
        LongLinkedOpenHashSet jobs = new LongLinkedOpenHashSet();
        for (PassStep step : steps) {
            if (step instanceof PassStep.Transition t) {
                jobs.add(t.job());
            } else if (step instanceof PassStep.EndRun e) {
                jobs.add(e.job());
            } else if (step instanceof PassStep.RunEvent e) {
                jobs.add(e.job());
            }
        }
        Long2LongOpenHashMap runs = new Long2LongOpenHashMap();
        if (jobs.isEmpty()) {
            return runs;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT job, id FROM runs WHERE job = ANY (?::bigint[]) AND ended IS NULL")) {
            select.setArray(1, longs(jobs.toLongArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    runs.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return runs;
    }

    /** Ends each EndRun's job's live run; stops its shards still assigned or running. Job → ended run. */
    private Long2LongOpenHashMap endRuns(List<PassStep> steps) throws SQLException {
        List<PassStep.EndRun> ends = ofType(steps, PassStep.EndRun.class);
        Long2LongOpenHashMap ended = new Long2LongOpenHashMap();
        if (ends.isEmpty()) {
            return ended;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE runs r SET state = u.state, ended = greatest(now(), "
                + "r.created) FROM unnest(?::bigint[], ?::text[]) AS u(job, state) WHERE r.job = u.job AND r.ended IS NULL "
                + "RETURNING r.job, r.id")) {
            update.setArray(1, longs(ends.stream().mapToLong(PassStep.EndRun::job).toArray()));
            update.setArray(2, texts(ends.stream().map(PassStep.EndRun::runState).toArray(String[]::new)));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    ended.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        for (PassStep.EndRun e : ends) {
            if (!ended.containsKey(e.job())) {
                throw new IllegalStateException("job " + e.job() + " has no live run to end: the kernel and the store disagree");
            }
        }
        List<PassStep.EndRun> stops = ends.stream().filter(PassStep.EndRun::stop).toList();
        if (!stops.isEmpty()) {
            long[] runs = stops.stream().mapToLong(e -> ended.get(e.job())).toArray();
            String[] payloads = stops.stream().map(e -> EventLog.json(Map.of("job", e.job(), "reason", e.reason())))
                    .toArray(String[]::new);
            try (PreparedStatement command = c.prepareStatement("INSERT INTO agent_commands (site, term, run, kind, payload) "
                    + "SELECT s.site, ?, s.run, 'stop', u.payload::jsonb FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY "
                    + "AS u(run, payload, n) JOIN shards s ON s.run = u.run WHERE s.state IN ('assigned', 'ready', 'running') "
                    + "ORDER BY u.n, s.site");
                 PreparedStatement stopping = c.prepareStatement("UPDATE shards SET state = 'stopping' "
                         + "WHERE run = ANY (?::bigint[]) AND state IN ('assigned', 'ready', 'running')")) {
                command.setLong(1, term);
                command.setArray(2, longs(runs));
                command.setArray(3, texts(payloads));
                command.executeUpdate();
                stopping.setArray(1, longs(runs));
                stopping.executeUpdate();
            }
        }
        return ended;
    }

    /**
     * Writes each Go's {@code go} commands, one per shard of its run, and the run's go time.
     *
     * @throws IllegalStateException if a run has had its go already, or has ended (a bug: nothing is written)
     */
    private void goes(List<PassStep> steps) throws SQLException {
        List<PassStep.Go> goes = ofType(steps, PassStep.Go.class);
        if (goes.isEmpty()) {
            return;
        }
        long[] runs = goes.stream().mapToLong(PassStep.Go::run).toArray();
        try (PreparedStatement update = c.prepareStatement("UPDATE runs SET go_at = greatest(now(), created) "
                + "WHERE id = ANY (?::bigint[]) AND go_at IS NULL AND ended IS NULL")) {
            update.setArray(1, longs(runs));
            int updated = update.executeUpdate();
            if (updated != runs.length) {
                throw new IllegalStateException("a go for runs " + java.util.Arrays.toString(runs) + ", but only " + updated
                        + " of them are live and without a go: the kernel and the store disagree");
            }
        }
        String[] payloads = goes.stream().map(g -> EventLog.json(Map.of("job", g.job(), "tenant", g.tenant(),
                "sites", g.sites()))).toArray(String[]::new);
        try (PreparedStatement command = c.prepareStatement("INSERT INTO agent_commands (site, term, run, kind, payload) "
                + "SELECT s.site, ?, s.run, 'go', u.payload::jsonb FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY "
                + "AS u(run, payload, n) JOIN shards s ON s.run = u.run WHERE s.state IN ('assigned', 'ready', 'running') "
                + "ORDER BY u.n, s.site")) { // not to a shard a WAN cut stopped
            command.setLong(1, term);
            command.setArray(2, longs(runs));
            command.setArray(3, texts(payloads));
            command.executeUpdate();
        }
    }

    /** Writes each StopShards' stop commands, for its job's live run's shards on those sites still live. */
    private void shardStops(List<PassStep> steps) throws SQLException {
        List<PassStep.StopShards> stops = ofType(steps, PassStep.StopShards.class);
        if (stops.isEmpty()) {
            return;
        }
        List<Long> jobs = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (PassStep.StopShards stop : stops) {
            for (String site : stop.sites()) {
                jobs.add(stop.job());
                sites.add(site);
                payloads.add(EventLog.json(Map.of("job", stop.job(), "reason", stop.reason())));
            }
        }
        String live = "FROM unnest(?::bigint[], ?::text[], ?::text[]) WITH ORDINALITY AS u(job, site, payload, n) "
                + "JOIN runs r ON r.job = u.job AND r.ended IS NULL JOIN shards s ON s.run = r.id AND s.site = u.site "
                + "WHERE s.state IN ('assigned', 'ready', 'running')";
        try (PreparedStatement command = c.prepareStatement("INSERT INTO agent_commands (site, term, run, kind, payload) "
                + "SELECT s.site, ?, s.run, 'stop', u.payload::jsonb " + live + " ORDER BY u.n");
             PreparedStatement stopping = c.prepareStatement("UPDATE shards t SET state = 'stopping' FROM (SELECT s.run, "
                     + "s.site " + live + ") AS x WHERE t.run = x.run AND t.site = x.site")) {
            command.setLong(1, term);
            for (PreparedStatement statement : List.of(command, stopping)) {
                int first = statement == command ? 2 : 1;
                statement.setArray(first, longs(jobs.stream().mapToLong(Long::longValue).toArray()));
                statement.setArray(first + 1, texts(sites.toArray(String[]::new)));
                statement.setArray(first + 2, texts(payloads.toArray(String[]::new)));
                statement.executeUpdate();
            }
        }
    }

    /** Inserts each StartRun's run (attempt = previous + 1), its shards and start (or prepare) commands. Job → new run. */
    private Long2LongOpenHashMap startRuns(List<PassStep> steps) throws SQLException {
        List<PassStep.StartRun> starts = ofType(steps, PassStep.StartRun.class);
        Long2LongOpenHashMap started = new Long2LongOpenHashMap();
        if (starts.isEmpty()) {
            return started;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (tenant, job, attempt, state) "
                + "SELECT u.tenant, u.job, coalesce((SELECT max(attempt) FROM runs x WHERE x.job = u.job), 0) + 1, "
                + "'starting' FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS u(tenant, job, n) ORDER BY u.n "
                + "RETURNING job, id")) {
            insert.setArray(1, texts(starts.stream().map(PassStep.StartRun::tenant).toArray(String[]::new)));
            insert.setArray(2, longs(starts.stream().mapToLong(PassStep.StartRun::job).toArray()));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    started.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        List<Long> runs = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        List<String> placements = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (PassStep.StartRun start : starts) {
            long run = started.get(start.job());
            runIds.add(run);
            List<String> siteNames = start.shards().stream().map(PassStep.Shard::site).toList();
            Map<String, Integer> siteGpus = new LinkedHashMap<>(); // every site's part: an agent's rank layout
            for (PassStep.Shard shard : start.shards()) {
                siteGpus.put(shard.site(), EventLog.tree(shard.placementJson()).get("gpus").asInt());
            }
            for (PassStep.Shard shard : start.shards()) {
                runs.add(run);
                sites.add(shard.site());
                placements.add(shard.placementJson());
                Map<String, Object> payload = new LinkedHashMap<>(start.command());
                payload.put("job", start.job());
                payload.put("tenant", start.tenant());
                payload.put("sites", siteNames);
                payload.put("siteGpus", siteGpus);
                payload.put("placement", EventLog.tree(shard.placementJson()));
                commands.add(EventLog.json(payload));
                kinds.add(start.commandKind());
            }
        }
        long[] runArray = runs.stream().mapToLong(Long::longValue).toArray();
        try (PreparedStatement shard = c.prepareStatement("INSERT INTO shards (run, site, placement, state, lease_term) "
                + "SELECT u.run, u.site, u.placement::jsonb, 'assigned', ? FROM unnest(?::bigint[], ?::text[], ?::text[]) "
                + "AS u(run, site, placement)");
             PreparedStatement command = c.prepareStatement("INSERT INTO agent_commands (site, term, run, kind, payload) "
                     + "SELECT u.site, ?, u.run, u.kind, u.payload::jsonb FROM unnest(?::text[], ?::bigint[], ?::text[], "
                     + "?::text[]) WITH ORDINALITY AS u(site, run, payload, kind, n) ORDER BY u.n")) {
            shard.setLong(1, term);
            shard.setArray(2, longs(runArray));
            shard.setArray(3, texts(sites.toArray(String[]::new)));
            shard.setArray(4, texts(placements.toArray(String[]::new)));
            shard.executeUpdate();
            command.setLong(1, term);
            command.setArray(2, texts(sites.toArray(String[]::new)));
            command.setArray(3, longs(runArray));
            command.setArray(4, texts(commands.toArray(String[]::new)));
            command.setArray(5, texts(kinds.toArray(String[]::new)));
            command.executeUpdate();
        }
        return started;
    }

    /** Moves each job from its first transition's state to its last's, version + transitions. Job → new version. */
    private Long2IntOpenHashMap transitions(List<PassStep> steps) throws SQLException {
        Map<Long, JobState[]> fromTo = new LinkedHashMap<>();
        Long2IntOpenHashMap counts = new Long2IntOpenHashMap();
        for (PassStep step : steps) {
            if (step instanceof PassStep.Transition t) {
                fromTo.computeIfAbsent(t.job(), j -> new JobState[] {t.from(), t.to()})[1] = t.to();
                counts.addTo(t.job(), 1);
            }
        }
        Long2IntOpenHashMap versions = new Long2IntOpenHashMap();
        if (fromTo.isEmpty()) {
            return versions;
        }
        long[] ids = fromTo.keySet().stream().mapToLong(Long::longValue).toArray();
        // a job whose last transition is to running takes its live run along (a run is inserted 'starting'; its end,
        // 'preempted' included, is endRuns'): in the same statement, so it costs no round trip of its own
        try (PreparedStatement update = c.prepareStatement("WITH u AS (SELECT * FROM unnest(?::bigint[], ?::text[], "
                + "?::text[], ?::int[]) AS u(id, from_state, to_state, k)), r AS (UPDATE runs SET state = 'running' FROM u "
                + "WHERE runs.job = u.id AND u.to_state = 'running' AND runs.ended IS NULL) "
                + "UPDATE jobs j SET state = u.to_state, version = j.version + u.k, updated = greatest(now(), j.created) "
                + "FROM u WHERE j.id = u.id AND j.state = u.from_state RETURNING j.id, j.version")) {
            update.setArray(1, longs(ids));
            update.setArray(2, texts(fromTo.values().stream().map(v -> v[0].label()).toArray(String[]::new)));
            update.setArray(3, texts(fromTo.values().stream().map(v -> v[1].label()).toArray(String[]::new)));
            update.setArray(4, c.createArrayOf("integer", fromTo.keySet().stream().map(counts::get).toArray(Integer[]::new)));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        for (Map.Entry<Long, JobState[]> e : fromTo.entrySet()) {
            if (!versions.containsKey(e.getKey().longValue())) {
                throw new IllegalStateException("job " + e.getKey() + " is not " + e.getValue()[0].label()
                        + " in the store: the kernel and the store disagree");
            }
        }
        // the version after each transition: the final one less the job's transitions still to come
        for (long job : ids) {
            versions.put(job, versions.get(job) - counts.get(job));
        }
        return versions;
    }

    /** One event per transition and run change, in step order, with the run live at that step (appended at the end). */
    private void events(List<PassStep> steps, Long2LongOpenHashMap liveRun, Long2LongOpenHashMap ended,
                        Long2LongOpenHashMap started, Long2IntOpenHashMap versions) {
        Long2LongOpenHashMap run = new Long2LongOpenHashMap(liveRun);
        for (PassStep step : steps) {
            if (step instanceof PassStep.Transition t) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("from", t.from().label());
                payload.put("to", t.to().label());
                payload.put("version", versions.addTo(t.job(), 1) + 1);
                payload.putAll(t.detail());
                add(t.tenant(), t.job(), run.get(t.job()), "job.state", EventLog.json(payload));
            } else if (step instanceof PassStep.StartRun s) {
                run.put(s.job(), started.get(s.job()));
                add(s.tenant(), s.job(), started.get(s.job()), "run.started",
                        EventLog.json(Map.of("sites", s.shards().stream().map(PassStep.Shard::site).toList())));
            } else if (step instanceof PassStep.EndRun e) {
                Map<String, Object> payload = new LinkedHashMap<>(Map.of("state", e.runState(), "reason", e.reason()));
                if (!e.shard().isEmpty()) {
                    payload.put("shard", new java.util.TreeMap<>(e.shard()));
                }
                add(e.tenant(), e.job(), ended.get(e.job()), "run.ended", EventLog.json(payload));
                run.put(e.job(), 0);
            } else if (step instanceof PassStep.Go g) {
                add(g.tenant(), g.job(), g.run(), "run.go", EventLog.json(Map.of("sites", g.sites())));
            } else if (step instanceof PassStep.RunEvent e) {
                add(e.tenant(), e.job(), run.get(e.job()), e.type(), EventLog.json(e.detail()));
            } else if (step instanceof PassStep.DomainChange d) {
                add(null, 0, 0, d.type(), EventLog.json(Map.of("domain", d.domain())));
            } else if (step instanceof PassStep.StopShards stop) {
                add(stop.tenant(), stop.job(), run.get(stop.job()), "run.shrunk", EventLog.json(Map.of("stopped", stop.sites(),
                        "kept", stop.kept(), "reason", stop.reason())));
            } else if (step instanceof PassStep.WanChange w) {
                add(null, 0, 0, w.type(), EventLog.json(Map.of("siteA", w.siteA(), "siteB", w.siteB(),
                        "reportedBy", w.reportedBy(), "reason", w.reason())));
            } else if (step instanceof PassStep.NodeChange n) {
                add(null, 0, 0, n.type(), EventLog.json(Map.of("site", n.site(), "node", n.node(), "domain", n.domain(),
                        "firstGpu", n.firstGpu(), "gpus", n.gpus(), "reason", n.reason())));
            }
        }
    }

    private static <T extends PassStep> List<T> ofType(List<PassStep> steps, Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private Array longs(long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("bigint", boxed);
    }

    private Array texts(String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }
}
