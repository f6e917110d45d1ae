package dev.superfactory.perf;

/**
 * The WAN bandwidth a cross-site strategy needs to keep a share of single-site throughput.
 *
 * @param strategy sync or DiLoCo with its H
 * @param sites sites the job is split over
 * @param latencySeconds one-way WAN latency assumed
 * @param fraction share of single-site tokens per second to keep (0.95)
 * @param bandwidthBytesPerSecond WAN capacity needed in each direction; +∞ if none suffices, NaN if
 *     the layout cannot be split over the sites (dp not a multiple of the site count)
 */
public record WanRequirement(
    CrossSiteStrategy strategy, int sites, double latencySeconds, double fraction, double bandwidthBytesPerSecond) {

  /**
   * What {@code strategy} needs for {@code best}'s layout split over {@code sites} sites with this
   * latency. The layout is kept; a dp that is not a multiple of {@code sites} gives NaN.
   */
  public static WanRequirement of(PerfModel model, ModelSpec spec, Estimate best, CrossSiteStrategy strategy,
      int sites, double latencySeconds, double fraction) {
    Hardware hw = best.hardware().withSites(sites, 1, latencySeconds);
    TrainingSetup setup = best.setup().withStrategy(strategy);
    if (best.parallelism().dp() % sites != 0) {
      return new WanRequirement(strategy, sites, latencySeconds, fraction, Double.NaN);
    }
    double bw = model.wanBandwidthFor(spec, setup, hw, best.parallelism(), fraction);
    return new WanRequirement(strategy, sites, latencySeconds, fraction, bw);
  }
}
