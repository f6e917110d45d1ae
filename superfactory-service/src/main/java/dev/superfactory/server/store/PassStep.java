package dev.superfactory.server.store;

import java.util.List;
import java.util.Map;

/**
 * One change a scheduling pass commits, in order: the scheduler thread turns the kernel's decisions
 * into these, and {@link SchedulerStore#commit} writes them all in one transaction with the pass's
 * inputs. Runs are named by job: a job has at most one live run (one not ended).
 */
public sealed interface PassStep {

    /** The job moves {@code from} → {@code to} (checked against the row) with one {@code job.state} event. */
    record Transition(long job, String tenant, JobState from, JobState to, Map<String, ?> detail) implements PassStep {
        public Transition {
            if (!from.canBecome(to)) {
                throw new IllegalArgumentException("job " + job + ": " + from.label() + " → " + to.label()
                        + " is not a legal transition");
            }
        }
    }

    /**
     * A new run of the job (attempt = previous + 1) with one shard per site, each shard's
     * placement, and one command per site in the outbox: {@code start} for a run on one site;
     * {@code prepare} for a run on two or more (two-phase start: {@link Go} follows when every
     * shard is ready).
     */
    record StartRun(long job, String tenant, List<Shard> shards, Map<String, ?> command) implements PassStep {
        public StartRun {
            if (shards.isEmpty()) {
                throw new IllegalArgumentException("job " + job + ": a run needs at least one shard");
            }
            shards = List.copyOf(shards);
        }

        /** Whether the run starts in two phases (prepare, then go): it has shards on two or more sites. */
        public boolean twoPhase() {
            return shards.size() > 1;
        }

        /** The kind of the command each site gets. */
        public String commandKind() {
            return twoPhase() ? "prepare" : "start";
        }
    }

    /**
     * Every shard of the job's two-phase run {@code run} is ready: one {@code go} command per site
     * (payload: job, tenant, sites), the run's go time recorded (so it is never written twice),
     * and a {@code run.go} event.
     */
    record Go(long job, String tenant, long run, List<String> sites) implements PassStep {
        public Go {
            sites = List.copyOf(sites);
        }
    }

    /** The job's work at its last checkpoint is {@code seconds} of its true run time (its next run resumes there). */
    record Checkpoint(long job, long seconds) implements PassStep {
    }

    /** An event about the job's live run that changes no row ({@code type}: e.g. {@code run.prepare_timeout}). */
    record RunEvent(long job, String tenant, String type, Map<String, ?> detail) implements PassStep {
    }

    /** A shard of a new run: its site and placement (a JSON object as text). */
    record Shard(String site, String placementJson) {
    }

    /**
     * The job's live run ends in {@code runState}; if {@code stop}, each of its shards not yet ended
     * gets a {@code stop} command (with {@code reason}) and waits in state stopping for the agent.
     * {@code shard}: the agent's report that ended it ({@code site}, {@code state}, and {@code reason}
     * if it gave one), for the {@code run.ended} event; empty if no report did.
     */
    record EndRun(long job, String tenant, String runState, boolean stop, String reason, Map<String, String> shard)
            implements PassStep {
        public EndRun {
            shard = Map.copyOf(shard);
        }

        /** A run ended by the scheduler, not by a shard's report. */
        public EndRun(long job, String tenant, String runState, boolean stop, String reason) {
            this(job, tenant, runState, stop, reason, Map.of());
        }
    }

    /**
     * An operator changed scale-up domain {@code domain} ({@code type}: {@code domain.cordoned},
     * {@code domain.uncordoned}, {@code domain.drained}, {@code domain.restored}): one fleet-wide event.
     */
    record DomainChange(int domain, String type) implements PassStep {
    }

    /**
     * The job's live run goes on without its shards on {@code sites} (a WAN cut shrank it to one
     * site): each gets a {@code stop} command (with {@code reason}) and waits in state stopping; a
     * {@code run.shrunk} event names the sites stopped and kept.
     */
    record StopShards(long job, String tenant, List<String> sites, List<String> kept, String reason)
            implements PassStep {
    }

    /**
     * A site's agent reported a WAN link cut ({@code wan.cut}) or whole again ({@code wan.restored}):
     * one fleet-wide event naming the link's sites, the reporting site and its reason.
     */
    record WanChange(String type, String siteA, String siteB, String reportedBy, String reason) implements PassStep {
    }

    /**
     * A site's agent reported a node out ({@code node.down}) or back ({@code node.up}): one
     * fleet-wide event naming the site, node, domain, its GPUs and the cluster's reason.
     */
    record NodeChange(String type, String site, String node, int domain, int firstGpu, int gpus, String reason)
            implements PassStep {
    }

    /**
     * A shard's state changes on an agent's report (no event: the report is its own record). A
     * shard's states only move forward: assigned, ready, running, stopping, then an end (finished,
     * failed, stopped, lost); a report that would move it back or from one end to another (a late
     * or retried one) changes nothing, here and in the store.
     */
    record ShardState(long run, String site, String state) implements PassStep {
        /** The shard states before an end, in their order; any other state is an end. */
        static final java.util.List<String> ORDER = java.util.List.of("assigned", "ready", "running", "stopping");

        /** A state's place in {@link #ORDER} (an end after all of them). */
        public static int rank(String state) {
            int i = ORDER.indexOf(state);
            return i >= 0 ? i : ORDER.size();
        }

        /** Whether a shard in state {@code from} moves to {@code to} on a report: only forward. */
        public static boolean forward(String from, String to) {
            return rank(to) > rank(from);
        }

        /** {@link #rank} as SQL over the column or expression {@code state}. */
        static String rankSql(String state) {
            StringBuilder sql = new StringBuilder("CASE ").append(state);
            for (int i = 0; i < ORDER.size(); i++) {
                sql.append(" WHEN '").append(ORDER.get(i)).append("' THEN ").append(i);
            }
            return sql.append(" ELSE ").append(ORDER.size()).append(" END").toString();
        }
    }
}
