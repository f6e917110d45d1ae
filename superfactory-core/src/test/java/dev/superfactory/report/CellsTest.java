package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CellsTest {
  @Test
  void presentValuesReadAsTheConsoleShowsThem() {
    for (double f : new double[] {0, 0.69069, 0.736449, 1, 0.0004, 0.123449}) {
      assertThat(Cells.percent(f)).as("percent %s", f).isEqualTo(Format.percent(f));
    }
    for (double h : new double[] {0, 0.0131, 0.2947, 2.9553, 40.3197, 71.96, 146.2042, 511.1464, 8760}) {
      assertThat(Cells.hours(h)).as("hours %s", h).isEqualTo(Format.hours(h));
    }
    for (long n : new long[] {0, 7, 999, 1000, 338688, 1234567890L, -4200}) {
      assertThat(Cells.count(n)).as("count %s", n).isEqualTo(Format.count(n));
    }
  }

  @Test
  void missingValuesReadAsADash() {
    assertThat(Cells.percent(Double.NaN)).isEqualTo("–");
    assertThat(Cells.hours(Double.NaN)).isEqualTo("–");
    assertThat(Cells.count(Double.NaN)).isEqualTo("–");
    assertThat(Cells.compact(Double.NaN)).isEqualTo("–");
    assertThat(Cells.number(Double.NaN, 2)).isEqualTo("–");
    assertThat(Cells.days(Double.NaN)).isEqualTo("–");
    assertThat(Cells.text(null)).isEqualTo("–");
    assertThat(Cells.text("")).isEqualTo("–");
  }

  @Test
  void fractionsCloseToOneKeepTheDecimalsAskedFor() {
    assertThat(Cells.percent(0.995063, 2)).isEqualTo("99.51%");
    assertThat(Cells.percent(0.98875, 2)).isEqualTo("98.88%");
    assertThat(Cells.percent(1, 2)).isEqualTo("100.00%");
    assertThat(Cells.percent(Double.NaN, 2)).isEqualTo("–");
  }

  @Test
  void largeQuantitiesAreAbbreviated() {
    assertThat(Cells.compact(168428545.886)).isEqualTo("168.4M");
    assertThat(Cells.compact(5505060.409)).isEqualTo("5.5M");
    assertThat(Cells.compact(2.4385536E9)).isEqualTo("2.4B");
    assertThat(Cells.compact(43210)).isEqualTo("43.2k");
    assertThat(Cells.compact(9999)).isEqualTo("9,999");
  }

  @Test
  void plainNumbersDropTrailingZeros() {
    assertThat(Cells.number(30.0, 2)).isEqualTo("30");
    assertThat(Cells.number(12.345, 1)).isEqualTo("12.3");
    assertThat(Cells.number(-0.01, 1)).isEqualTo("0");
    assertThat(Cells.days(0.5)).isEqualTo("0.5 d");
  }
}
