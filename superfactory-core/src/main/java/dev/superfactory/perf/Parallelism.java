package dev.superfactory.perf;

import dev.superfactory.input.InputException;

/**
 * How a job's GPUs are split: tensor (TP, Shoeybi et al., arXiv 1909.08053), pipeline (PP, 1F1B
 * with {@code virtualStages} interleaved chunks per GPU, Narayanan et al., arXiv 2104.04473),
 * data (DP), context (CP, ring attention over the sequence) and expert (EP, experts spread over
 * data-parallel ranks) parallelism. GPUs used = tp × pp × dp × cp; EP lives inside DP, as in
 * Megatron-Core.
 *
 * <p>Rank order, innermost first: tp, cp, dp, pp. So a TP group always sits in one scale-up
 * domain and the domain's remaining GPUs hold CP and then DP peers.
 */
public record Parallelism(int tp, int pp, int dp, int cp, int ep, int virtualStages) {
  public Parallelism {
    if (tp < 1 || pp < 1 || dp < 1 || cp < 1 || ep < 1 || virtualStages < 1) {
      throw new InputException(String.format(
          "parallel degrees must all be >= 1, got tp=%d pp=%d dp=%d cp=%d ep=%d virtual stages=%d",
          tp, pp, dp, cp, ep, virtualStages));
    }
    if (dp % ep != 0) {
      throw new InputException(String.format("ep=%d must divide dp=%d (experts are spread over data-parallel ranks)",
          ep, dp));
    }
    if (pp == 1 && virtualStages != 1) {
      throw new InputException("interleaving (virtual stages=" + virtualStages + ") needs pp > 1");
    }
  }

  /** No interleaving. */
  public static Parallelism of(int tp, int pp, int dp, int cp, int ep) {
    return new Parallelism(tp, pp, dp, cp, ep, 1);
  }

  public Parallelism withVirtualStages(int v) {
    return new Parallelism(tp, pp, dp, cp, ep, v);
  }

  /** GPUs used: tp × pp × dp × cp. */
  public long gpus() {
    return (long) tp * pp * dp * cp;
  }

  /** GPUs of one model replica: tp × pp × cp. */
  public int modelParallelGpus() {
    return tp * pp * cp;
  }

  @Override
  public String toString() {
    return "TP" + tp + " PP" + pp + (virtualStages > 1 ? "x" + virtualStages : "") + " DP" + dp
        + (cp > 1 ? " CP" + cp : "") + (ep > 1 ? " EP" + ep : "");
  }
}
