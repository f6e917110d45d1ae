package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownsampleTest {
  @Test
  void aSeriesWithinTheCapIsKeptAsIs() {
    double[] x = {1, 2, 3};
    double[] y = {0.5, 0.7, 0.6};
    Downsample.Points p = Downsample.minMax(x, y, 1500);
    assertThat(p.x()).containsExactly(1, 2, 3);
    assertThat(p.y()).containsExactly(0.5, 0.7, 0.6);
  }

  @Test
  void minMaxCapsAYearOfHourlySamplesAndKeepsEveryPeakAndTrough() {
    int n = 8760;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = 0.5 + 0.1 * Math.sin(i / 30.0);
    }
    y[4321] = 0.99; // a one-hour spike
    y[777] = 0.01; // a one-hour dip
    Downsample.Points p = Downsample.minMax(x, y, 1500);
    assertThat(p.size()).isLessThanOrEqualTo(1500).isGreaterThan(1000);
    assertThat(indexOf(p.y(), 0.99)).isNotNegative();
    assertThat(p.x()[indexOf(p.y(), 0.99)]).isEqualTo(4322);
    assertThat(p.x()[indexOf(p.y(), 0.01)]).isEqualTo(778);
    assertThat(p.x()).isSorted();
  }

  @Test
  void minMaxKeepsEachBucketsExtremes() {
    // 10 samples, 2 buckets of 5: {3,9,1,4,5} → 9 then 1 (time order); {2,6,8,0,7} → 8 then 0
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] y = {3, 9, 1, 4, 5, 2, 6, 8, 0, 7};
    Downsample.Points p = Downsample.minMax(x, y, 4);
    assertThat(p.x()).containsExactly(1, 2, 7, 8);
    assertThat(p.y()).containsExactly(9, 1, 8, 0);
  }

  @Test
  void missingValuesAreSkippedAndABucketOfThemBecomesAGap() {
    // 9 samples, 3 buckets of 3: {1,2,3} → 1, 3; {NaN,NaN,NaN} → a gap at the middle sample; {7,NaN,9} → 7, 9
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    double[] y = {1, 2, 3, Double.NaN, Double.NaN, Double.NaN, 7, Double.NaN, 9};
    Downsample.Points p = Downsample.minMax(x, y, 6);
    assertThat(p.x()).containsExactly(0, 2, 4, 6, 8);
    assertThat(p.y()[0]).isEqualTo(1);
    assertThat(p.y()[1]).isEqualTo(3);
    assertThat(p.y()[2]).isNaN();
    assertThat(p.y()[3]).isEqualTo(7);
    assertThat(p.y()[4]).isEqualTo(9);
  }

  @Test
  void averagingKeepsStackedSeriesSummingToTheirTotal() {
    int n = 8760;
    double[] x = new double[n];
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      a[i] = 0.3 + 0.2 * Math.sin(i / 7.0);
      b[i] = 0.9 - a[i];
    }
    Downsample.Points pa = Downsample.average(x, a, 750);
    Downsample.Points pb = Downsample.average(x, b, 750);
    assertThat(pa.size()).isEqualTo(750);
    assertThat(pa.x()).containsExactly(pb.x());
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pa.y()[i] + pb.y()[i]).isCloseTo(0.9, within(1e-12));
    }
    // bucket b starts at ⌊b · 8760 / 750⌋: the first holds samples 0..10, so its time is their mean, 5
    assertThat(pa.x()[0]).isEqualTo(5.0);
  }

  private static int indexOf(double[] values, double v) {
    return Arrays.stream(values).boxed().toList().indexOf(v);
  }
}
