package dev.superfactory.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.server.api.ApiServer;
import dev.superfactory.server.api.Scheduling;
import dev.superfactory.server.api.ServerMetrics;
import dev.superfactory.server.live.AgentGateway;
import dev.superfactory.server.live.FailureRate;
import dev.superfactory.server.live.LiveForecasts;
import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.live.SimulatedAgent;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.workload.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The control plane assembled (issue 11): the live scheduler rebuilt from the store, the agent
 * gateway, one simulated agent per site (unless real agents will connect), and the REST API, in
 * that order, so the API takes no request before the kernel is rebuilt. {@link #close} stops them
 * in reverse. The store's tenants and contracts must exist before (see the CLI's {@code serve}).
 */
public final class ControlPlane implements AutoCloseable {

    /**
     * @param port API port on 127.0.0.1 (0: any free)
     * @param timeScale simulated agents run a job for its true run time divided by this
     * @param simulatedAgents whether to start one in-process simulated agent per site
     * @param prepareTimeout how long a run across sites may take to be ready everywhere (two-phase start)
     */
    public record Settings(int port, double timeScale, boolean simulatedAgents, Duration passInterval,
                           Duration agentPoll, Duration leaseTtl, boolean injectFailures, Duration prepareTimeout,
                           java.util.Set<String> externalAgents, LiveForecasts.Settings forecasts) {
        public Settings(int port, double timeScale, boolean simulatedAgents, Duration passInterval, Duration agentPoll,
                        Duration leaseTtl, boolean injectFailures, Duration prepareTimeout) {
            this(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, injectFailures, prepareTimeout,
                    java.util.Set.of(), LiveForecasts.Settings.defaults());
        }

        public Settings(int port, double timeScale, boolean simulatedAgents, Duration passInterval, Duration agentPoll,
                        Duration leaseTtl) {
            this(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, false);
        }

        public Settings(int port, double timeScale, boolean simulatedAgents, Duration passInterval, Duration agentPoll,
                        Duration leaseTtl, boolean injectFailures) {
            this(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, injectFailures,
                    LiveScheduler.Settings.DEFAULT.prepareTimeout());
        }

        public Settings {
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
            }
            externalAgents = java.util.Set.copyOf(externalAgents);
            java.util.Objects.requireNonNull(forecasts, "forecasts");
        }

        /** Whether the site gets an in-process simulated agent: simulated agents on, and the site not external. */
        public boolean simulates(String site) {
            return simulatedAgents && !externalAgents.contains(site);
        }

        /** The same, with no simulated agent for these sites: their agents run as their own processes. */
        public Settings withExternalAgents(java.util.Set<String> sites) {
            return new Settings(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, injectFailures,
                    prepareTimeout, sites, forecasts);
        }

        public static Settings defaults(int port, double timeScale) {
            return new Settings(port, timeScale, true, LiveScheduler.Settings.DEFAULT.passInterval(), Duration.ofMillis(50),
                    LiveScheduler.Settings.DEFAULT.leaseTtl(), false);
        }

        /** The same, with failures injected from the scenario's reliability model ({@code injectFailures}). */
        public Settings withFailures(boolean inject) {
            return new Settings(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, inject, prepareTimeout,
                    externalAgents, forecasts);
        }

        /** The same, with these start-time forecasts ({@link LiveForecasts.Settings#OFF}: none). */
        public Settings withForecasts(LiveForecasts.Settings f) {
            return new Settings(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, injectFailures,
                    prepareTimeout, externalAgents, f);
        }

