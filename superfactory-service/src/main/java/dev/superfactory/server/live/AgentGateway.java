package dev.superfactory.server.live;

import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.SchedulerStore.AgentCommand;
import dev.superfactory.server.store.SchedulerStore.Report;
import java.time.Clock;
import java.util.List;

/**
 * The control plane's side of the site-agent protocol (issue 11 item 5), shared by the HTTP routes
 * and the in-process simulated agent. An agent reads its site's commands after its cursor (moving
 * the cursor acknowledges them), each carrying the leader term (an agent ignores a command of an
 * older term than one it has seen: fencing), and reports shard states, retrying until one is
 * acknowledged; a report is stored once per (run, site, seq), then handed to the scheduler. A run
 * across sites starts in two phases: {@code prepare} per site, a {@code ready} report from each,
 * then {@code go} per site once all are ready. Each
 * call renews the site's lease: an agent silent past it loses its runs ({@link LiveScheduler}).
 * Cost: one store transaction per call.
 */
public final class AgentGateway {

    private final SchedulerStore store;
    private final LiveScheduler scheduler;
    private final Clock clock;

    public AgentGateway(SchedulerStore store, LiveScheduler scheduler, Clock clock) {
        this.store = store;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The scheduler the reports go to. */
    public LiveScheduler scheduler() {
        return scheduler;
    }

    /** The leader term of this control plane. */
    public long term() {
        return scheduler.term();
    }

    /** The site's commands after {@code after} (acknowledging those up to it), at most {@code limit}. */
    public List<AgentCommand> commands(String site, long after, int limit) {
        List<AgentCommand> commands = store.commands(site, after, limit, clock.instant());
        scheduler.agentHeard(site);
        return commands;
    }

    /** Stores the report and hands it to the scheduler; false if it was stored before (a retry). */
    public boolean report(Report report) {
        boolean fresh = store.report(report);
        scheduler.agentHeard(report.site());
        if (fresh) {
            scheduler.reported(report);
        }
        return fresh;
    }

    /** The shards the control plane believes run on {@code site} (with the last report's seq). */
    public List<Report> shardsOn(String site) {
        return store.shardsOn(site);
    }

    /** As {@link #shardsOn}, with each shard's job, tenant and placement (the HTTP reconciliation route). */
    public SchedulerStore.SiteShards liveShardsOn(String site) {
        return store.liveShardsOn(site);
    }

    /** The site's agent stopped a shard the control plane did not know: logged as an event. */
    public void orphanStopped(String site, String shard, String clusterId, String reason) {
        store.orphanStopped(site, shard, clusterId, reason);
    }

    /** The newest command id of {@code site}. */
    public long newestCommand(String site) {
        return store.newestCommand(site);
    }
}
