package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TicksTest {
  @Test
  void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(Ticks.niceStep(1)).isEqualTo(1);
    assertThat(Ticks.niceStep(1.2)).isEqualTo(2);
    assertThat(Ticks.niceStep(3)).isEqualTo(5);
    assertThat(Ticks.niceStep(7)).isEqualTo(10);
    assertThat(Ticks.niceStep(38_576)).isEqualTo(50_000);
    assertThat(Ticks.niceStep(0.0155)).isEqualTo(0.02);
  }

  @Test
  void coveringTheQueuePeakEndsOnARoundCountAboveIt() {
    // peak 154,304 pending GPUs over 4 intervals: 38,576 a step → 50,000; 0 to 200,000
    Ticks t = Ticks.covering(0, 154_304, 4);
    assertThat(t.first()).isEqualTo(0);
    assertThat(t.last()).isEqualTo(200_000);
    assertThat(labels(t.compact())).containsExactly("0", "50k", "100k", "150k", "200k");
  }

  @Test
  void millionsGetADecimalWhenTheStepNeedsOne() {
    // 2,611,168 over 4 intervals: 652,792 a step → 1,000,000 would give 3 ticks; 5 × 10^5 needs one decimal of M
    assertThat(labels(Ticks.covering(0, 2_000_000, 4).compact())).containsExactly("0", "0.5M", "1.0M", "1.5M", "2.0M");
  }

  @Test
  void smallCountsAreLabelledPlain() {
    assertThat(labels(Ticks.covering(0, 97, 4).compact())).containsExactly("0", "50", "100");
  }

  @Test
  void aFractionAxisIsLabelledInPercent() {
    assertThat(labels(Ticks.within(0, 1, 5).percent())).containsExactly("0%", "20%", "40%", "60%", "80%", "100%");
  }

  @Test
  void aZoomedPercentAxisKeepsTheDecimalsItsStepNeeds() {
    // 0.975 to 1 over 5 intervals: 0.005 a step, half a percent
    assertThat(labels(Ticks.within(0.975, 1, 5).percent())).containsExactly("97.5%", "98.0%", "98.5%", "99.0%", "99.5%", "100.0%");
    assertThat(labels(Ticks.within(0.92, 1, 5).percent())).containsExactly("92%", "94%", "96%", "98%", "100%");
  }

  @Test
  void withinStaysInsideTheRange() {
    // 0 to 365 days over 10 intervals: 36.5 → 50
    assertThat(labels(Ticks.within(0, 365, 10).plain())).containsExactly("0", "50", "100", "150", "200", "250", "300", "350");
    assertThat(Ticks.within(0.3, 9.7, 5).first()).isEqualTo(2);
  }

  @Test
  void tenthsAreLabelledWithoutFloatingPointNoise() {
    assertThat(labels(Ticks.within(0, 1, 10).plain()))
        .containsExactly("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0");
  }

  @Test
  void degenerateRangesStillGiveAnAxis() {
    assertThat(Ticks.covering(0, 0, 4).last()).isEqualTo(1);
    // a single value 5 is shown from 0: 5 / 4 intervals = 1.25 → step 2, so 0 to 6
    assertThat(Ticks.covering(5, 5, 4).first()).isEqualTo(0);
    assertThat(Ticks.covering(5, 5, 4).last()).isEqualTo(6);
    assertThat(Ticks.covering(Double.NaN, 3, 4).last()).isEqualTo(1);
  }

  @Test
  void aMonthIsLabelledInDaysAndTwoDaysInHours() {
    TimeAxis month = new TimeAxis(0, 720);
    assertThat(labels(month.ticks(10))).containsExactly("0", "5", "10", "15", "20", "25", "30");
    assertThat(month.ticks(10).get(1).value()).isEqualTo(120);
    assertThat(month.title()).startsWith("days");
    TimeAxis twoDays = new TimeAxis(0, 48);
    assertThat(labels(twoDays.ticks(10))).containsExactly("0", "5", "10", "15", "20", "25", "30", "35", "40", "45");
    assertThat(twoDays.title()).startsWith("hours");
    assertThat(twoDays.at(5.25)).isEqualTo("hour 5.3");
    assertThat(month.at(36)).isEqualTo("day 1.5");
  }

  private static List<String> labels(List<Ticks.Tick> ticks) {
    return ticks.stream().map(Ticks.Tick::label).toList();
  }
}