        /** The same, with another two-phase start timeout. */
        public Settings withPrepareTimeout(Duration timeout) {
            return new Settings(port, timeScale, simulatedAgents, passInterval, agentPoll, leaseTtl, injectFailures, timeout,
                    externalAgents, forecasts);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveScheduler scheduler;
    private final LiveForecasts forecasts;
    private final List<SimulatedAgent> agents;
    private final ApiServer api;
    private final AgentGateway gateway;
    private final ServerMetrics ownedMetrics;

    private ControlPlane(LiveScheduler scheduler, LiveForecasts forecasts, List<SimulatedAgent> agents, ApiServer api,
                         AgentGateway gateway, ServerMetrics owned) {
        this.scheduler = scheduler;
        this.forecasts = forecasts;
        this.agents = agents;
        this.api = api;
        this.gateway = gateway;
        this.ownedMetrics = owned;
    }

    /** Starts everything; meters go to {@code metrics} (null: a registry of the API's own). */
    public static ControlPlane start(Database database, Scenario scenario, Clock clock, Settings settings,
                                     ServerMetrics metrics) {
        DataSource dataSource = database.dataSource();
        ServerMetrics meters = metrics != null ? metrics : ServerMetrics.create();
        SchedulerStore store = new SchedulerStore(database.schedulerDataSource());
        LiveScheduler scheduler = LiveScheduler.start(store, new TenantStore(database.schedulerDataSource()), scenario.fleet(),
                scenario.scheduler(), new Scheduler.Options(scenario.reliability().shrinkOnWanCut(),
                        scenario.scheduler().siteChoice()), clock, new LiveScheduler.Settings(settings.passInterval(), settings.leaseTtl(),
                        settings.prepareTimeout()),
                meters.registry());
        List<SimulatedAgent> agents = new ArrayList<>();
        boolean anySimulated = scenario.fleet().sites().stream().anyMatch(site -> settings.simulates(site.name()));
        LiveForecasts forecasts = new LiveForecasts(settings.forecasts(), forecastFailures(scenario, settings),
                anySimulated ? settings.timeScale() : 1); // ASSUMPTION: a mix of both runs at the simulated speed
        scheduler.forecastWith(forecasts);
        try {
            AgentGateway gateway = new AgentGateway(store, scheduler, clock);
            double rate = settings.injectFailures()
                    ? FailureRate.perGpuSecond(scenario.reliability(), scenario.fleet()) : 0;
            for (var site : scenario.fleet().sites()) {
                if (settings.simulates(site.name())) {
                    agents.add(SimulatedAgent.start(site.name(), gateway, settings.timeScale(), settings.agentPoll(), rate,
                            scenario.seed() * 31 + agents.size(), scenario.reliability().checkpoint()));
                }
            }
            ApiServer api = ApiServer.start(dataSource, clock, settings.port(), Scheduling.of(scheduler, forecasts), gateway,
                    meters);
            return new ControlPlane(scheduler, forecasts, List.copyOf(agents), api, gateway, metrics == null ? meters : null);
        } catch (RuntimeException e) {
            agents.forEach(SimulatedAgent::close);
            scheduler.close();
            forecasts.close();
            throw e;
        }
    }

    /**
     * The failures the forecasts draw: the scenario's reliability model where failures happen (real
     * agents, or simulated ones injecting them), none where simulated agents never fail, and none at a
     * time scale (the model's rates and repairs are in real seconds; the forecast does not rescale them).
     */
    private static dev.superfactory.reliability.ReliabilitySpec forecastFailures(Scenario scenario, Settings settings) {
        boolean failuresHappen = settings.injectFailures() || !settings.simulatedAgents()
                || !settings.externalAgents().isEmpty();
        boolean anySimulated = scenario.fleet().sites().stream().anyMatch(site -> settings.simulates(site.name()));
        if (anySimulated && settings.timeScale() != 1) { // ASSUMPTION: failure rates and repairs in real time only
            return dev.superfactory.reliability.ReliabilitySpec.off();
        }
        return failuresHappen ? scenario.reliability() : dev.superfactory.reliability.ReliabilitySpec.off();
    }

    /**
     * Writes every tenant of the scenario with its contract if the store has none; returns the
     * fact line either way. The contract as stored: the tenant's GPU limit and the scenario's
     * contract record (what the kernel reads back on every start).
     */
    public static String seedTenants(TenantStore tenants, Scenario scenario, Clock clock) {
        List<String> existing = tenants.names();
        if (!existing.isEmpty()) {
            return "tenants: kept " + existing.size() + " from the database " + existing
                    + "; the scenario's tenants are loaded on first start only";
        }
        List<String> loaded = new ArrayList<>();
        for (Tenant t : scenario.tenants()) {
            tenants.create(t.name(), t.displayName() == null ? t.name() : t.displayName());
            ObjectNode terms = JSON.createObjectNode();
            terms.put("gpuLimit", t.gpuLimit());
            terms.set("contract", JSON.valueToTree(t.contract()));
            tenants.addContract(t.name(), terms.toString(), clock.instant());
            loaded.add(t.name());
        }
        return "tenants: loaded " + loaded.size() + " with their contracts from scenario " + scenario.name() + " " + loaded;
    }

    public LiveScheduler scheduler() {
        return scheduler;
    }

    /** The start-time forecasts of the live queue. */
    public LiveForecasts forecasts() {
        return forecasts;
    }

    public ApiServer api() {
        return api;
    }

    /** The agent protocol's control-plane side (what an in-process agent talks to). */
    public AgentGateway gateway() {
        return gateway;
    }

    public List<SimulatedAgent> agents() {
        return agents;
    }

    @Override
    public void close() {
        agents.forEach(SimulatedAgent::close); // first: they would poll a database that is going away
        try {
            api.close();
        } finally {
            scheduler.close();
            forecasts.close();
            if (ownedMetrics != null) {
                ownedMetrics.close();
            }
        }
    }
}
