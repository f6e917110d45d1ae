package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Objects;

/**
 * What is being trained and how, independent of the hardware and the parallel layout.
 *
 * @param seqLength tokens per sequence
 * @param globalBatchSequences sequences per optimizer step (rounded up to a multiple of
 *     data-parallel ranks × micro-batch; the estimate reports the batch actually used)
 * @param microBatchSequences sequences per micro-batch on one pipeline
 * @param precision GEMM number format
 * @param totalTokens tokens of the whole run, for the training time (0 if not given)
 * @param recompute activation recomputation; the search may raise it when memory is short
 * @param sharding optimizer-state sharding across data-parallel ranks
 * @param flashAttention fused attention that never writes the s×s score matrix to memory and skips
 *     the masked half (FlashAttention, Dao et al., arXiv 2205.14135). {@code false} models the 2021
 *     Megatron-LM kernels the calibration runs used: scores, softmax and dropout go through HBM and
 *     the full s×s product is computed
 * @param strategy how replicas in different sites synchronise (ignored on one site)
 */
public record TrainingSetup(
    int seqLength,
    int globalBatchSequences,
    int microBatchSequences,
    Precision precision,
    double totalTokens,
    Recompute recompute,
    OptimizerSharding sharding,
    boolean flashAttention,
    CrossSiteStrategy strategy) {

  /** Default tokens per global batch: 4M (GPT-3 175B used 3.2M, Llama 3 405B started at 4M). */
  public static final int DEFAULT_BATCH_TOKENS = 4 * 1024 * 1024;

  public TrainingSetup {
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(recompute, "recompute");
    Objects.requireNonNull(sharding, "sharding");
    Objects.requireNonNull(strategy, "strategy");
    if (seqLength <= 0) {
      throw new InputException("sequence length must be > 0, got " + seqLength);
    }
    if (globalBatchSequences <= 0) {
      throw new InputException("global batch must be > 0 sequences, got " + globalBatchSequences);
    }
    if (microBatchSequences <= 0) {
      throw new InputException("micro-batch must be > 0 sequences, got " + microBatchSequences);
    }
    if (microBatchSequences > globalBatchSequences) {
      throw new InputException(String.format("micro-batch (%d) exceeds the global batch (%d)",
          microBatchSequences, globalBatchSequences));
    }
    if (!(totalTokens >= 0) || Double.isInfinite(totalTokens)) {
      throw new InputException("total tokens must be >= 0, got " + totalTokens);
    }
  }

  /**
   * The model's sequence length, a global batch of about 4M tokens, micro-batch 1, BF16, no
   * recomputation (the search adds it where memory requires), ZeRO-1, FlashAttention,
   * synchronous data parallelism across sites.
   */
  public static TrainingSetup defaults(ModelSpec model) {
    int seq = model.seqLength();
    return new TrainingSetup(seq, Math.max(1, DEFAULT_BATCH_TOKENS / seq), 1, Precision.BF16, 0, Recompute.NONE,
        OptimizerSharding.ZERO1, true, CrossSiteStrategy.sync());
  }

  public TrainingSetup withSeqLength(int seq) {
    return new TrainingSetup(seq, globalBatchSequences, microBatchSequences, precision, totalTokens, recompute,
        sharding, flashAttention, strategy);
  }

  public TrainingSetup withGlobalBatch(int sequences) {
    return new TrainingSetup(seqLength, sequences, Math.min(microBatchSequences, sequences), precision, totalTokens,
        recompute, sharding, flashAttention, strategy);
  }

  public TrainingSetup withMicroBatch(int sequences) {
    return new TrainingSetup(seqLength, globalBatchSequences, sequences, precision, totalTokens, recompute,
        sharding, flashAttention, strategy);
  }

  public TrainingSetup withPrecision(Precision p) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, p, totalTokens, recompute,
        sharding, flashAttention, strategy);
  }

  public TrainingSetup withTotalTokens(double tokens) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, precision, tokens, recompute,
        sharding, flashAttention, strategy);
  }

  public TrainingSetup withRecompute(Recompute r) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, precision, totalTokens, r,
        sharding, flashAttention, strategy);
  }

  public TrainingSetup withSharding(OptimizerSharding s) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, precision, totalTokens, recompute,
        s, flashAttention, strategy);
  }

  public TrainingSetup withFlashAttention(boolean flash) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, precision, totalTokens, recompute,
        sharding, flash, strategy);
  }

  public TrainingSetup withStrategy(CrossSiteStrategy s) {
    return new TrainingSetup(seqLength, globalBatchSequences, microBatchSequences, precision, totalTokens, recompute,
        sharding, flashAttention, s);
  }

  /** Tokens per optimizer step as requested (before rounding to the data-parallel degree). */
  public double batchTokens() {
    return (double) globalBatchSequences * seqLength;
  }
}
