package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.InputException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The search against brute force: for random models, GPU counts and hardware, its answer fits in
 * memory and no layout it could have chosen (every explicit TP, PP, CP, interleaving and
 * recomputation level whose DP divides the batch exactly) is faster; and when it finds nothing,
 * nothing fits.
 */
class SearchProperties {
  private static final PerfModel MODEL = new PerfModel();

  @Property(tries = 40)
  void searchedLayoutFitsAndNoValidLayoutIsFaster(@ForAll("models") String name, @ForAll("gpuCounts") int gpus,
      @ForAll("gpus") String gpu) {
    ModelSpec m = ModelCatalog.get(name);
    TrainingSetup setup = TrainingSetup.defaults(m).withGlobalBatch(256);
    Hardware hw = Hardware.defaults(GpuCatalog.builtIn().get(gpu));
    List<Estimate> found = MODEL.search(m, setup, hw, gpus, 1);
    if (!found.isEmpty()) {
      assertThat(found.get(0).memory().fits()).isTrue();
      assertThat(found.get(0).gpus()).isLessThanOrEqualTo(gpus);
    }
    double best = found.isEmpty() ? 0 : found.get(0).tokensPerSecond();
    for (int tp : new int[] {1, 2, 4, 8}) {
      for (int pp : new int[] {1, 2, 4, 8}) {
        for (int cp : new int[] {1, 2}) {
          for (int ep : m.isMoe() ? new int[] {1, 2, 4, 8} : new int[] {1}) {
            checkLayouts(m, setup, hw, gpus, tp, pp, cp, ep, best);
          }
        }
      }
    }
  }

  private static void checkLayouts(ModelSpec m, TrainingSetup setup, Hardware hw, int gpus, int tp, int pp, int cp,
      int ep, double best) {
    if (gpus % (tp * pp * cp) != 0) {
      return;
    }
    int dp = gpus / (tp * pp * cp);
    if (setup.globalBatchSequences() % dp != 0 || dp % ep != 0) {
      return;
    }
    for (int v : new int[] {1, 2, 4}) {
      if (pp == 1 && v > 1) {
        continue;
      }
      for (Recompute r : Recompute.values()) {
        try {
          Estimate e = MODEL.estimate(m, setup.withRecompute(r), hw, new Parallelism(tp, pp, dp, cp, ep, v));
          assertThat(e.tokensPerSecond()).as("%s %s", e.parallelism(), r).isLessThanOrEqualTo(best * (1 + 1e-12));
        } catch (InputException invalidOrTooBig) {
          // not a candidate
        }
      }
    }
  }

  @Provide
  Arbitrary<String> models() {
    return Arbitraries.of("llama3-8b", "llama3-70b", "mixtral-8x7b", "gpt3-175b");
  }

  @Provide
  Arbitrary<Integer> gpuCounts() {
    return Arbitraries.of(8, 16, 32, 64, 128, 256, 512, 96);
  }

  @Provide
  Arbitrary<String> gpus() {
    return Arbitraries.of("a100", "h100", "gb200");
  }
}
