package dev.superfactory.agent;

import java.time.Duration;
import java.util.List;

/**
 * A site's cluster manager as its agent drives it (issue 12): Slurm through slurmrestd, or
 * Kubernetes through its API. The agent owns the protocol with the control
 * plane; a backend only starts, signals, stops and reads what runs on its cluster. Every call is a
 * network call that may fail with {@link BackendException}; the agent retries.
 *
 * <p>Shards are named {@link ShardLaunch#name()} on the cluster ({@code sf-<run>-<site>}), so
 * after a restart the agent finds what it started by listing {@link #shards()}: a backend keeps
 * no state the cluster does not.
 */
public interface SiteBackend extends AutoCloseable {

    /** The backend's name as the agent's log and README say it: {@code slurm}, {@code kubernetes}. */
    String kind();

    /** Every node of the cluster with its GPUs and health. One call to the cluster. */
    List<NodeStatus> nodes() throws BackendException;

    /**
     * Starts a shard on exactly {@code launch.nodes()}, each with its GPU count. With
     * {@code launch.waitForGo()} the shard takes its nodes and then waits until {@link #go}: that is
     * the {@code prepare} of a two-phase start, and the shard shows {@link ShardStatus.State#READY}
     * once it holds its nodes. Idempotent on the shard's name: a shard already on the cluster under
     * that name is not started twice; its id is returned.
     *
     * @return the cluster's id of the shard (Slurm job id, Kubernetes Job name)
     */
    String start(ShardLaunch launch) throws BackendException;

    /** Lets a prepared shard (started with {@code waitForGo}) begin its work. */
    void go(String id) throws BackendException;

    /**
     * Stops a shard: the notice first (Slurm: the notice signal; Kubernetes: deletion with a grace
     * period), then a kill once {@code grace} has passed. A shard already ended is left alone.
     */
    void stop(String id, Duration grace) throws BackendException;

    /**
     * The shards this agent's site runs or ran recently, as the cluster sees them now: the agent
     * polls it for state changes and reconciles with it after a start or reconnect.
     */
    List<ShardStatus> shards() throws BackendException;

    @Override
    void close();
}
