package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Locale;

/**
 * Number format of the matrix multiplications. Weights, gradients and communication stay in BF16
 * either way; FP8 (Micikevicius et al., "FP8 Formats for Deep Learning", arXiv 2209.05433, as in
 * NVIDIA Transformer Engine) runs the GEMMs at the GPU's FP8 peak and adds the cost of casting
 * their inputs. GPUs without FP8 (A100) run FP8 jobs at the BF16 rate.
 */
public enum Precision {
  BF16,
  FP8;

  public boolean isFp8() {
    return this == FP8;
  }

  /** {@code bf16} or {@code fp8}, case-insensitive; otherwise an error naming both. */
  public static Precision parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException("unknown precision '" + text + "' (known: bf16, fp8)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
