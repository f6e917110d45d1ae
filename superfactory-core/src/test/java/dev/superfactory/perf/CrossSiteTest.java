package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.GpuCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Llama 3 70B on 1,024 H100, split over two sites 1,130 km apart (5.65 ms one way). */
class CrossSiteTest {
  private static final PerfModel MODEL = new PerfModel();
  private static final ModelSpec M = ModelCatalog.get("llama3-70b");
  private static TrainingSetup SYNC;
  private static final Hardware ONE_SITE = Hardware.defaults(GpuCatalog.builtIn().get("h100"));
  private static final double LATENCY = 1130 * 5e-6;
  private static Estimate single;

  @BeforeAll
  static void findTheSingleSiteLayout() {
    single = MODEL.search(M, TrainingSetup.defaults(M), ONE_SITE, 1024, 1).get(0);
    SYNC = single.setup(); // with the recomputation the search chose
    assertThat(single.parallelism().dp() % 2).isZero();
  }

  private static double tokensPerSecond(TrainingSetup s, double wanBytesPerSecond) {
    Hardware two = ONE_SITE.withSites(2, wanBytesPerSecond, LATENCY);
    return MODEL.estimate(M, s, two, single.parallelism()).tokensPerSecond();
  }

  @Test
  void syncOverASlowWanIsSlowerThanOneSite() {
    double slow = tokensPerSecond(SYNC, 100e9 / 8);
    assertThat(slow).isLessThan(0.5 * single.tokensPerSecond());
  }

  @Test
  void syncGetsFasterAsTheWanGetsFaster() {
    double previous = 0;
    for (double tbps : new double[] {0.1, 0.4, 1, 4, 10}) {
      double now = tokensPerSecond(SYNC, tbps * 1e12 / 8);
      assertThat(now).as("%s Tb/s", tbps).isGreaterThan(previous);
      previous = now;
    }
    assertThat(previous).isLessThanOrEqualTo(single.tokensPerSecond());
  }

  @Test
  void theBandwidthReportedForNinetyFivePercentGivesNinetyFivePercent() {
    Hardware two = ONE_SITE.withSites(2, 1, LATENCY);
    double needed = MODEL.wanBandwidthFor(M, SYNC, two, single.parallelism(), 0.95);
    assertThat(tokensPerSecond(SYNC, needed)).isGreaterThanOrEqualTo(0.95 * single.tokensPerSecond());
    assertThat(tokensPerSecond(SYNC, needed * 0.99)).isLessThan(0.95 * single.tokensPerSecond());
  }

  @Test
  void dilocoWithLargerHNeedsLessWan() {
    Hardware two = ONE_SITE.withSites(2, 1, LATENCY);
    double sync = MODEL.wanBandwidthFor(M, SYNC, two, single.parallelism(), 0.95);
    double h10 = MODEL.wanBandwidthFor(M, SYNC.withStrategy(CrossSiteStrategy.diloco(10)), two, single.parallelism(),
        0.95);
    double h100 = MODEL.wanBandwidthFor(M, SYNC.withStrategy(CrossSiteStrategy.diloco(100)), two,
        single.parallelism(), 0.95);
    double h1000 = MODEL.wanBandwidthFor(M, SYNC.withStrategy(CrossSiteStrategy.diloco(1000)), two,
        single.parallelism(), 0.95);
    assertThat(h10).isLessThan(sync);
    assertThat(h100).isLessThan(h10 / 5);
    assertThat(h1000).isLessThan(h100 / 5);
  }

  @Test
  void dilocoSpendsOneModelOfWanTrafficEveryHSteps() {
    TrainingSetup diloco = SYNC.withStrategy(CrossSiteStrategy.diloco(100));
    double wanBytesPerSecond = 1e12 / 8;
    Estimate e = MODEL.estimate(M, diloco, ONE_SITE.withSites(2, wanBytesPerSecond, LATENCY), single.parallelism());
    // BF16 parameter deltas, 2 sites: 2 B × parameters cross each way, at 80% of the link, plus 2 latencies.
    double outer = 2 * M.parameters() / (0.8 * wanBytesPerSecond) + 2 * LATENCY;
    assertThat(e.breakdown().wanSeconds()).isCloseTo(outer / 100, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aLatencyBoundWanCannotReachTheTarget() {
    // A 1B-parameter model steps in milliseconds; a 50 ms WAN round trip alone costs more than 5%.
    ModelSpec small = ModelSpec.gpt("gpt-1b", 24, 2048, 16, 51200, 2048, "test");
    TrainingSetup s = TrainingSetup.defaults(small).withGlobalBatch(64);
    Estimate e = MODEL.search(small, s, ONE_SITE, 64, 1).get(0);
    Hardware far = ONE_SITE.withSites(2, 1, 0.025);
    assertThat(MODEL.wanBandwidthFor(small, s, far, e.parallelism(), 0.95)).isInfinite();
  }
}
