package dev.superfactory.scenario;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.econ.EconomicsSpec;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceSource;
import dev.superfactory.workload.WorkloadSpec;
import java.util.List;
import java.util.Objects;

/**
 * Everything a run needs, read once from a scenario file or a preset and validated. Immutable;
 * the {@code with...} methods return modified copies (command-line overrides).
 *
 * @param name scenario name (used in output folder names)
 * @param description one paragraph for people
 * @param source where it was read from ({@code preset fairwater} or a path)
 * @param seed root of every random stream
 * @param gpus the GPU catalog in force (built-ins plus the scenario's own)
 * @param fleet sites, blocks, domains, WAN
 * @param tenants labs sharing the fleet
 * @param horizonSeconds simulated time that is measured
 * @param warmupSeconds simulated time before the measured window, so it starts from a loaded
 *     fleet rather than an empty one (synthetic workloads only; 0 = none)
 * @param scheduler the scheduling policy
 * @param workload where jobs come from
 * @param sampleIntervalSeconds time-series interval; 0 = automatic (1 h, or coarser for long runs)
 * @param reliability failures, repairs, checkpoints (off when the scenario has no such section)
 * @param models the model catalog in force (built-ins plus the scenario's {@code models:})
 * @param economics capex, depreciation, power and opex assumptions
 */
public record Scenario(
    String name,
    String description,
    String source,
    long seed,
    GpuCatalog gpus,
    Fleet fleet,
    List<Tenant> tenants,
    long horizonSeconds,
    long warmupSeconds,
    SchedulerConfig scheduler,
    WorkloadSpec workload,
    long sampleIntervalSeconds,
    ReliabilitySpec reliability,
    ModelCatalog models,
    EconomicsSpec economics) {
  public static final long DEFAULT_HORIZON_SECONDS = 30L * 86400;

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(reliability, "reliability");
    tenants = List.copyOf(tenants);
    if (horizonSeconds <= 0 || warmupSeconds < 0) {
      throw new IllegalArgumentException("horizon must be > 0 and warmup >= 0, got " + horizonSeconds
          + " and " + warmupSeconds);
    }
  }

  public Scenario withHorizonSeconds(long seconds) {
    return new Scenario(name, description, source, seed, gpus, fleet, tenants, seconds, warmupSeconds, scheduler,
        workload, sampleIntervalSeconds, reliability, models, economics);
  }

  public Scenario withWarmupSeconds(long seconds) {
    return new Scenario(name, description, source, seed, gpus, fleet, tenants, horizonSeconds, seconds, scheduler,
        workload, sampleIntervalSeconds, reliability, models, economics);
  }

  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, source, newSeed, gpus, fleet, tenants, horizonSeconds, warmupSeconds,
        scheduler, workload, sampleIntervalSeconds, reliability, models, economics);
  }

  public Scenario withScheduler(SchedulerConfig config) {
    return new Scenario(name, description, source, seed, gpus, fleet, tenants, horizonSeconds, warmupSeconds,
        config, workload, sampleIntervalSeconds, reliability, models, economics);
  }

  public Scenario withWorkload(WorkloadSpec spec) {
    return new Scenario(name, description, source, seed, gpus, fleet, tenants, horizonSeconds, warmupSeconds,
        scheduler, spec, sampleIntervalSeconds, reliability, models, economics);
  }

  public Scenario withReliability(ReliabilitySpec spec) {
    return new Scenario(name, description, source, seed, gpus, fleet, tenants, horizonSeconds, warmupSeconds,
        scheduler, workload, sampleIntervalSeconds, spec, models, economics);
  }

  public Scenario withFleet(Fleet newFleet, List<Tenant> newTenants) {
    return new Scenario(name, description, source, seed, gpus, newFleet, newTenants, horizonSeconds, warmupSeconds,
        scheduler, workload, sampleIntervalSeconds, reliability, models, economics);
  }

  /**
   * Replays a trace instead of the generator, with this scenario's warm-up: the trace's jobs
   * submitted in it run but are not measured, as the generator's would be (so a trace written by
   * {@code workload generate} replays to the synthetic run's result).
   */
  public Scenario withTrace(TraceSource trace) {
    return withWorkload(workload.withTrace(trace));
  }

  /**
   * Warm-up in force, for a synthetic workload and a replayed trace alike: the jobs submitted in
   * it run but are not measured. A trace replayed on its own cluster has none unless asked for.
   */
  public long effectiveWarmupSeconds() {
    return warmupSeconds;
  }

  /** The time-series interval in force: as configured, else 1 h, coarser so a run has ≤ 10,000 samples. */
  public long effectiveSampleIntervalSeconds() {
    if (sampleIntervalSeconds > 0) {
      return sampleIntervalSeconds;
    }
    long hours = Math.max(1, (horizonSeconds + 10_000L * 3600 - 1) / (10_000L * 3600));
    return hours * 3600;
  }
}
