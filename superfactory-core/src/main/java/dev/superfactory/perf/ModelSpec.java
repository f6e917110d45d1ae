package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Objects;

/**
 * A decoder-only transformer: dense (GPT-3, Llama 3) or mixture-of-experts (Mixtral, DeepSeek-V3).
 *
 * <p>Parameter counts follow the layer shapes exactly (biases ignored, norms included): an
 * attention block has Q and O projections of {@code hidden × heads·headDim} and K, V projections of
 * {@code hidden × kvHeads·headDim} (grouped-query attention, Ainslie et al., arXiv 2305.13245, when
 * {@code kvHeads < heads}); a feed-forward block has two matrices ({@code hidden × ffn}, GELU) or
 * three (gated SwiGLU, Shazeer, arXiv 2002.05202). A mixture-of-experts layer replaces the
 * feed-forward block by {@code experts} routed experts of width {@code expertFfnHiddenSize}, of
 * which {@code activeExperts} run per token, plus {@code sharedExperts} that every token uses, and a
 * router ({@code hidden × experts}); its first {@code denseLayers} layers keep a dense block of
 * width {@code ffnHiddenSize} (DeepSeek-V3, arXiv 2412.19437).
 *
 * @param name catalog name, e.g. {@code llama3-70b}
 * @param layers transformer layers
 * @param hiddenSize model width h
 * @param attentionHeads query heads a
 * @param kvHeads key/value heads (= a for multi-head attention)
 * @param headDim width of one head (h / a for most models)
 * @param ffnHiddenSize width of the dense feed-forward block (0 if every layer is MoE)
 * @param vocabSize vocabulary V
 * @param seqLength default training sequence length
 * @param gatedFfn three-matrix gated feed-forward (SwiGLU) rather than two-matrix GELU
 * @param tiedEmbeddings output layer shares the input embedding's weights
 * @param experts routed experts per MoE layer (0 for a dense model)
 * @param activeExperts routed experts each token uses (top-k)
 * @param expertFfnHiddenSize width of one expert
 * @param sharedExperts experts every token uses in addition to the routed ones
 * @param denseLayers leading layers with a dense feed-forward block (MoE models only)
 * @param source where the figures come from
 */
