package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Locale;

/**
 * How the data-parallel ranks share the training state (Rajbhandari et al., "ZeRO", arXiv
 * 1910.02054; Zhao et al., "PyTorch FSDP", arXiv 2304.11277).
 */
public enum OptimizerSharding {
  /** Every data-parallel rank holds all weights, gradients and optimizer state; gradients are all-reduced. */
  NONE,
  /**
   * ZeRO-1 / Megatron's distributed optimizer: optimizer state sharded; gradients reduce-scattered,
   * updated weights all-gathered (same bytes as an all-reduce).
   */
  ZERO1,
  /**
   * ZeRO-3 / FSDP: weights, gradients and optimizer state sharded inside each site; weights are
   * all-gathered for every micro-batch's forward and backward pass, gradients reduce-scattered.
   */
  FSDP;

  public static OptimizerSharding parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace("-", "");
    if (t.equals("ZERO3")) {
      return FSDP;
    }
    try {
      return valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new InputException("unknown optimizer sharding '" + text + "' (known: none, zero1, fsdp)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
