package dev.superfactory.reliability;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;

/**
 * How often a job on a given placement checkpoints and what a restart costs, from the failure
 * model: the job's interruption rate is the per-GPU causes times its GPUs plus, for each
 * component cause, its rate times the components the job touches (hosts, domains, blocks, sites,
 * the WAN links if it spans sites). The interval is Daly's optimum for that rate (Daly, "A higher
 * order estimate of the optimum checkpoint interval for restart dumps", FGCS 2006; see
 * {@link CheckpointMath}) or the policy's fixed interval. Usable live: it needs only the fleet,
 * the reliability spec and the allocation. O(1) per call (O(domains) for the block count).
 */
public final class CheckpointPlanner {
  /** A checkpoint plan: useful seconds between checkpoints (infinite when nothing can fail) and seconds per write. */
  public record Plan(double intervalSeconds, double writeSeconds) {}

  private final Fleet fleet;
  private final ReliabilitySpec spec;
  private final CheckpointPolicy checkpoint;
  private final double perGpuSecond; // interruption rate of one GPU from per-GPU-day causes
  private final double[] componentRate; // per second, per component, by scope, for mtbf causes

  public CheckpointPlanner(Fleet fleet, ReliabilitySpec spec) {
    this.fleet = fleet;
    this.spec = spec;
    this.checkpoint = spec.checkpoint();
    double perGpu = 0;
    componentRate = new double[Scope.values().length];
    for (FailureCause c : spec.causes()) {
      if (c.perGpuDay() > 0) {
        perGpu += c.perGpuDay() / 86400.0;
      } else {
        componentRate[c.scope().ordinal()] += 1.0 / (c.mtbfHours() * 3600.0);
      }
    }
    this.perGpuSecond = perGpu;
  }

  /** The plan for a job on {@code a} whose checkpoint takes {@code bytes}. */
  public Plan plan(Allocation a, double bytes) {
    double write = checkpoint.writeSeconds(bytes, a.gpus());
    if (!spec.active()) {
      return new Plan(Double.POSITIVE_INFINITY, write);
    }
    double interval = checkpoint.youngDaly()
        ? CheckpointMath.dalyInterval(write, mtbfSeconds(a))
        : checkpoint.fixedIntervalSeconds();
    return new Plan(interval, write);
  }

  /** Mean time between interruptions of a job on {@code a}: per-GPU causes plus its share of components. */
  public double mtbfSeconds(Allocation a) {
    double rate = perGpuSecond * a.gpus();
    rate += componentRate[Scope.GPU.ordinal()] * a.gpus();
    rate += componentRate[Scope.HOST.ordinal()] * Math.ceil((double) a.gpus() / spec.gpusPerHost());
    rate += componentRate[Scope.DOMAIN.ordinal()] * a.domainCount();
    if (componentRate[Scope.BLOCK.ordinal()] > 0) {
      rate += componentRate[Scope.BLOCK.ordinal()] * a.blockCount(fleet);
    }
    rate += componentRate[Scope.SITE.ordinal()] * a.siteCount();
    if (a.siteCount() > 1) {
      rate += componentRate[Scope.WAN.ordinal()] * fleet.wanLinks().size();
    }
    return rate > 0 ? 1 / rate : Double.POSITIVE_INFINITY;
  }

  /** Seconds before a restarted job computes again: init plus loading its checkpoint of {@code bytes}. */
  public double restartSeconds(Allocation a, double bytes) {
    double load = checkpoint.writeSeconds(bytes, a.gpus());
    return spec.restart().initSeconds() + Math.max(spec.restart().loadSecondsFloor(), load);
  }
}
