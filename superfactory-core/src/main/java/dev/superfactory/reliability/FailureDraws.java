package dev.superfactory.reliability;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.random.RandomStreams;
import java.util.SplittableRandom;

/**
 * Draws failure events: for each cause the time to its next event (exponential with the
 * cause's fleet-wide rate) and the component it hits (uniform over the cause's scope), from
 * streams named {@code failures/<cause>/time} and {@code failures/<cause>/which}, and repair
 * times from {@code failures/<cause>/repair}. O(1) per draw.
 */
public final class FailureDraws {
  /** A hit component: a GPU range, or a site or WAN link index. */
  public record Hit(int firstGpu, int gpus, int site, int link) {}

  private final Fleet fleet;
  private final ReliabilitySpec spec;
  private final double[] ratePerSecond;
  private final SplittableRandom[] time;
  private final SplittableRandom[] which;
  private final SplittableRandom[] repair;

  public FailureDraws(Fleet fleet, ReliabilitySpec spec, RandomStreams random) {
    this.fleet = fleet;
    this.spec = spec;
    int n = spec.causes().size();
    ratePerSecond = new double[n];
    time = new SplittableRandom[n];
    which = new SplittableRandom[n];
    repair = new SplittableRandom[n];
    for (int c = 0; c < n; c++) {
      FailureCause cause = spec.causes().get(c);
      ratePerSecond[c] = cause.eventsPerSecond(fleet.totalGpus(), components(cause.scope()));
      time[c] = random.stream("failures/" + cause.name() + "/time");
      which[c] = random.stream("failures/" + cause.name() + "/which");
      repair[c] = random.stream("failures/" + cause.name() + "/repair");
    }
  }

  /** Components of a scope in this fleet. */
  public long components(Scope scope) {
    switch (scope) {
      case GPU:
      case JOB:
        return fleet.totalGpus();
      case HOST:
        return (fleet.totalGpus() + spec.gpusPerHost() - 1) / spec.gpusPerHost();
      case DOMAIN:
        return fleet.domainCount();
      case BLOCK:
        return fleet.blockCount();
      case SITE:
        return fleet.siteCount();
      default:
        return fleet.wanLinks().size();
    }
  }

  public double ratePerSecond(int cause) {
    return ratePerSecond[cause];
  }

  /** Seconds until the cause's next event; infinite if its rate is zero. */
  public double nextGap(int cause) {
    double r = ratePerSecond[cause];
    return r > 0 ? -Math.log(1.0 - time[cause].nextDouble()) / r : Double.POSITIVE_INFINITY;
  }

  /** The component the cause's event hits. */
  public Hit pick(int cause) {
    SplittableRandom rnd = which[cause];
    switch (spec.causes().get(cause).scope()) {
      case GPU:
      case JOB: {
        int g = rnd.nextInt(fleet.totalGpus());
        return new Hit(g, 1, fleet.domainSite(fleet.gpuDomain(g)), -1);
      }
      case HOST: {
        int g = rnd.nextInt(fleet.totalGpus());
        int d = fleet.gpuDomain(g);
        int first = fleet.domainFirstGpu(d);
        int size = fleet.domainSize(d);
        int per = Math.min(spec.gpusPerHost(), size);
        int hostStart = first + (g - first) / per * per;
        return new Hit(hostStart, Math.min(per, first + size - hostStart), fleet.domainSite(d), -1);
      }
      case DOMAIN: {
        int d = rnd.nextInt(fleet.domainCount());
        return new Hit(fleet.domainFirstGpu(d), fleet.domainSize(d), fleet.domainSite(d), -1);
      }
      case BLOCK: {
        int b = rnd.nextInt(fleet.blockCount());
        return blockHit(b);
      }
      case SITE: {
        int s = rnd.nextInt(fleet.siteCount());
        return siteHit(s);
      }
      default:
        return new Hit(-1, 0, -1, rnd.nextInt(fleet.wanLinks().size()));
    }
  }

  public Hit blockHit(int b) {
    int first = fleet.domainFirstGpu(fleet.blockFirstDomain(b));
    int lastDomain = fleet.blockFirstDomain(b) + fleet.blockDomainCount(b) - 1;
    int end = fleet.domainFirstGpu(lastDomain) + fleet.domainSize(lastDomain);
    return new Hit(first, end - first, fleet.blockSite(b), -1);
  }

  public Hit siteHit(int s) {
    int first = fleet.groupFirstGpu(fleet.siteFirstGroup(s));
    return new Hit(first, fleet.siteGpus(s), s, -1);
  }

  /** Seconds to repair an event of this cause. */
  public long repairSeconds(int cause) {
    return Math.max(1, Math.round(spec.causes().get(cause).repair().sample(repair[cause])));
  }
}
