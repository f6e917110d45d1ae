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
     */
    record EndRun(long job, String tenant, String runState, boolean stop, String reason) implements PassStep {
    }

    /**
     * An operator changed scale-up domain {@code domain} ({@code type}: {@code domain.cordoned},
     * {@code domain.uncordoned}, {@code domain.drained}, {@code domain.restored}): one fleet-wide event.
     */
    record DomainChange(int domain, String type) implements PassStep {
    }

    /** A shard's state changes on an agent's report (no event: the report is its own record). */
    record ShardState(long run, String site, String state) implements PassStep {
    }
}
