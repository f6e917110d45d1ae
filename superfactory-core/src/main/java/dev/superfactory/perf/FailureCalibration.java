package dev.superfactory.perf;

import dev.superfactory.perf.FailureObservation.Kind;
import java.util.List;

/**
 * The published failure figures the {@link FailureProfiles} are fitted to and checked against. A
 * profile's rate (failures per GPU-day) is the geometric mean of the rates its in-sample figures
 * imply, i.e. the least-squares fit of a job MTTF ∝ 1/GPUs in log space; its out-of-sample figures
 * test it. Each figure names its source; "ASSUMPTION" marks what the source does not say.
 *
 * <p>No size-independent per-job term is fitted: Kokolis et al.'s two measured points (8 and 1,024
 * GPUs) imply per-GPU rates within 13% of each other, and a fit of rate = a + b·GPUs through them
 * gives a = −0.003 failures per job-day, i.e. none.
 */
public final class FailureCalibration {
  private static final String KOKOLIS = "Kokolis et al. 2024, arXiv 2410.21680 (HPCA 2025), Fig. 7, measured";
  private static final String BLOOM = "Bekman 2022, 'The Technology Behind BLOOM Training' (Hugging Face blog):"
      + " 1-2 GPU failures a week; Le Scao et al. 2022, arXiv 2211.05100: 384 A100 80GB";

  private static final List<FailureObservation> OBSERVATIONS = List.of(
      new FailureObservation("Llama 3 405B, unexpected interruptions in 54 days",
          "Dubey et al. 2024, arXiv 2407.21783, section 3.3.4, Table 5", "H100", 16_384, Kind.FAILURES, 54,
          419, 419, FailureProfiles.H100_PRODUCTION, true, 0.01),
      new FailureObservation("Meta RSC-1, job MTTF at 8 GPUs", KOKOLIS, "A100", 8, Kind.MTTF_HOURS, 0,
          47.7 * 24, 47.7 * 24, FailureProfiles.A100_RESEARCH, true, 0.10),
      new FailureObservation("Meta RSC-1, job MTTF at 1,024 GPUs", KOKOLIS, "A100", 1024, Kind.MTTF_HOURS, 0,
          7.9, 7.9, FailureProfiles.A100_RESEARCH, true, 0.10),
      new FailureObservation("BLOOM 176B, GPU failures a week",
          BLOOM, "A100", 384, Kind.FAILURES, 7,
          1, 2, FailureProfiles.A100_PRODUCTION, true, 0.01),
      new FailureObservation("OPT-175B, restarts in ~2 months (at least)",
          "Zhang et al. 2022, arXiv 2205.01068, sections 2.4-2.5: >= 35 manual + 70+ automatic restarts, 992 A100;"
              + " ASSUMPTION: 2 months = 61 days", "A100", 992, Kind.FAILURES, 61,
          105, Double.POSITIVE_INFINITY, FailureProfiles.A100_RESEARCH, false, 0.01),
      new FailureObservation("BLOOM 176B, GPU failures a week (H100-era rate)",
          BLOOM, "A100", 384, Kind.FAILURES, 7,
          1, 2, FailureProfiles.H100_PRODUCTION, false, 0.01));

  private FailureCalibration() {}

  /** Every figure, fitted ones first per profile. */
  public static List<FailureObservation> observations() {
    return OBSERVATIONS;
  }

  /** The rate fitted to a profile's in-sample figures: the geometric mean of their implied rates. */
  public static double fittedPerGpuDay(String profile) {
    double logSum = 0;
    int n = 0;
    for (FailureObservation o : OBSERVATIONS) {
      if (o.inSample() && o.profile().equals(profile)) {
        logSum += Math.log(o.impliedPerGpuDay());
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no in-sample figure for failure profile '" + profile + "'");
    }
    return Math.exp(logSum / n);
  }
}