public record ModelSpec(
    String name,
    int layers,
    int hiddenSize,
    int attentionHeads,
    int kvHeads,
    int headDim,
    int ffnHiddenSize,
    int vocabSize,
    int seqLength,
    boolean gatedFfn,
    boolean tiedEmbeddings,
    int experts,
    int activeExperts,
    int expertFfnHiddenSize,
    int sharedExperts,
    int denseLayers,
    String source) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    positive(name, "layers", layers);
    positive(name, "hiddenSize", hiddenSize);
    positive(name, "attentionHeads", attentionHeads);
    positive(name, "kvHeads", kvHeads);
    positive(name, "headDim", headDim);
    positive(name, "vocabSize", vocabSize);
    positive(name, "seqLength", seqLength);
    if (attentionHeads % kvHeads != 0) {
      throw new InputException(String.format(
          "model %s: attention heads (%d) must be a multiple of kv heads (%d)", name, attentionHeads, kvHeads));
    }
    if (experts < 0 || activeExperts < 0 || expertFfnHiddenSize < 0 || sharedExperts < 0 || denseLayers < 0
        || ffnHiddenSize < 0) {
      throw new InputException("model " + name + ": expert counts, widths and ffn size must be >= 0");
    }
    if (experts == 0) {
      positive(name, "ffnHiddenSize", ffnHiddenSize);
      if (activeExperts != 0 || sharedExperts != 0 || expertFfnHiddenSize != 0 || denseLayers != 0) {
        throw new InputException("model " + name + ": activeExperts, sharedExperts, expertFfnHiddenSize and "
            + "denseLayers need experts > 0");
      }
    } else {
      if (experts < 2 || activeExperts < 1 || activeExperts > experts) {
        throw new InputException(String.format(
            "model %s: need experts >= 2 and 1 <= activeExperts <= experts, got experts=%d activeExperts=%d",
            name, experts, activeExperts));
      }
      positive(name, "expertFfnHiddenSize", expertFfnHiddenSize);
      if (denseLayers >= layers) {
        throw new InputException(String.format(
            "model %s: denseLayers (%d) must be fewer than layers (%d)", name, denseLayers, layers));
      }
      if (denseLayers > 0) {
        positive(name, "ffnHiddenSize (for the dense layers)", ffnHiddenSize);
      }
    }
  }

  /**
   * A dense model with multi-head or grouped-query attention and head width hidden / heads.
   *
   * @param gated SwiGLU (three matrices) rather than GELU (two)
   */
  public static ModelSpec dense(String name, int layers, int hiddenSize, int heads, int kvHeads, int ffnHiddenSize,
      int vocabSize, int seqLength, boolean gated, boolean tiedEmbeddings, String source) {
    if (heads > 0 && hiddenSize % heads != 0) {
      throw new InputException(String.format(
          "model %s: hidden size (%d) must be a multiple of the attention heads (%d)", name, hiddenSize, heads));
    }
    return new ModelSpec(name, layers, hiddenSize, heads, kvHeads, heads > 0 ? hiddenSize / heads : 0,
        ffnHiddenSize, vocabSize, seqLength, gated, tiedEmbeddings, 0, 0, 0, 0, 0, source);
  }

  /** A GPT-style model as in Megatron-LM: MHA, GELU MLP of width 4h, tied embeddings. */
  public static ModelSpec gpt(String name, int layers, int hiddenSize, int heads, int vocabSize, int seqLength,
      String source) {
    return dense(name, layers, hiddenSize, heads, heads, 4 * hiddenSize, vocabSize, seqLength, false, true, source);
  }

  /** This model with another default sequence length. */
  public ModelSpec withSeqLength(int seq) {
    return new ModelSpec(name, layers, hiddenSize, attentionHeads, kvHeads, headDim, ffnHiddenSize, vocabSize, seq,
        gatedFfn, tiedEmbeddings, experts, activeExperts, expertFfnHiddenSize, sharedExperts, denseLayers, source);
  }

  public boolean isMoe() {
    return experts > 0;
  }

  /** Layers whose feed-forward block is a mixture of experts. */
  public int moeLayers() {
    return isMoe() ? layers - denseLayers : 0;
  }

  /** Layers whose feed-forward block is dense. */
  public int denseFfnLayers() {
    return layers - moeLayers();
  }

  /** Feed-forward matrices per block: 3 for gated (SwiGLU), 2 otherwise. */
  public int ffnMatrices() {
    return gatedFfn ? 3 : 2;
  }

  /** Q, K, V and O projection weights of one layer. */
  public double attentionParamsPerLayer() {
    double q = (double) attentionHeads * headDim;
    double kv = 2.0 * kvHeads * headDim;
    return (double) hiddenSize * (q + kv) + q * hiddenSize;
  }

  /** Weights of one dense feed-forward block. */
  public double denseFfnParams() {
    return (double) ffnMatrices() * hiddenSize * ffnHiddenSize;
  }

  /** Weights of one expert. */
  public double expertParams() {
    return (double) ffnMatrices() * hiddenSize * expertFfnHiddenSize;
  }

  /** Router weights of one MoE layer. */
  public double routerParams() {
    return (double) hiddenSize * experts;
  }

  /** Weights of the routed experts of all MoE layers (sharded by expert parallelism). */
  public double routedExpertParams() {
    return moeLayers() * experts * expertParams();
  }

  /** Every weight: embeddings, attention, feed-forward, experts, norms. */
  public double parameters() {
    return nonExpertParams() + routedExpertParams();
  }

  /** Weights outside the routed experts (replicated across expert-parallel ranks). */
  public double nonExpertParams() {
    double perLayer = attentionParamsPerLayer() + 2.0 * hiddenSize;
    double ffn = denseFfnLayers() * denseFfnParams()
        + moeLayers() * (sharedExperts * expertParams() + routerParams());
    return layers * perLayer + ffn + embeddingParams() + hiddenSize;
  }

  /** Input embedding plus, if untied, the output layer. */
  public double embeddingParams() {
    return (double) vocabSize * hiddenSize * (tiedEmbeddings ? 1 : 2);
  }

  /** Weights one token passes through: the active experts only. */
  public double activeParameters() {
    return nonExpertParams() + moeLayers() * activeExperts * expertParams();
  }

  /**
   * Weights one token multiplies in matrix products: all active layer weights plus the output layer
   * (the input embedding is a lookup). Model FLOPs are 6 × this per token, plus attention.
   */
  public double matmulParamsPerToken() {
    double ffn = denseFfnLayers() * denseFfnParams()
        + moeLayers() * ((activeExperts + sharedExperts) * expertParams() + routerParams());
    return layers * attentionParamsPerLayer() + ffn + (double) vocabSize * hiddenSize;
  }

  /**
   * Model FLOPs per token for a forward and backward pass at sequence length {@code seq}:
   * 6 × {@link #matmulParamsPerToken()} + 6·l·s·a·d for causal attention (QKᵀ and AV over the
   * s/2 earlier positions on average, forward 2·s·a·d, backward twice that). No recomputation.
   * Megatron-LM's formula counts attention without the causal halving (12·l·s·h); Llama 3's MFU,
   * we find, is consistent with the causal count (see README).
   */
  public double modelFlopsPerToken(int seq) {
    return 6.0 * matmulParamsPerToken() + 6.0 * layers * (double) seq * attentionHeads * headDim;
  }

  private static void positive(String model, String field, int value) {
    if (value <= 0) {
      throw new InputException("model " + model + ": " + field + " must be > 0, got " + value);
    }
  }
}
