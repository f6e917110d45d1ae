package dev.superfactory.perf;

import java.util.List;

/**
 * Interruption rates of a large training job, per GPU-day, by cause. The default is the only
 * public per-cause account of a run at this scale: Llama 3 405B pre-training (arXiv 2407.21783,
 * section 3.3.4, Table 5), a 54-day snapshot on up to 16,384 H100 GPUs with 466 interruptions, 47
 * planned and 419 unexpected. The counts are used, not the printed percentages (which do not add
 * up). Every cause is scaled by GPU count: host and network parts grow with the number of servers
 * and links, which grows with the GPUs. A later reliability model refines these per component.
 *
 * @param causes unexpected interruptions by cause, with their counts in the observation window
 * @param planned planned interruptions in the window (maintenance, configuration changes)
 * @param observedGpuDays GPUs × days of the window
 * @param source where the counts come from
 */
public record FailureRates(List<Cause> causes, double planned, double observedGpuDays, String source) {
  /** One cause of unexpected interruptions and its count. */
  public record Cause(String name, String component, int count) {}

  private static final FailureRates LLAMA3 = new FailureRates(List.of(
      new Cause("faulty GPU", "gpu", 148),
      new Cause("GPU HBM3 memory", "gpu", 72),
      new Cause("software bug", "software", 54),
      new Cause("network switch or cable", "network", 35),
      new Cause("host maintenance", "host", 32),
      new Cause("GPU SRAM memory", "gpu", 19),
      new Cause("GPU system processor", "gpu", 17),
      new Cause("NIC", "network", 7),
      new Cause("NCCL watchdog timeout", "network", 7),
      new Cause("silent data corruption", "gpu", 6),
      new Cause("GPU thermal interface and sensor", "gpu", 6),
      new Cause("SSD", "host", 3),
      new Cause("power supply", "host", 3),
      new Cause("server chassis", "host", 2),
      new Cause("IO expansion board", "host", 2),
      new Cause("dependency", "software", 2),
      new Cause("CPU", "host", 2),
      new Cause("system memory", "host", 2)),
      47, 16_384.0 * 54, "Llama 3, arXiv 2407.21783, section 3.3.4 and Table 5 (54 days, 16,384 H100)");

  public FailureRates {
    causes = List.copyOf(causes);
    if (!(observedGpuDays > 0) || planned < 0) {
      throw new IllegalArgumentException("observedGpuDays must be > 0 and planned >= 0");
    }
  }

  /** The Llama 3 counts. */
  public static FailureRates llama3() {
    return LLAMA3;
  }

  public int unexpectedCount() {
    return causes.stream().mapToInt(Cause::count).sum();
  }

  /** Unexpected interruptions per GPU per day. */
  public double unexpectedPerGpuDay() {
    return unexpectedCount() / observedGpuDays;
  }

  /** Planned interruptions per GPU per day. */
  public double plannedPerGpuDay() {
    return planned / observedGpuDays;
  }
}
