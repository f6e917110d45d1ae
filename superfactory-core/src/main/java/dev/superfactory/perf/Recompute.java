package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Locale;

/**
 * Activation recomputation (Korthikanti et al., "Reducing Activation Recomputation in Large
 * Transformer Models", arXiv 2205.05198). Ordered from fastest to most memory-saving: the search
 * may move a setup to a later level when the earlier one does not fit.
 */
public enum Recompute {
  /** Keep every activation the backward pass needs. */
  NONE,
  /**
   * Recompute the cheap, memory-hungry parts: the attention core, the normalisations and the MLP
   * activation function; keep the inputs of every matrix multiplication.
   */
  SELECTIVE,
  /** Keep only each layer's input; rerun the whole layer's forward pass in the backward pass. */
  FULL;

  public static Recompute parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException("unknown recomputation '" + text + "' (known: none, selective, full)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
