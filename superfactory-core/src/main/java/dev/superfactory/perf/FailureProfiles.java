package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The catalogue of failure profiles by GPU generation and cluster type, and which one a GPU model
 * uses when nothing is said. O(1) lookups.
 *
 * <ul>
 *   <li>{@code h100-production}: Llama 3 405B pre-training, a production-hardened 16,384-H100 run
 *       (arXiv 2407.21783, Table 5): 419 unexpected and 47 planned interruptions in 54 days.
 *   <li>{@code a100-production}: BLOOM 176B on 384 A100 of the Jean Zay supercomputer, 1-2 GPU
 *       failures a week (Bekman 2022; Le Scao et al. 2022).
 *   <li>{@code a100-research}: Meta's shared A100 research cluster RSC-1 (Kokolis et al. 2024,
 *       arXiv 2410.21680, Fig. 7): job MTTF 47.7 days at 8 GPUs and 7.9 h at 1,024 GPUs, about six
 *       times the H100-era rate per GPU.
 * </ul>
 *
 * Planned interruptions of the A100 profiles: Llama 3's planned rate (ASSUMPTION: neither source
 * counts them). B200, GB200 and GB300 use the H100-era profile: ASSUMPTION until published data exists.
 */
public final class FailureProfiles {
  public static final String H100_PRODUCTION = "h100-production";
  public static final String A100_PRODUCTION = "a100-production";
  public static final String A100_RESEARCH = "a100-research";

  /** The profile a GPU model uses, and why. */
  public record Choice(FailureProfile profile, String reason) {}

  private static final Map<String, FailureProfile> PROFILES = build();

  private FailureProfiles() {}

  private static Map<String, FailureProfile> build() {
    FailureRates llama3 = FailureRates.llama3();
    double planned = llama3.plannedPerGpuDay();
    Map<String, FailureProfile> m = new LinkedHashMap<>();
    m.put(H100_PRODUCTION, new FailureProfile(H100_PRODUCTION, "H100", "production training run",
        llama3.unexpectedPerGpuDay(), planned, "Llama 3 405B on 16,384 H100 for 54 days, arXiv 2407.21783 Table 5"));
    m.put(A100_PRODUCTION, new FailureProfile(A100_PRODUCTION, "A100", "production training run",
        FailureCalibration.fittedPerGpuDay(A100_PRODUCTION), planned,
        "BLOOM 176B on 384 A100, 1-2 GPU failures a week, Bekman 2022 and arXiv 2211.05100"));
    m.put(A100_RESEARCH, new FailureProfile(A100_RESEARCH, "A100", "shared research cluster",
        FailureCalibration.fittedPerGpuDay(A100_RESEARCH), planned,
        "Meta RSC-1 job MTTF at 8 and 1,024 A100, arXiv 2410.21680 Fig. 7"));
    return m;
  }

  public static List<FailureProfile> all() {
    return List.copyOf(PROFILES.values());
  }

  public static List<String> names() {
    return List.copyOf(PROFILES.keySet());
  }

  /** The named profile; an unknown name is one line listing the known ones. */
  public static FailureProfile get(String name) {
    FailureProfile p = PROFILES.get(name);
    if (p == null) {
      throw new InputException("unknown failure profile '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return p;
  }

  /** The profile of a GPU model's generation: A100 → A100-era research cluster, everything else → H100-era. */
  public static Choice forGpu(String gpuName) {
    String gpu = gpuName.toLowerCase(Locale.ROOT);
    if (gpu.startsWith("a100")) {
      return new Choice(get(A100_RESEARCH), "A100-era rates");
    }
    if (gpu.startsWith("h100") || gpu.startsWith("h200")) {
      return new Choice(get(H100_PRODUCTION), "H100-era rates");
    }
    return new Choice(get(H100_PRODUCTION),
        "ASSUMPTION: H100-era rates for " + gpuName + " until published data exists");
  }
}
