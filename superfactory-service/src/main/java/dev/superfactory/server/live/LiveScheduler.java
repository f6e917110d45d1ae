package dev.superfactory.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.QueuePolicy;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.server.store.FencedException;
import dev.superfactory.server.store.Job;
import dev.superfactory.server.store.JobState;
import dev.superfactory.server.store.PassStep;
import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.SchedulerStore.Report;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live scheduler (issue 11 items 1 and 8): the twin's {@link Scheduler} kernel on one thread,
 * fed by a command queue. HTTP handlers and agents only enqueue commands (after their own commit)
 * and read answers through queries; no other thread touches the kernel.
 *
 * <p>A pass: take every queued command (waiting at least {@code passInterval} after the previous
 * pass, so passes batch under load), apply them to the kernel at the wall clock's second, run one
 * scheduling pass, and commit, in one transaction, the pass's inputs with every decision and the
 * agent commands they cause ({@link SchedulerStore#commit}). Only then are cancels acknowledged,
 * and only then can an agent read the commands.
 *
 * <p>A run across sites starts in two phases (issue 11 item 5): its pass writes {@code prepare}
 * per site; the pass that applies the last shard's {@code ready} writes {@code go} per site; a run
 * not ready everywhere within {@link Settings#prepareTimeout} (the scheduler clock), or with a
 * shard failed before its go, is stopped everywhere and the kernel told it failed (a recorded
 * input, so replay sees it). Ready and go change no kernel state.
 *
 * <p>Start and recovery: the kernel is rebuilt by replaying every committed pass's inputs through
 * a fresh kernel (deterministic: same inputs, same state), then the jobs' committed states and
 * live runs are read back, and the jobs still submitted and the agent reports not yet applied are
 * queued first. If a commit fails, the kernel is rebuilt the same way and the batch is retried;
 * a batch whose commit succeeded after all (its pass is in the log) is not applied twice.
 *
 * <p>Costs: a pass is the kernel's pass (see {@link Scheduler}) plus O(inputs + decisions) to
 * encode, and one transaction; a rebuild is O(every committed input) (ASSUMPTION: fine up to
 * millions of jobs; a snapshot would bound it). A pending-job query costs O(pending) once per pass
 * (queue positions are computed on the first query after a pass), then O(1).
 */
public final class LiveScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveScheduler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Commands per pass at most: bounds a pass (and the event-log lock its commit holds) under a burst. */
    private static final int MAX_BATCH = 5_000;

    /**
     * How passes are paced (at most one per {@code passInterval}), how long a site's agent may be
     * silent before its runs are lost, and how long a run across sites may take to be ready on
     * every site (two-phase start) before it is stopped everywhere and its job handled as failed.
     * ASSUMPTION: 30 s of silence (hundreds of missed polls) means the agent or its link is gone;
     * 60 s is enough for an agent to reserve its nodes (the simulated one needs a poll).
     */
    public record Settings(Duration passInterval, Duration leaseTtl, Duration prepareTimeout) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(5), Duration.ofSeconds(30),
                Duration.ofSeconds(60));

        public Settings {
            if (prepareTimeout.isNegative() || prepareTimeout.isZero()) {
                throw new IllegalArgumentException("prepareTimeout must be positive, got " + prepareTimeout);
            }
        }

        /** The default prepare timeout. */
        public Settings(Duration passInterval, Duration leaseTtl) {
            this(passInterval, leaseTtl, DEFAULT.prepareTimeout());
        }
    }

    private final SchedulerStore store;
    private final TenantStore tenantStore;
    private final Fleet fleet;
    private final SchedulerConfig config;
    private final Scheduler.Options options;
    private final Clock clock;
    private final Settings settings;
    private final long term;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    // ---- owned by the scheduler thread ----
    private Scheduler kernel;
    /** The kernel's running jobs' progress (its listener too): copied, frozen, into each forecast's fork. */
    private LiveProgress progress;
    private PassRecorder recorder;
    private Long2ObjectOpenHashMap<LiveJob> jobs;
    private final Long2LongOpenHashMap runJob = new Long2LongOpenHashMap();
    private final it.unimi.dsi.fastutil.ints.IntOpenHashSet drained = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
    /** WAN cuts the sites' agents report: link × 64 + reporting site (scheduler thread). */
    private final it.unimi.dsi.fastutil.longs.LongOpenHashSet cutsReported = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
    /** Nodes the sites' agents report out, by their first GPU (scheduler thread). */
    private final Int2ObjectOpenHashMap<NodeOut> nodesOut = new Int2ObjectOpenHashMap<>();
    /** Sites whose agent fell silent past the lease (their GPUs are out of service). */
    private final it.unimi.dsi.fastutil.ints.IntOpenHashSet silent = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
    /** Two-phase runs waiting for every shard to be ready (job → run), whose timeout is not yet queued. */
    private final Long2LongOpenHashMap preparing = new Long2LongOpenHashMap();
    /** When each site's agent was last heard from (System.nanoTime), written by agent calls. */
    private final java.util.concurrent.atomic.AtomicLongArray heard;
    private long lastLeaseCheck;
    /** Held jobs (out of the kernel) and their tenants. */
    private final it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<Held> held = new it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<>();
    private Object2IntOpenHashMap<String> tenantIndex;
    /** The tenants and their contracts as the kernel has them (replaced whole on a rebuild; read by any thread). */
    private volatile List<Tenant> tenants = List.of();
    private volatile List<TenantStore.Terms> terms = List.of();
    private Positions positions;
    private volatile Rebuilt rebuilt;
    /** Start-time forecasts, forked between passes (null: none). */
    private volatile LiveForecasts forecasts;
    /** Two-phase runs of a job that may fail to be prepared in a row before the job fails. ASSUMPTION: 3, as Slurm's default requeue limit is small. */
    static final int PREPARE_ATTEMPTS = 3;
    private long lastT;
    private long passes;
    private long lastPassNumber;
    private SchedulerMeters meters;
    /** A pass whose commit failed while the store was unreachable, and its callers' answers; 0 if none. */
    private long uncertainPass;
    private List<Runnable> uncertainAcks = List.of();

    private LiveScheduler(SchedulerStore store, TenantStore tenantStore, Fleet fleet, SchedulerConfig config,
                          Scheduler.Options options, Clock clock, Settings settings, long term) {
        this.store = store;
        this.tenantStore = tenantStore;
        this.fleet = fleet;
        this.config = config;
        this.options = options;
        this.clock = clock;
        this.settings = settings;
        this.term = term;
        this.thread = new Thread(this::loop, "scheduler");
        this.heard = new java.util.concurrent.atomic.AtomicLongArray(fleet.siteCount());
        long now = System.nanoTime(); // every agent has a lease's time to show up after a start
        for (int s = 0; s < fleet.siteCount(); s++) {
            heard.set(s, now);
        }
    }

    /**
     * Takes a new leader term, rebuilds the kernel from the store, queues the jobs still submitted
     * and the reports not yet applied, and starts the scheduler thread.
     *
     * @throws dev.superfactory.server.store.ConflictException if the store was built on another fleet
     */
    public static LiveScheduler start(SchedulerStore store, TenantStore tenants, Fleet fleet, SchedulerConfig config,
                                      Scheduler.Options options, Clock clock, Settings settings,
                                      io.micrometer.core.instrument.MeterRegistry registry) {
        List<String> sites = fleet.sites().stream().map(dev.superfactory.fleet.Site::name).toList();
        long term = store.begin(fleetFingerprint(fleet), sites, clock.instant());
        LiveScheduler live = new LiveScheduler(store, tenants, fleet, config, options, clock, settings, term);
        live.rebuild();
        live.meters = new SchedulerMeters(registry, fleet, tenants.currentTerms().stream().map(TenantStore.Terms::tenant)
                .toList(), live.commands::size, live.heard::get);
        for (Job job : store.unscheduled()) {
            live.commands.add(new SubmitCommand(job));
        }
        for (Report report : store.unappliedReports()) {
            live.commands.add(new ReportCommand(report));
        }
        for (TenantStore.Terms newest : tenants.currentTerms()) { // a contract stored but not yet applied (a crash between)
            if (live.terms.stream().anyMatch(t -> t.tenant().equals(newest.tenant()) && t.version() < newest.version())) {
                live.commands.add(new ContractCommand(newest.tenant(), newest.version(), newest.termsJson(),
                        new CompletableFuture<>()));
            }
        }
        live.thread.start();
        return live;
    }

    /** What the fleet is, as the store records it: sites with their GPUs and domains (a restart must find the same). */
    static String fleetFingerprint(Fleet fleet) {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("gpus", fleet.totalGpus());
        node.put("domains", fleet.domainCount());
        ArrayNode sites = node.putArray("sites");
        for (int s = 0; s < fleet.siteCount(); s++) {
            sites.addObject().put("name", fleet.site(s).name()).put("gpus", fleet.siteGpus(s));
        }
        return node.toString();
    }

    public long term() {
        return term;
    }

    public Fleet fleet() {
        return fleet;
    }

    // ---- what other threads call ----

    /** The agent of {@code site} was heard from (a poll or a report). Never blocks. */
    public void agentHeard(String site) {
        int s = fleet.siteIndex(site);
        if (s >= 0) {
            heard.set(s, System.nanoTime());
        }
    }

    /** A job committed in state submitted: the kernel takes it in the next pass. Never blocks. */
    public void submitted(Job job) {
        commands.add(new SubmitCommand(job));
    }

    /** An agent's report, committed: the kernel takes it into account in the next pass. Never blocks. */
    public void reported(Report report) {
        commands.add(new ReportCommand(report));
    }

    /**
     * Cancels the job; completes after the pass that cancelled it has committed, with true, or with
     * false if the kernel does not hold it (finished, refused or cancelled already).
     */
    public CompletableFuture<Boolean> cancel(long job) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new CancelCommand(job, done));
        return done;
    }

    /**
     * Holds a queued job (it leaves the queue) or releases a held one ({@code job} as stored: it
     * queues again at the back); completes after the pass has committed, false if the job was not
     * in the state to hold or release.
     */
    public CompletableFuture<Boolean> hold(Job job, boolean hold) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new HoldCommand(job, hold, done));
        return done;
    }

    /**
     * Drains ({@code drain}) or restores a scale-up domain; completes after the pass has committed,
     * with false if there was nothing to do (already drained, or not drained).
     */
    public CompletableFuture<Boolean> drain(int domain, boolean drain) {
        if (domain < 0 || domain >= fleet.domainCount()) {
            throw new IllegalArgumentException("domain " + domain + " is not within 0.." + (fleet.domainCount() - 1));
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new DrainCommand(domain, drain, done));
        return done;
    }

    /**
     * Cordons ({@code cordon}) or uncordons a scale-up domain: cordoned, it takes no new job, its
     * jobs run to their end and its GPUs stay out of service as they are released. Completes after
     * the pass has committed, with false if there was nothing to do (already in that state).
     */
    public CompletableFuture<Boolean> cordon(int domain, boolean cordon) {
        if (domain < 0 || domain >= fleet.domainCount()) {
            throw new IllegalArgumentException("domain " + domain + " is not within 0.." + (fleet.domainCount() - 1));
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new CordonCommand(domain, cordon, done));
        return done;
    }

    /**
     * A node of a site's cluster that its agent reports out of service (drained or down there): its
     * GPUs [firstGpu, firstGpu + gpus) of the fleet model, in domain {@code domain}.
     */
    public record NodeOut(int site, String node, int domain, int firstGpu, int gpus, String reason) {
    }

    /** What a link report changed: links newly reported cut by the site, and links no longer reported cut. */
    public record LinkChanges(int cut, int restored) {
    }

    /**
     * The agent of {@code site} reports the WAN links it finds cut now ({@code cut}: link index →
     * the agent's reason; the whole set, so a report is idempotent). Each end's report is a cut of
     * its own: a link is up again once no end reports it cut. Gangs across a cut link stall or
     * shrink to one site, as the scenario says; completes after the pass committed. O(links).
     */
    public CompletableFuture<LinkChanges> linksCut(int site, Map<Integer, String> cut) {
        CompletableFuture<LinkChanges> done = new CompletableFuture<>();
        commands.add(new LinksCommand(site, new java.util.TreeMap<>(cut), done));
        return done;
    }

    /** What a node report changed: nodes newly out, and nodes back in service. */
    public record NodeChanges(int down, int up) {
    }

    /**
     * The agent of {@code site} reports the nodes out of service on its cluster now ({@code out}:
     * the whole set, so a report is idempotent and a node missing from it is back): each node newly
     * out takes its GPUs out of service (its jobs restart elsewhere or queue), each node back
     * returns them. {@code out} is validated by the caller (nodes of this site's domains, no
     * overlap). Completes after the pass committed. O(nodes out on the site) per report.
     */
    public CompletableFuture<NodeChanges> nodesOut(int site, List<NodeOut> out) {
        CompletableFuture<NodeChanges> done = new CompletableFuture<>();
        commands.add(new NodesCommand(site, List.copyOf(out), done));
        return done;
    }

    /** The fleet now: every site, block and domain with free, down, drained and cordoned GPUs. O(domains), on the scheduler thread. */
    public CompletableFuture<FleetView> fleetView() {
        return query(k -> FleetView.of(k, drained));
    }

    /**
     * Tenant {@code tenant} has contract {@code version} (stored already, {@code termsJson}) from now
     * on: its limit and priority apply from the next pass; its running jobs keep their GPUs. Completes
     * after the pass committed, false if the tenant is unknown or already has that version or a newer one.
     */
    public CompletableFuture<Boolean> changeContract(String tenant, int version, String termsJson) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new ContractCommand(tenant, version, termsJson, done));
        return done;
    }

    /** The tenant's contract as the kernel has it, if it has one. Any thread. */
    public java.util.Optional<Tenant> tenant(String name) {
        return tenants.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** One tenant as the scheduler sees it: its contract (version and terms) and the GPUs it holds now. */
    public record TenantView(String tenant, String displayName, int contractVersion, int gpuLimit, int reservedGpus,
                             int gpusHeld, String termsJson) {
    }

    /** Every tenant with a contract, in name order, with the GPUs it holds now. O(tenants), on the scheduler thread. */
    public CompletableFuture<List<TenantView>> tenantViews() {
        return query(k -> {
            List<TenantView> views = new ArrayList<>();
            for (int t = 0; t < terms.size(); t++) {
                TenantStore.Terms terms = this.terms.get(t);
                Tenant tenant = tenants.get(t);
                views.add(new TenantView(tenant.name(), terms.displayName(), terms.version(), tenant.gpuLimit(),
                        tenant.reservedGpus(), k.tenantGpus(t), terms.termsJson()));
            }
            return views;
        });
    }

    /** Why a pending job waits, and where it is in the queue; empty if the kernel does not hold it pending. */
    public CompletableFuture<java.util.Optional<PendingView>> pending(long job) {
        return query(k -> java.util.Optional.ofNullable(pendingView(job)));
    }

    /** Runs {@code question} on the scheduler thread between passes (it must not change the kernel). */
    public <T> CompletableFuture<T> query(Function<Scheduler, T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        commands.add(new QueryCommand<>(question, answer));
        return answer;
    }

    /**
     * Forecasts start times from now on: the scheduler thread forks its kernel for {@code f}
     * between passes, whenever {@code f} is due (see {@link LiveForecasts}).
     */
    public void forecastWith(LiveForecasts f) {
        this.forecasts = f;
    }

    /**
     * Two forks of the kernel taken now, on the scheduler thread: one as it is, one with
     * {@code change} applied as this scheduler would apply it (hypothetical jobs submitted with ids
     * from {@link WhatIf#FIRST_HYPOTHETICAL_ID}, contracts replaced, domains drained and sites
     * taken down unless they are already). Nothing live changes. Fails with an
     * IllegalArgumentException naming an unknown tenant, domain or site.
     */
    public CompletableFuture<WhatIf.Forks> whatIf(WhatIf.Change change) {
        return query(k -> whatIfForks(change));
    }

    private WhatIf.Forks whatIfForks(WhatIf.Change change) {
        long t = kernel.now();
        LiveProgress frozen = progress.copy();
        Scheduler base = kernel.fork((job, allocation, at) -> { });
        base.progress(frozen);
        Map<Long, String> rejected = new java.util.LinkedHashMap<>();
        Scheduler changed = kernel.fork(new dev.superfactory.sched.SchedulerListener() {
            @Override
            public void started(long job, dev.superfactory.fleet.Allocation allocation, long now) {
            }

            @Override
            public void rejected(long job, dev.superfactory.sched.PendingReason reason, long now) {
                rejected.put(job, reason.name());
            }
        });
        changed.progress(frozen);
        Long2ObjectOpenHashMap<WhatIf.Known> known = new Long2ObjectOpenHashMap<>(jobs.size() + change.jobs().size());
        jobs.values().forEach(j -> known.put(j.id, new WhatIf.Known(j.tenant, j.request.gpus())));
        for (WhatIf.ContractChange c : change.contracts()) {
            int index = tenantIndexOf(c.tenant());
            changed.changeContract(index, terms(c.tenant(), terms.get(index).displayName(), c.termsJson()), t);
        }
        for (int d : change.drainedDomains()) {
            if (d < 0 || d >= fleet.domainCount()) {
                throw new IllegalArgumentException("domain " + d + " is not in the fleet (0.." + (fleet.domainCount() - 1) + ")");
            }
            if (!drained.contains(d)) {
                new KernelInput.Drain(d).apply(changed, t);
            }
        }
        for (String site : change.downSites()) {
            int s = fleet.siteIndex(site);
            if (s < 0) {
                throw new IllegalArgumentException("site '" + site + "' is not in the fleet");
            }
            if (!silent.contains(s)) {
                new KernelInput.SiteDown(s).apply(changed, t);
            }
        }
        for (int i = 0; i < change.jobs().size(); i++) {
            WhatIf.HypotheticalJob h = change.jobs().get(i);
            long id = WhatIf.FIRST_HYPOTHETICAL_ID + i;
            changed.submit(id, new JobRequest(tenantIndexOf(h.tenant()), h.gpus(), h.scaleUpGroup(), h.spanSites(),
                    h.expectedSeconds()), t);
            known.put(id, new WhatIf.Known(h.tenant(), h.gpus()));
        }
        List<Long> requeued = new ArrayList<>();
        List<Long> restarted = new ArrayList<>();
        kernel.forEachRunning(job -> {
            if (changed.isPending(job)) {
                requeued.add(job);
            } else if (changed.allocation(job) != kernel.allocation(job)) { // allocations are immutable: a new one
                restarted.add(job);
            }
        });
        return new WhatIf.Forks(base, changed, Instant.ofEpochSecond(Math.max(lastT, clock.instant().getEpochSecond())),
                known, List.copyOf(requeued), List.copyOf(restarted), Map.copyOf(rejected));
    }

    private int tenantIndexOf(String tenant) {
        if (!tenantIndex.containsKey(tenant)) {
            throw new IllegalArgumentException("tenant '" + tenant + "' has no contract");
        }
        return tenantIndex.getInt(tenant);
    }

    /** Passes committed by this scheduler since it started. */
    public long passes() {
        return passes;
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the scheduler thread ----

    /** What became of a batch. */
    private enum Outcome {
        /** Committed (or nothing to commit). */
        DONE,
        /** The store cannot be reached: retry the same batch later; not the batch's fault. */
        OUTAGE,
        /** The commit failed with the store reachable: the batch may hold a command that cannot commit. */
        FAILED
    }

    private void loop() {
        Deque<Command> retry = new ArrayDeque<>();
        boolean oneByOne = false;
        int failures = 0;
        long lastPassEnd = System.nanoTime() - settings.passInterval().toNanos(); // nanoTime has no fixed origin
        while (!stopping) {
            List<Command> batch = new ArrayList<>();
            try {
                checkLeases();
                checkPrepareTimeouts();
                forecastIfDue();
                if (!retry.isEmpty()) {
                    if (oneByOne) {
                        batch.add(retry.poll());
                    } else {
                        batch.addAll(retry);
                        retry.clear();
                    }
                } else {
                    oneByOne = false;
                    Command first = commands.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    long wait = lastPassEnd + settings.passInterval().toNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    commands.drainTo(batch, MAX_BATCH - batch.size());
                }
                Outcome outcome = runBatch(batch);
                lastPassEnd = System.nanoTime();
                if (outcome == Outcome.DONE) {
                    failures = 0;
                    continue;
                }
                for (int i = batch.size() - 1; i >= 0; i--) {
                    retry.addFirst(batch.get(i));
                }
                if (outcome == Outcome.FAILED && ++failures >= 2) {
                    failures = 0;
                    if (batch.size() > 1) {
                        oneByOne = true; // find the command that cannot commit
                    } else {
                        quarantine(retry.poll(), "its pass failed to commit twice");
                    }
                }
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (FencedException e) {
                LOG.error("another control plane took over this database ({}); this scheduler stops", e.getMessage());
                stopping = true;
            } catch (RuntimeException e) {
                LOG.error("a scheduler pass failed before its commit; rebuilding the kernel from the store", e);
                rebuildAfterFailure();
                if (batch.size() > 1) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        retry.addFirst(batch.get(i));
                    }
                    oneByOne = true;
                } else if (batch.size() == 1) {
                    quarantine(batch.get(0), e.toString());
                }
            }
        }
        failPending(new IllegalStateException("the scheduler is stopping"));
    }

    /** Between passes: hands a fork of the kernel to the forecasts if one is due. O(state) when it forks, else O(1). */
    private void forecastIfDue() {
        LiveForecasts f = forecasts;
        if (f != null && kernel != null) {
            f.maybeFork(kernel, progress, Instant.ofEpochSecond(Math.max(lastT, clock.instant().getEpochSecond())));
        }
    }

    /**
     * Gives up a command that cannot be applied or committed (a bug or data the kernel refuses):
     * its caller gets an error; a submit stays {@code submitted} and a report unapplied, both
     * retried at the next start. Logged; the scheduler goes on with the other commands.
     */
    private void quarantine(Command c, String why) {
        LOG.error("scheduler command {} given up: {}", c, why);
        c.fail(new IllegalStateException("the scheduler could not apply this: " + why));
    }

    /**
     * At most once a second: a site whose agent has been silent past the lease goes out of
     * service (its runs are lost and their jobs restart elsewhere or queue); one heard from again
     * comes back. Each change is a command of its own, so it is recorded and replayed. O(sites).
     */
    private void checkLeases() {
        long now = System.nanoTime();
        if (now - lastLeaseCheck < 1_000_000_000L || kernel == null) {
            return;
        }
        lastLeaseCheck = now;
        long ttl = settings.leaseTtl().toNanos();
        for (int s = 0; s < fleet.siteCount(); s++) {
            boolean quiet = now - heard.get(s) > ttl;
            if (quiet != silent.contains(s)) {
                commands.add(new SiteCommand(s, quiet));
            }
        }
    }

    /**
     * Two-phase starts past their deadline (the scheduler clock) each queue a timeout command
     * (so it is applied, recorded and replayed like any input); runs that got their go or ended
     * leave the watch. O(runs preparing).
     */
    private void checkPrepareTimeouts() {
        if (preparing.isEmpty() || kernel == null) {
            return;
        }
        long now = clock.millis();
        var entries = preparing.long2LongEntrySet().fastIterator();
        while (entries.hasNext()) {
            var e = entries.next();
            LiveJob j = jobs.get(e.getLongKey());
            if (j == null || j.run != e.getLongValue() || j.goSent) {
                entries.remove();
            } else if (now >= j.prepareDeadlineMillis) {
                commands.add(new PrepareTimeoutCommand(j.id, j.run));
                entries.remove();
            }
        }
    }

    /** Applies a batch and commits it; if the commit fails, the kernel is rebuilt from the store. */
    private Outcome runBatch(List<Command> batch) {
        if (kernel == null) {
            if (!rebuildAfterFailure()) {
                return Outcome.OUTAGE;
            }
            if (uncertainPass != 0 && lastPassNumber == uncertainPass) { // that batch committed after all
                passes = uncertainPass;
                uncertainPass = 0;
                uncertainAcks.forEach(Runnable::run);
                answerQueries(batch);
                return Outcome.DONE;
            }
        }
        uncertainPass = 0;
        long started = System.nanoTime();
        long t = Math.max(lastT, clock.instant().getEpochSecond());
        ArrayNode inputs = JsonNodeFactory.instance.arrayNode();
        List<Report> applied = new ArrayList<>();
        List<Runnable> acks = new ArrayList<>();
        recorder.clear();
        for (Command command : batch) {
            if (command instanceof SubmitCommand submit) {
                submit(submit.job(), inputs, t);
            } else if (command instanceof CancelCommand cancel) {
                boolean done = cancel(cancel.job(), inputs, t);
                acks.add(() -> cancel.done().complete(done));
            } else if (command instanceof HoldCommand hold) {
                boolean done = hold.hold() ? hold(hold.job().id(), inputs, t) : release(hold.job(), inputs, t);
                acks.add(() -> hold.done().complete(done));
            } else if (command instanceof DrainCommand d) {
                boolean change = d.drain() ? drained.add(d.domain()) : drained.remove(d.domain());
                if (change) {
                    recorder.add(new PassStep.DomainChange(d.domain(), d.drain() ? "domain.drained" : "domain.restored"));
                    apply(d.drain() ? new KernelInput.Drain(d.domain()) : new KernelInput.Restore(d.domain()), inputs, t);
                }
                acks.add(() -> d.done().complete(change));
            } else if (command instanceof CordonCommand c) {
                boolean change = applyCordon(c, inputs, t);
                acks.add(() -> c.done().complete(change));
            } else if (command instanceof LinksCommand l) {
                LinkChanges changes = applyLinks(l, inputs, t);
                acks.add(() -> l.done().complete(changes));
            } else if (command instanceof NodesCommand n) {
                NodeChanges changes = applyNodes(n, inputs, t);
                acks.add(() -> n.done().complete(changes));
            } else if (command instanceof ContractCommand c) {
                boolean done = contract(c, inputs, t);
                acks.add(() -> c.done().complete(done));
            } else if (command instanceof SiteCommand site) {
                boolean stillQuiet = System.nanoTime() - heard.get(site.site()) > settings.leaseTtl().toNanos();
                if (site.silent() != stillQuiet) {
                    continue; // heard from (or silent) again since the check
                }
                if (site.silent() ? silent.add(site.site()) : silent.remove(site.site())) {
                    String name = fleet.site(site.site()).name();
                    if (site.silent()) {
                        LOG.warn("the agent of site {} has been silent for more than {} s: its runs are lost", name,
                                settings.leaseTtl().toSeconds());
                        recorder.lostBecause = "the agent of site " + name + " was silent past its lease";
                        apply(new KernelInput.SiteDown(site.site()), inputs, t);
                        recorder.lostBecause = null;
                    } else {
                        LOG.warn("the agent of site {} is back: its GPUs are in service again", name);
                        apply(new KernelInput.SiteUp(site.site()), inputs, t);
                    }
                }
            } else if (command instanceof ReportCommand report) {
                report(report.report(), inputs, t);
                applied.add(report.report());
            } else if (command instanceof PrepareTimeoutCommand timeout) {
                prepareTimedOut(timeout, inputs, t);
            }
        }
        if (!inputs.isEmpty()) {
            kernel.schedule(t);
        }
        long decideNanos = System.nanoTime() - started;
        List<PassStep> steps = recorder.steps();
        int startedRuns = 0;
        long commitNanos = 0;
        if (!inputs.isEmpty() || !steps.isEmpty() || !applied.isEmpty()) {
            long number = passes + 1;
            try {
                long committing = System.nanoTime();
                long[] runs = store.commit(t, number, inputs.toString(), steps, applied, term);
                commitNanos = System.nanoTime() - committing;
                assignRuns(runs, clock.millis());
                startedRuns = runs.length;
            } catch (FencedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("pass {} of term {} did not commit; rebuilding the kernel from the store", number, term, e);
                return recover(number, batch, acks);
            }
            passes = number;
            positions = null;
        }
        lastT = t;
        acks.forEach(Runnable::run);
        answerQueries(batch);
        if (meters != null) {
            meters.passDone(kernel, System.nanoTime() - started, decideNanos, commitNanos, startedRuns);
        }
        return Outcome.DONE;
    }

    /**
     * After a failed commit: rebuild; if the pass committed after all (its number is in the log),
     * its callers get the answers computed for it. If the store cannot be reached, the pass's
     * answers wait until a rebuild shows whether it committed.
     */
    private Outcome recover(long number, List<Command> batch, List<Runnable> acks) {
        uncertainPass = number;
        uncertainAcks = acks;
        if (!rebuildAfterFailure()) {
            return Outcome.OUTAGE;
        }
        uncertainPass = 0;
        if (lastPassNumber == number) {
            passes = number;
            acks.forEach(Runnable::run);
            answerQueries(batch);
            return Outcome.DONE;
        }
        return Outcome.FAILED;
    }

    private boolean rebuildAfterFailure() {
        try {
            rebuild();
            long now = System.nanoTime(); // agents could not reach the store either: a new lease for each
            for (int s = 0; s < fleet.siteCount(); s++) {
                heard.set(s, now);
            }
            return true;
        } catch (RuntimeException again) {
            LOG.error("cannot rebuild the kernel from the store; retrying", again);
            kernel = null;
            return false;
        }
    }

    private boolean contract(ContractCommand c, ArrayNode inputs, long t) {
        if (!tenantIndex.containsKey(c.tenant())) {
            return false;
        }
        int index = tenantIndex.getInt(c.tenant());
        TenantStore.Terms before = terms.get(index);
        if (before.version() >= c.version()) {
            return false;
        }
        Tenant updated = terms(c.tenant(), before.displayName(), c.termsJson());
        apply(new KernelInput.Contract(c.tenant(), index, c.version(), c.termsJson(), updated), inputs, t);
        List<Tenant> nowTenants = new ArrayList<>(tenants);
        nowTenants.set(index, updated);
        List<TenantStore.Terms> nowTerms = new ArrayList<>(terms);
        nowTerms.set(index, new TenantStore.Terms(c.tenant(), before.displayName(), c.version(), c.termsJson()));
        tenants = List.copyOf(nowTenants);
        terms = List.copyOf(nowTerms);
        return true;
    }

    /** Cancels a job the kernel holds, or a held one (only the store knows it); false if neither. */
    private boolean cancel(long job, ArrayNode inputs, long t) {
        if (jobs.containsKey(job)) {
            apply(new KernelInput.Cancel(job), inputs, t);
            return true;
        }
        Held h = held.remove(job);
        if (h == null) {
            return false;
        }
        recorder.add(new PassStep.Transition(job, h.tenant(), JobState.HELD, JobState.CANCELLED, Map.of()));
        return true;
    }

    private boolean hold(long job, ArrayNode inputs, long t) {
        LiveJob j = jobs.get(job);
        if (j == null || !kernel.isPending(job) || j.state != JobState.QUEUED) {
            return false;
        }
        j.holding = true;
        apply(new KernelInput.Hold(job), inputs, t);
        held.put(job, new Held(j.tenant, j.resumeSeconds));
        return true;
    }

    private boolean release(Job job, ArrayNode inputs, long t) {
        Held h = held.remove(job.id());
        if (h == null) {
            return false;
        }
        submit(job, JobState.HELD, inputs, t);
        LiveJob j = jobs.get(job.id());
        if (j != null) {
            j.resumeSeconds = h.resumeSeconds(); // its work survives the hold, as it survives a restart (rebuild)
        }
        return true;
    }

    private void submit(Job job, ArrayNode inputs, long t) {
        submit(job, JobState.SUBMITTED, inputs, t);
    }

    private void submit(Job job, JobState committed, ArrayNode inputs, long t) {
        if (jobs.containsKey(job.id())) {
            return; // queued twice (start-up and a handler racing): the kernel holds it already
        }
        JsonNode spec = parse(job.specJson());
        if (!tenantIndex.containsKey(job.tenant())) {
            recorder.add(new PassStep.Transition(job.id(), job.tenant(), JobState.SUBMITTED, JobState.FAILED,
                    Map.of("reason", "NO_CONTRACT", "message", "tenant " + job.tenant()
                            + " had no contract when the scheduler started; restart it after adding one")));
            return;
        }
        int tenant = tenantIndex.getInt(job.tenant());
        JobRequest request = new JobRequest(tenant, spec.get("gpus").asInt(), spec.get("scaleUpGroup").asInt(),
                spec.get("spanSites").asBoolean(), spec.get("expectedSeconds").asLong());
        KernelInput.Submit input = new KernelInput.Submit(job.id(), job.tenant(), tenant, request,
                spec.get("durationSeconds").asLong());
        jobs.put(job.id(), new LiveJob(job.id(), job.tenant(), request, input.durationSeconds(), committed));
        apply(input, inputs, t);
    }

    private void report(Report r, ArrayNode inputs, long t) {
        recorder.add(new PassStep.ShardState(r.run(), r.site(), r.state()));
        long jobId = runJob.getOrDefault(r.run(), 0L);
        LiveJob j = jobId == 0 ? null : jobs.get(jobId);
        if (j == null || j.run != r.run()) {
            if (!r.state().equals("running")) {
                runJob.remove(r.run());
            }
            return; // a report of a run that ended already (a stop confirmed, a late report)
        }
        if (!j.shards.containsKey(r.site())) {
            return; // a shard a WAN cut took out of the run (stopped, or a late report of it)
        }
        if (!PassStep.ShardState.forward(j.shards.getOrDefault(r.site(), "assigned"), r.state())) {
            return; // late or retried: a shard never moves back (a 'ready' after 'running', an end after an end)
        }
        j.shards.put(r.site(), r.state());
        switch (r.state()) {
            case "ready":
                PassStep.Go go = j.goIfReady();
                if (go != null) {
                    recorder.add(go);
                }
                break;
            case "running":
                if (j.state == JobState.ADMITTED && j.runningEverywhere()) {
                    recorder.add(new PassStep.Transition(j.id, j.tenant, JobState.ADMITTED, JobState.RUNNING, Map.of()));
                    j.state = JobState.RUNNING;
                }
                break;
            case "finished":
                if (j.allShards("finished")) {
                    runJob.remove(r.run());
                    apply(new KernelInput.Finish(j.id), inputs, t);
                }
                break;
            default: // failed, or stopped without being asked
                checkpointed(j, r.checkpointSeconds());
                runJob.remove(r.run());
                recorder.endedByShard = new PassRecorder.ShardEnd(j.id, shardEnd(r));
                if (j.twoPhase && !j.goSent) {
                    recorder.add(new PassStep.RunEvent(j.id, j.tenant, "run.prepare_failed", recorder.endedByShard.detail()));
                    notPrepared(j, "prepare_failed", inputs, t);
                } else {
                    apply(new KernelInput.Fail(j.id), inputs, t);
                }
                recorder.endedByShard = null;
        }
    }

    /** The report that ends a run, as its events name it: site, state, and the agent's reason if it gave one. */
    private static Map<String, String> shardEnd(Report r) {
        return r.reason().isEmpty() ? Map.of("site", r.site(), "state", r.state())
                : Map.of("site", r.site(), "state", r.state(), "reason", r.reason());
    }

    /**
     * A two-phase run that could not be prepared everywhere (a timeout, or a shard failed before
     * go): the kernel gets what it gets for a failed run, so every shard is stopped and the job
     * restarts (on the same GPUs if they are healthy) or requeues. The {@value #PREPARE_ATTEMPTS}th
     * such run in a row fails the job instead (a kernel cancel, recorded like any input), so a site
     * that can never get ready does not hold the other site's GPUs in a loop. The count starts
     * again after a go, and after a restart of the control plane.
     */
    private void notPrepared(LiveJob j, String why, ArrayNode inputs, long t) {
        if (++j.preparesFailed >= PREPARE_ATTEMPTS) {
            recorder.abandonedBecause = why + " on " + PREPARE_ATTEMPTS + " runs in a row";
            apply(new KernelInput.Cancel(j.id), inputs, t);
            recorder.abandonedBecause = null;
        } else {
            recorder.failedBecause = why;
            apply(new KernelInput.Fail(j.id), inputs, t);
            recorder.failedBecause = null;
        }
    }

    /** A failed shard's report says the job's work is durable up to {@code seconds}: its next run resumes there. */
    private void checkpointed(LiveJob j, long seconds) {
        if (seconds > j.resumeSeconds && seconds < j.durationSeconds) {
            j.resumeSeconds = seconds;
            recorder.add(new PassStep.Checkpoint(j.id, seconds));
        }
    }

    /**
     * A two-phase run not ready on every site by its deadline: a {@code run.prepare_timeout} event
     * names the sites not ready, then the kernel gets what it gets for a failed run (recorded with
     * the pass's inputs), so every shard is stopped and the job restarts or requeues as after a
     * failure. Nothing if the run got its go or ended since the timeout was queued.
     */
    private void prepareTimedOut(PrepareTimeoutCommand timeout, ArrayNode inputs, long t) {
        LiveJob j = jobs.get(timeout.job());
        if (j == null || j.run != timeout.run() || j.goSent) {
            return;
        }
        List<String> notReady = j.shards.entrySet().stream().filter(s -> !s.getValue().equals("ready"))
                .map(Map.Entry::getKey).toList();
        LOG.warn("job {} run {}: not ready on {} within {} s; stopping it everywhere", j.id, j.run, notReady,
                settings.prepareTimeout().toSeconds());
        recorder.add(new PassStep.RunEvent(j.id, j.tenant, "run.prepare_timeout",
                Map.of("sites", notReady, "timeoutSeconds", settings.prepareTimeout().toSeconds())));
        runJob.remove(j.run);
        notPrepared(j, "prepare_timeout", inputs, t);
    }

    /**
     * Makes the nodes out on the command's site equal to its report: nodes no longer reported come
     * back first (node_up), then nodes newly reported go out (node_down); a node whose GPUs changed
     * does both. Each change is a recorded kernel input and a fleet-wide event.
     */
    private NodeChanges applyNodes(NodesCommand n, ArrayNode inputs, long t) {
        Int2ObjectOpenHashMap<NodeOut> reported = new Int2ObjectOpenHashMap<>();
        n.out().forEach(node -> reported.put(node.firstGpu(), node));
        List<NodeOut> back = new ArrayList<>();
        for (NodeOut was : nodesOut.values()) {
            NodeOut now = reported.get(was.firstGpu());
            if (was.site() == n.site() && (now == null || now.gpus() != was.gpus())) {
                back.add(was);
            }
        }
        back.sort(java.util.Comparator.comparingInt(NodeOut::firstGpu)); // deterministic order in the log
        for (NodeOut node : back) {
            nodesOut.remove(node.firstGpu());
            recorder.add(nodeChange("node.up", node, ""));
            apply(new KernelInput.NodeUp(node.firstGpu(), node.gpus(), node.node()), inputs, t);
        }
        int down = 0;
        for (NodeOut node : n.out()) {
            if (!nodesOut.containsKey(node.firstGpu())) {
                nodesOut.put(node.firstGpu(), node);
                recorder.add(nodeChange("node.down", node, node.reason()));
                apply(new KernelInput.NodeDown(node.firstGpu(), node.gpus(), node.node()), inputs, t);
                down++;
            }
        }
        return new NodeChanges(down, back.size());
    }

    /** Makes the site's reported cuts equal to its report: restores first, then new cuts, in link order. */
    private LinkChanges applyLinks(LinksCommand l, ArrayNode inputs, long t) {
        String site = fleet.site(l.site()).name();
        int restored = 0;
        for (int link = 0; link < fleet.wanLinks().size(); link++) {
            if (!l.cut().containsKey(link) && cutsReported.remove(link * 64L + l.site())) {
                recorder.add(wanChange("wan.restored", link, site, ""));
                apply(new KernelInput.WanRestored(link, site), inputs, t);
                restored++;
            }
        }
        int cut = 0;
        for (Map.Entry<Integer, String> e : l.cut().entrySet()) {
            if (cutsReported.add(e.getKey() * 64L + l.site())) {
                recorder.add(wanChange("wan.cut", e.getKey(), site, e.getValue()));
                apply(new KernelInput.WanCut(e.getKey(), site), inputs, t);
                finishShrunkRuns(inputs, t);
                cut++;
            }
        }
        return new LinkChanges(cut, restored);
    }

    /** Runs a shrink left with finished shards only: the kernel is told they finished (a recorded input). */
    private void finishShrunkRuns(ArrayNode inputs, long t) {
        List<LiveJob> finished = List.copyOf(recorder.finishedByShrink());
        recorder.finishedByShrink().clear();
        for (LiveJob j : finished) {
            runJob.remove(j.run);
            apply(new KernelInput.Finish(j.id), inputs, t);
        }
    }

    private PassStep.WanChange wanChange(String type, int link, String site, String reason) {
        var l = fleet.wanLinks().get(link);
        return new PassStep.WanChange(type, l.siteA(), l.siteB(), site, reason);
    }

    private PassStep.NodeChange nodeChange(String type, NodeOut node, String reason) {
        return new PassStep.NodeChange(type, fleet.site(node.site()).name(), node.node(), node.domain(), node.firstGpu(),
                node.gpus(), reason);
    }

    /** Applies a cordon or uncordon that changes something, with its event; false if it would change nothing. */
    private boolean applyCordon(CordonCommand c, ArrayNode inputs, long t) {
        int cordoned = kernel.domainCordonedGpus(c.domain());
        if (c.cordon() ? cordoned == fleet.domainSize(c.domain()) : cordoned == 0) {
            return false;
        }
        recorder.add(new PassStep.DomainChange(c.domain(), c.cordon() ? "domain.cordoned" : "domain.uncordoned"));
        apply(c.cordon() ? new KernelInput.Cordon(c.domain()) : new KernelInput.Uncordon(c.domain()), inputs, t);
        return true;
    }

    private void apply(KernelInput input, ArrayNode inputs, long t) {
        input.apply(kernel, t);
        inputs.add(input.toJson());
    }

    /** After a commit: the new runs' ids; each two-phase one must be ready by {@code nowMillis} + the timeout. */
    private void assignRuns(long[] runs, long nowMillis) {
        List<LiveJob> started = recorder.started();
        for (int i = 0; i < runs.length; i++) {
            LiveJob j = started.get(i);
            j.run = runs[i];
            runJob.put(runs[i], j.id);
        }
        for (LiveJob j : started) {
            if (j.shards.isEmpty()) {
                runJob.remove(j.run);
                j.run = 0; // started, then stopped again in the same pass
            } else if (j.twoPhase && !j.goSent) {
                armPrepareTimeout(j, nowMillis);
            }
        }
    }

    private void armPrepareTimeout(LiveJob j, long nowMillis) {
        j.prepareDeadlineMillis = nowMillis + settings.prepareTimeout().toMillis();
        preparing.put(j.id, j.run);
    }

    private void answerQueries(List<Command> batch) {
        for (Command c : batch) {
            if (c instanceof QueryCommand<?> q) {
                q.answer(kernel);
            }
        }
    }

    private void failPending(RuntimeException why) {
        List<Command> left = new ArrayList<>();
        commands.drainTo(left);
        left.forEach(c -> c.fail(why));
    }

    /** A fresh kernel with every committed pass replayed, then the store's job states and live runs. */
    private void rebuild() {
        long began = System.nanoTime();
        long[] passesReplayed = {0};
        Replay replay = replay(store, tenantStore.firstTerms(), fleet, config, options, term,
                (pass, k) -> passesReplayed[0]++);
        Long2ObjectOpenHashMap<LiveJob> live = replay.jobs();
        Map<Long, JobState> states = store.liveJobStates();
        held.clear();
        store.heldJobs().forEach((job, tenant) -> held.put(job.longValue(), new Held(tenant, 0)));
        for (LiveJob j : live.values()) {
            JobState committed = states.get(j.id);
            if (committed == null) {
                throw new IllegalStateException("job " + j.id + " is live in the replayed kernel but finished in the store");
            }
            j.state = committed;
        }
        store.checkpoints().forEach((job, seconds) -> {
            LiveJob j = live.get(job.longValue());
            Held h = held.get(job.longValue());
            if (j != null) {
                j.resumeSeconds = seconds;
            } else if (h != null) {
                held.put(job.longValue(), new Held(h.tenant(), seconds));
            }
        });
        runJob.clear();
        preparing.clear();
        long now = clock.millis();
        for (SchedulerStore.LiveRun run : store.liveRuns()) {
            LiveJob j = live.get(run.job());
            if (j != null) {
                j.run = run.run();
                j.shards.clear();
                j.shards.putAll(run.shards());
                runJob.put(run.run(), j.id);
                j.twoPhase = run.twoPhase(); // a shrink may have left one shard of a run started in two phases
                j.goSent = run.go();
                if (j.twoPhase && !j.goSent) {
                    armPrepareTimeout(j, now); // re-armed from the rebuild: the agents reconcile now too
                }
            }
        }
        this.kernel = replay.kernel();
        this.progress = replay.progress();
        this.tenants = List.copyOf(replay.tenants());
        this.terms = List.copyOf(replay.terms());
        this.jobs = live;
        this.tenantIndex = replay.tenantIndex();
        this.recorder = replay.recorder(); // the kernel's listener: from now on its steps are committed
        this.lastT = Math.max(lastT, replay.lastT());
        this.lastPassNumber = replay.lastPassNumber();
        this.positions = null;
        this.drained.clear();
        this.drained.addAll(replay.drained());
        this.nodesOut.clear();
        this.nodesOut.putAll(replay.nodesOut());
        this.cutsReported.clear();
        this.cutsReported.addAll(replay.cutsReported());
        this.silent.clear();
        this.silent.addAll(replay.silent());
        this.rebuilt = new Rebuilt(passesReplayed[0], live.size(), (System.nanoTime() - began) / 1_000_000);
    }

    /** A held job (out of the kernel's queue): its tenant, and its checkpointed work for its run once released. */
    private record Held(String tenant, long resumeSeconds) {
    }

    /** What the last rebuild did: the committed passes it replayed, the jobs live after it, and its wall time. */
    public record Rebuilt(long passes, int liveJobs, long millis) {
    }

    /** The last rebuild (at start, or after a commit that failed). */
    public Rebuilt rebuilt() {
        return rebuilt;
    }

    /**
     * A kernel rebuilt from the event log: the jobs it holds, its listener, the tenants' kernel
     * indices, the last pass's time, and the number of the last pass if {@code term} committed it
     * (else 0).
     */
    record Replay(Scheduler kernel, PassRecorder recorder, Long2ObjectOpenHashMap<LiveJob> jobs,
                  Object2IntOpenHashMap<String> tenantIndex, List<Tenant> tenants, List<TenantStore.Terms> terms,
                  long lastT, long lastPassNumber,
                  it.unimi.dsi.fastutil.ints.IntSet drained, it.unimi.dsi.fastutil.ints.IntSet silent,
                  Int2ObjectOpenHashMap<NodeOut> nodesOut, it.unimi.dsi.fastutil.longs.LongSet cutsReported,
                  LiveProgress progress) {
    }

    /**
     * Replays every committed pass of {@code store} through a fresh kernel for the tenants
     * {@code terms}, calling {@code afterPass} after each (tests check the kernel's invariants
     * there). Cost: O(every committed input) plus one kernel pass per committed pass.
     */
    static Replay replay(SchedulerStore store, List<TenantStore.Terms> terms, Fleet fleet, SchedulerConfig config,
                         Scheduler.Options options, long term,
                         java.util.function.BiConsumer<SchedulerStore.PassRecord, Scheduler> afterPass) {
        List<Tenant> tenants = new ArrayList<>();
        Object2IntOpenHashMap<String> index = new Object2IntOpenHashMap<>();
        for (TenantStore.Terms t : terms) {
            index.put(t.tenant(), tenants.size());
            tenants.add(tenant(t));
        }
        List<TenantStore.Terms> termsNow = new ArrayList<>(terms);
        Long2ObjectOpenHashMap<LiveJob> live = new Long2ObjectOpenHashMap<>();
        PassRecorder replaying = new PassRecorder(fleet, live);
        QueuePolicy policy = config.newPolicy(null);
        LiveProgress progress = new LiveProgress();
        Scheduler fresh = new Scheduler(fleet, tenants, policy, options, replaying.andThen(progress));
        fresh.progress(progress);
        long[] last = {0, 0};
        it.unimi.dsi.fastutil.ints.IntOpenHashSet drainedNow = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
        it.unimi.dsi.fastutil.ints.IntOpenHashSet silentNow = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
        Int2ObjectOpenHashMap<NodeOut> nodesOutNow = new Int2ObjectOpenHashMap<>();
        it.unimi.dsi.fastutil.longs.LongOpenHashSet cutsNow = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
        store.forEachPass(pass -> {
            JsonNode record = parse(pass.inputsJson());
            long t = record.get("t").asLong();
            for (JsonNode in : record.get("in")) {
                KernelInput input = KernelInput.read(in, name -> {
                    if (!index.containsKey(name)) {
                        throw new IllegalStateException("the event log names tenant " + name + ", which has no contract");
                    }
                    return index.getInt(name);
                });
                if (input instanceof KernelInput.Submit s) {
                    live.put(s.job(), new LiveJob(s.job(), s.tenant(), s.request(), s.durationSeconds(), JobState.SUBMITTED));
                } else if (input instanceof KernelInput.Drain d) {
                    drainedNow.add(d.domain());
                } else if (input instanceof KernelInput.Restore r) {
                    drainedNow.remove(r.domain());
                } else if (input instanceof KernelInput.SiteDown d) {
                    silentNow.add(d.site());
                } else if (input instanceof KernelInput.SiteUp u) {
                    silentNow.remove(u.site());
                } else if (input instanceof KernelInput.NodeDown d) {
                    int domain = fleet.gpuDomain(d.firstGpu());
                    nodesOutNow.put(d.firstGpu(), new NodeOut(fleet.domainSite(domain), d.node(), domain, d.firstGpu(),
                            d.gpus(), ""));
                } else if (input instanceof KernelInput.NodeUp u) {
                    nodesOutNow.remove(u.firstGpu());
                } else if (input instanceof KernelInput.WanCut c) {
                    cutsNow.add(c.link() * 64L + fleet.siteIndex(c.site()));
                } else if (input instanceof KernelInput.WanRestored r) {
                    cutsNow.remove(r.link() * 64L + fleet.siteIndex(r.site()));
                } else if (input instanceof KernelInput.Contract c) {
                    tenants.set(c.index(), c.terms());
                    TenantStore.Terms before = termsNow.get(c.index());
                    termsNow.set(c.index(), new TenantStore.Terms(c.tenant(), before.displayName(), c.version(), c.termsJson()));
                }
                input.apply(fresh, t);
            }
            if (!record.get("in").isEmpty()) {
                fresh.schedule(t);
            }
            replaying.clear();
            last[0] = Math.max(last[0], t);
            last[1] = record.path("term").asLong() == term ? record.path("n").asLong() : 0;
            afterPass.accept(pass, fresh);
        });
        return new Replay(fresh, replaying, live, index, tenants, termsNow, last[0], last[1], drainedNow, silentNow,
                nodesOutNow, cutsNow, progress);
    }

    private static Tenant tenant(TenantStore.Terms t) {
        try {
            return terms(t.tenant(), t.displayName(), t.termsJson());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tenant " + t.tenant() + ": contract version " + t.version()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A tenant with the terms of a recorded contract input. */
    static Tenant tenant(String name, String termsJson) {
        return terms(name, name, termsJson);
    }

    /**
     * Contract terms as stored ({@code {"gpuLimit": n, "contract": {...}}}) read into a tenant.
     *
     * @throws IllegalArgumentException naming what is wrong (a missing or bad field)
     */
    public static Tenant terms(String name, String displayName, String termsJson) {
        JsonNode terms;
        try {
            terms = JSON.readTree(termsJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the terms are not JSON: " + e.getMessage(), e);
        }
        if (terms == null || !terms.isObject() || !terms.path("gpuLimit").canConvertToInt() || !terms.has("contract")) {
            throw new IllegalArgumentException("the terms are {\"gpuLimit\": N, \"contract\": {...}} as GET /v1/tenants shows them");
        }
        try {
            Contract contract = JSON.treeToValue(terms.get("contract"), Contract.class);
            return new Tenant(name, displayName, terms.get("gpuLimit").asInt(), contract);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("contract: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON cannot be read: " + json, e);
        }
    }

    // ---- pending jobs: why, and where in the queue ----

    private PendingView pendingView(long job) {
        dev.superfactory.sched.PendingReason reason = kernel.pendingReason(job);
        if (reason == null) {
            return null;
        }
        if (positions == null) {
            positions = Positions.of(kernel, jobs);
        }
        LiveJob j = jobs.get(job);
        return PendingView.of(kernel, fleet, j, reason, positions);
    }

    // ---- commands ----

    private sealed interface Command permits SubmitCommand, CancelCommand, HoldCommand, DrainCommand, CordonCommand,
            NodesCommand, LinksCommand, SiteCommand, ContractCommand, ReportCommand, PrepareTimeoutCommand, QueryCommand {
        /** The caller's answer, or null for a command nobody waits on (its effect is durable already). */
        default CompletableFuture<?> done() {
            return null;
        }

        /** Tells the waiting caller, if any, that the command failed. */
        default void fail(RuntimeException why) {
            if (done() != null) {
                done().completeExceptionally(why);
            }
        }
    }

    private record HoldCommand(Job job, boolean hold, CompletableFuture<Boolean> done) implements Command {
    }

    private record SiteCommand(int site, boolean silent) implements Command {
    }

    private record ContractCommand(String tenant, int version, String termsJson, CompletableFuture<Boolean> done)
            implements Command {
    }

    private record DrainCommand(int domain, boolean drain, CompletableFuture<Boolean> done) implements Command {
    }

    private record CordonCommand(int domain, boolean cordon, CompletableFuture<Boolean> done) implements Command {
    }

    private record NodesCommand(int site, List<NodeOut> out, CompletableFuture<NodeChanges> done) implements Command {
    }

    private record LinksCommand(int site, java.util.SortedMap<Integer, String> cut, CompletableFuture<LinkChanges> done)
            implements Command {
    }

    private record SubmitCommand(Job job) implements Command {
    }

    private record CancelCommand(long job, CompletableFuture<Boolean> done) implements Command {
    }

    private record ReportCommand(Report report) implements Command {
    }

    /** Run {@code run} of the job was not ready on every site by its deadline. */
    private record PrepareTimeoutCommand(long job, long run) implements Command {
    }

    private record QueryCommand<T>(Function<Scheduler, T> question, CompletableFuture<T> done) implements Command {
        void answer(Scheduler kernel) {
            try {
                done.complete(question.apply(kernel));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }
}
