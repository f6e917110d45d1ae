package dev.superfactory.workload;

import dev.superfactory.random.RandomStreams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a heavy-tailed AI-fleet workload: per tenant a Poisson arrival process and a mix of
 * job classes, scaled so the demanded GPU-time is {@code offeredLoad} × fleet GPUs × horizon.
 *
 * <p>Scaling: a tenant with load share s_i and class weights w_ic submits on average
 * E_i = Σ_c w_ic · E[gpus_c] · E[duration_c] / Σ_c w_ic GPU-seconds per job, so its arrival rate
 * is λ_i = s_i · load · F / E_i per second for a fleet of F GPUs. With a fixed job count N the
 * rates are scaled to give N jobs in the horizon and every duration is scaled by the inverse
 * factor, so the offered load stays the same.
 *
 * <p>Draws come from streams named {@code workload/<tenant>/arrivals}, {@code .../class},
 * {@code .../gpus}, {@code .../duration}. Cost: O(jobs · log jobs) for the final sort by submit time.
 */
public final class SyntheticGenerator {
  private final WorkloadSpec spec;
  private final List<Tenant> tenants;
  private final int fleetGpus;
  private final int largestSiteGpus;
  private final DurationOracle oracle;

  /**
   * @param fleetGpus GPUs in the fleet: the load reference and the cap for jobs that span sites
   * @param largestSiteGpus cap for jobs that do not span sites
   */
  public SyntheticGenerator(WorkloadSpec spec, List<Tenant> tenants, int fleetGpus, int largestSiteGpus) {
    this(spec, tenants, fleetGpus, largestSiteGpus, null);
  }

  /** With an oracle for classes described as (model, tokens). */
  public SyntheticGenerator(WorkloadSpec spec, List<Tenant> tenants, int fleetGpus, int largestSiteGpus,
      DurationOracle oracle) {
    this.spec = spec;
    this.tenants = tenants;
    this.fleetGpus = fleetGpus;
    this.largestSiteGpus = largestSiteGpus;
    this.oracle = oracle;
    for (JobClass c : spec.classes()) {
      if (c.model() != null && oracle == null) {
        throw new IllegalArgumentException("class " + c.name() + " names a model but no performance model is given");
      }
    }
  }

  /** Mean GPU-seconds per job of a tenant's mix, with sizes capped as {@link #generate} caps them. */
  double meanGpuSecondsPerJob(TenantMix mix) {
    double weight = 0;
    double sum = 0;
    Tenant tenant = tenants.get(mix.tenant());
    for (int c = 0; c < spec.classes().size(); c++) {
      JobClass jc = spec.classes().get(c);
      double w = mix.weight(c);
      weight += w;
      sum += w * meanGpuSeconds(jc, cap(tenant, jc));
    }
    return sum / weight;
  }

  /** E[gpus × duration] of a class: for model classes E[tokens] · Σ p(g) · g ÷ throughput(g). */
  private double meanGpuSeconds(JobClass jc, int cap) {
    if (jc.model() == null) {
      return jc.gpus().meanCapped(cap, jc) * jc.duration().mean();
    }
    int[] values = jc.gpus().values();
    double[] p = jc.gpus().probabilities();
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      int g = capGpus(values[i], cap, jc);
      sum += p[i] * g * oracle.seconds(jc.model(), jc.tokens().mean(), g);
    }
    return sum;
  }

  private int cap(Tenant tenant, JobClass jc) {
    return Math.min(tenant.gpuLimit(), jc.spanSites() ? fleetGpus : largestSiteGpus);
  }

  /** A drawn size capped to the largest multiple of its scale-up group that fits {@code cap}. */
  static int capGpus(int gpus, int cap, JobClass jc) {
    if (gpus <= cap) {
      return gpus;
    }
    int group = jc.groupFor(gpus);
    return Math.max(group, cap / group * group);
  }

  /** Expected jobs per second for each mix, before any job-count scaling. */
  double[] rates() {
    double shares = spec.mixes().stream().mapToDouble(TenantMix::loadShare).sum();
    double[] rates = new double[spec.mixes().size()];
    for (int i = 0; i < rates.length; i++) {
      TenantMix mix = spec.mixes().get(i);
      rates[i] = mix.loadShare() / shares * spec.offeredLoad() * fleetGpus / meanGpuSecondsPerJob(mix);
    }
    return rates;
  }

  public Jobs generate(long horizonSeconds, RandomStreams random) {
    double[] rates = rates();
    double totalRate = Arrays.stream(rates).sum();
    double durationScale = 1;
    if (spec.jobCount() > 0) {
      double natural = totalRate * horizonSeconds;
      durationScale = natural / spec.jobCount();
      for (int i = 0; i < rates.length; i++) {
        rates[i] /= durationScale;
      }
    }
    int expected = (int) Math.min(Integer.MAX_VALUE - 16, Arrays.stream(rates).sum() * horizonSeconds * 1.05 + 64);
    JobsBuilder draft = new JobsBuilder(expected);
    for (int i = 0; i < rates.length; i++) {
      generateTenant(spec.mixes().get(i), rates[i], durationScale, horizonSeconds, random, draft);
    }
    return draft.build();
  }

  private void generateTenant(TenantMix mix, double rate, double durationScale, long horizon,
      RandomStreams random, JobsBuilder draft) {
    if (!(rate > 0)) {
      return;
    }
    Tenant tenant = tenants.get(mix.tenant());
    String prefix = "workload/" + tenant.name() + "/";
    SplittableRandom arrivals = random.stream(prefix + "arrivals");
    SplittableRandom classes = random.stream(prefix + "class");
    SplittableRandom sizes = random.stream(prefix + "gpus");
    SplittableRandom durations = random.stream(prefix + "duration");
    SplittableRandom tokenDraws = random.stream(prefix + "tokens");
    double[] cumulative = new double[spec.classes().size()];
    double total = 0;
    for (int c = 0; c < cumulative.length; c++) {
      total += mix.weight(c);
      cumulative[c] = total;
    }
    double t = 0;
    while (true) {
      t += -Math.log(1.0 - arrivals.nextDouble()) / rate;
      if (t >= horizon) {
        return;
      }
      double u = classes.nextDouble() * total;
      int c = 0;
      while (c < cumulative.length - 1 && u >= cumulative[c]) {
        c++;
      }
      JobClass jc = spec.classes().get(c);
      int gpus = capGpus(jc.gpus().sampleInt(sizes), cap(tenant, jc), jc);
      int group = jc.groupFor(gpus);
      if (jc.model() == null) {
        long duration = Math.max(1, Math.round(jc.duration().sample(durations) * durationScale));
        draft.add((long) t, mix.tenant(), gpus, group, jc.spanSites(), duration, duration, null);
      } else {
        double tokens = jc.tokens().sample(tokenDraws) * durationScale;
        long duration = Math.max(1, Math.round(oracle.seconds(jc.model(), tokens, gpus)));
        draft.add((long) t, mix.tenant(), gpus, group, jc.spanSites(), duration, duration, null);
        draft.setModel(jc.model(), tokens);
      }
    }
  }
}
