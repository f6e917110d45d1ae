package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {
  private static final long MIB = 1 << 20;

  @Test
  void thePeakCountsAnArrayHeldWhileSampling() {
    long peak;
    long[] block;
    try (HeapSampler heap = HeapSampler.start()) {
      block = new long[(int) (32 * MIB / Long.BYTES)];
      block[block.length - 1] = 1;
      peak = heap.stop();
      assertThat(heap.stop()).as("stopping again gives the same peak").isEqualTo(peak);
    }
    assertThat(block[block.length - 1]).isEqualTo(1); // held until after the last read
    assertThat(peak).isGreaterThanOrEqualTo(32 * MIB);
  }

  @Test
  void everyRunReportsTheHeapItPeakedAt() {
    SimulationResult r = new Simulation(TinyScenarios.oneSite(1, 2, 8, "fifo-backfill", 16, 16, 86400)).run();
    assertThat(r.peakHeapBytes()).isPositive();
  }
}
