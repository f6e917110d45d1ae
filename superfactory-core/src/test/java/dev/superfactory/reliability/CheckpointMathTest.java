package dev.superfactory.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CheckpointMathTest {
  @Test
  void youngIntervalIsTheSquareRootOfTwiceWriteTimesMtbf() {
    // C = 60 s, M = 2 h = 7,200 s: √(2 · 60 · 7,200) = √864,000 ≈ 929.5 s
    assertThat(CheckpointMath.youngInterval(60, 7200)).isCloseTo(929.52, within(0.01));
  }

  @Test
  void dalyAddsHigherOrderTermsAndSubtractsTheWrite() {
    // x = C / 2M = 60 / 14,400 = 0.0041667; √(2CM) = 929.52;
    // τ = 929.52 · (1 + √x / 3 + x / 9) − 60 = 929.52 · 1.022001 − 60 ≈ 889.97
    assertThat(CheckpointMath.dalyInterval(60, 7200)).isCloseTo(889.97, within(0.05));
    assertThat(CheckpointMath.dalyInterval(100, 40)).isEqualTo(40.0); // C ≥ 2M: checkpoint every M
  }

  @Test
  void synchronousSegmentAlternatesComputeAndWrites() {
    // overhead 10 s, speed 1, τ = 100 s of work, C = 5 s: cycles of 105 s
    assertThat(CheckpointMath.workAt(10, 10, 1, 100, 5, false, 0)).isZero();
    assertThat(CheckpointMath.workAt(60, 10, 1, 100, 5, false, 0)).isEqualTo(50.0);
    assertThat(CheckpointMath.durableAt(60, 10, 1, 100, 5, false, 0)).isZero();
    // at 10 + 102: first cycle's compute done (100), writing: not yet durable
    assertThat(CheckpointMath.workAt(112, 10, 1, 100, 5, false, 0)).isEqualTo(100.0);
    assertThat(CheckpointMath.durableAt(112, 10, 1, 100, 5, false, 0)).isZero();
    assertThat(CheckpointMath.writingAt(112, 10, 1, 100, 5, false, 0)).isEqualTo(2.0);
    // at 10 + 105 + 30: one checkpoint durable, 130 of work done
    assertThat(CheckpointMath.workAt(145, 10, 1, 100, 5, false, 0)).isEqualTo(130.0);
    assertThat(CheckpointMath.durableAt(145, 10, 1, 100, 5, false, 0)).isEqualTo(100.0);
    // 250 s of work: overhead 10 + 250 + 2 writes (after 100 and 200) = 270 s
    assertThat(CheckpointMath.wallFor(250, 10, 1, 100, 5, false, 0)).isEqualTo(270.0);
    // exactly 200 s of work needs one write, not two
    assertThat(CheckpointMath.wallFor(200, 10, 1, 100, 5, false, 0)).isEqualTo(215.0);
  }

  @Test
  void asynchronousWritesOverlapComputeAndLagDurability() {
    // speed 1, 2% overhead: compute at 0.98; τ = 98 s of work every 100 s; C = 30 s lag
    assertThat(CheckpointMath.workAt(100, 0, 1, 98, 30, true, 0.02)).isCloseTo(98.0, within(1e-9));
    assertThat(CheckpointMath.durableAt(100, 0, 1, 98, 30, true, 0.02)).isZero();
    assertThat(CheckpointMath.durableAt(130, 0, 1, 98, 30, true, 0.02)).isCloseTo(98.0, within(1e-9));
    assertThat(CheckpointMath.wallFor(196, 0, 1, 98, 30, true, 0.02)).isCloseTo(200.0, within(1e-9));
  }
}
