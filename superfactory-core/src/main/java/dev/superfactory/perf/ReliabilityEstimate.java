package dev.superfactory.perf;

import dev.superfactory.input.InputException;

/**
 * Reliability in one line: how often a run of N GPUs is interrupted, how often it should
 * checkpoint, and what share of its wall-clock time is useful training.
 *
 * <p>Checkpoint interval after Young ("A first order approximation to the optimum checkpoint
 * interval", CACM 1974): τ = √(2·C·M) for checkpoint write time C and mean time between unexpected
 * interruptions M (Daly, FGCS 2006, refines it by −C, negligible when C ≪ M). Effective training
 * time ratio, to first order: each τ of work costs τ + C; each unexpected interruption loses half an
 * interval on average plus a restart R; planned ones cost R only (they follow a checkpoint):
 *
 * <pre>  ratio = τ/(τ + C) × (1 − λu·((τ + C)/2 + R) − λp·R)</pre>
 *
 * <p>Llama 3 (arXiv 2407.21783, section 3.3.4) reports more than 90% effective training time with
 * 466 interruptions in 54 days on 16,384 GPUs; this formula gives about 92% for 405B there.
 *
 * @param gpus GPUs of the run
 * @param days length of the run
 * @param unexpectedPerDay expected unexpected interruptions per day
 * @param plannedPerDay expected planned interruptions per day
 * @param checkpointBytes bytes written per checkpoint
 * @param checkpointWriteSeconds C: time to write one checkpoint
 * @param restartSeconds R: time from an interruption to training again (ASSUMPTION by default:
 *     10 minutes; not published)
 * @param checkpointIntervalSeconds τ: Young's optimal interval
 * @param effectiveTrainingTimeRatio useful share of wall-clock time (0..1)
 * @param profile the failure rates used ({@link FailureProfiles})
 */
public record ReliabilityEstimate(
    long gpus,
    double days,
    double unexpectedPerDay,
    double plannedPerDay,
    double checkpointBytes,
    double checkpointWriteSeconds,
    double restartSeconds,
    double checkpointIntervalSeconds,
    double effectiveTrainingTimeRatio,
    FailureProfile profile) {

  /**
   * Storage write bandwidth per GPU: Llama 3's Tectonic file system sustains 2 TB/s for its 16,384-GPU
   * run (arXiv 2407.21783, section 3.3.1), about 122 MB/s per GPU.
   */
  public static final double DEFAULT_STORAGE_BYTES_PER_SECOND_PER_GPU = 2e12 / 16_384;

  /** ASSUMPTION: 10 minutes to detect a failure, replace the node and reload the checkpoint. */
  public static final double DEFAULT_RESTART_SECONDS = 600;

  /** Bytes of a checkpoint per parameter: BF16 weights (2) and FP32 master weights and Adam moments (12). */
  public static final double CHECKPOINT_BYTES_PER_PARAMETER = 14;

  /** A run of {@code model} on {@code gpus} GPUs for {@code days}, with the defaults above and Llama 3's rates. */
  public static ReliabilityEstimate of(ModelSpec model, long gpus, double days) {
    return of(model, gpus, days, FailureProfiles.get(FailureProfiles.H100_PRODUCTION));
  }

  /** As {@link #of(ModelSpec, long, double)}, with the rates of {@code profile}. */
  public static ReliabilityEstimate of(ModelSpec model, long gpus, double days, FailureProfile profile) {
    return of(gpus, days, model.parameters() * CHECKPOINT_BYTES_PER_PARAMETER,
        DEFAULT_STORAGE_BYTES_PER_SECOND_PER_GPU * gpus, DEFAULT_RESTART_SECONDS, profile);
  }

  /**
   * @param storageBytesPerSecond aggregate checkpoint write bandwidth of the run
   */
  public static ReliabilityEstimate of(long gpus, double days, double checkpointBytes, double storageBytesPerSecond,
      double restartSeconds, FailureProfile rates) {
    if (gpus < 1 || !(days > 0)) {
      throw new InputException(String.format("reliability needs gpus >= 1 and days > 0, got %d GPUs and %s days",
          gpus, days));
    }
    if (!(checkpointBytes > 0) || !(storageBytesPerSecond > 0) || !(restartSeconds >= 0)) {
      throw new IllegalArgumentException("checkpoint bytes and storage bandwidth must be > 0, restart >= 0");
    }
    double unexpected = rates.unexpectedPerGpuDay() * gpus;
    double planned = rates.plannedPerGpuDay() * gpus;
    double c = checkpointBytes / storageBytesPerSecond;
    double lambdaU = unexpected / 86_400;
    double lambdaP = planned / 86_400;
    double tau = youngIntervalSeconds(c, 1 / lambdaU);
    double ratio = tau / (tau + c) * (1 - lambdaU * ((tau + c) / 2 + restartSeconds) - lambdaP * restartSeconds);
    return new ReliabilityEstimate(gpus, days, unexpected, planned, checkpointBytes, c, restartSeconds, tau,
        Math.max(0, ratio), rates);
  }

  /** Young's optimal checkpoint interval √(2·C·M). */
  public static double youngIntervalSeconds(double checkpointSeconds, double mtbfSeconds) {
    return Math.sqrt(2 * checkpointSeconds * mtbfSeconds);
  }

  public double interruptionsPerDay() {
    return unexpectedPerDay + plannedPerDay;
  }

  /** Expected interruptions over the whole run. */
  public double expectedInterruptions() {
    return interruptionsPerDay() * days;
  }

  /** Expected unexpected interruptions over the whole run. */
  public double expectedUnexpectedInterruptions() {
    return unexpectedPerDay * days;
  }

  /** Mean time between unexpected interruptions, hours. */
  public double mtbfHours() {
    return 24 / unexpectedPerDay;
  }
}
