package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgPathTest {
  @Test
  void coordinatesHaveAtMostOneDecimalAndNoNegativeZero() {
    assertThat(SvgPath.num(12.34)).isEqualTo("12.3");
    assertThat(SvgPath.num(12.36)).isEqualTo("12.4");
    assertThat(SvgPath.num(5.0)).isEqualTo("5");
    assertThat(SvgPath.num(-3.25)).isEqualTo("-3.2");
    assertThat(SvgPath.num(-0.04)).isEqualTo("0");
  }

  @Test
  void aMissingValueBreaksTheLineIntoPieces() {
    Downsample.Points p = new Downsample.Points(new double[] {0, 1, 2, Double.NaN, 4}, new double[] {1, Double.NaN, 3, 4, 5});
    assertThat(SvgPath.line(p, v -> v * 10, v -> v).toString()).isEqualTo("M0,1 M20,3 M40,5");
    Downsample.Points q = new Downsample.Points(new double[] {0, 1, 2}, new double[] {1, 2, 3});
    assertThat(SvgPath.line(q, v -> v, v -> -v).toString()).isEqualTo("M0,-1 1,-2 2,-3");
  }
}
