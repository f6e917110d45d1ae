package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.input.InputException;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  /**
   * A tiny GPT: 2 layers, hidden 8, 2 heads of 4, FFN 32 (GELU), vocabulary 100, sequence 16.
   *
   * <pre>
   * attention weights per layer: Q 8·8 + K 8·8 + V 8·8 + O 8·8        =   256
   * feed-forward per layer:      2 · 8 · 32                            =   512
   * matmul weights per token:    2 · (256 + 512) + output 100 · 8      = 2,336
   * model FLOPs per token:       6 · 2,336                             = 14,016
   *   + causal attention 6 · l · s · a · d = 6 · 2 · 16 · 2 · 4        =  1,536
   *                                                                    = 15,552
   * parameters: 2 · (256 + 512 + 2 norms · 8) + embedding 800 + final norm 8 = 2,376
   * </pre>
   */
  @Test
  void flopsPerTokenOfATinyModelMatchTheHandCount() {
    ModelSpec tiny = ModelSpec.gpt("tiny", 2, 8, 2, 100, 16, "hand-made");
    assertThat(tiny.matmulParamsPerToken()).isEqualTo(2_336);
    assertThat(tiny.modelFlopsPerToken(16)).isEqualTo(15_552);
    assertThat(tiny.parameters()).isEqualTo(2_376);
  }

  @Test
  void catalogModelsHaveTheirPublishedParameterCounts() {
    // Llama 3 8B: 8,030,261,248 parameters in the released checkpoint.
    assertThat(ModelCatalog.get("llama3-8b").parameters()).isEqualTo(8_030_261_248.0);
    assertThat(ModelCatalog.get("llama3-70b").parameters()).isCloseTo(70.55e9, within(0.01e9));
    assertThat(ModelCatalog.get("llama3-405b").parameters()).isCloseTo(405.85e9, within(0.01e9));
    // Megatron-LM Table 2 lists GPT-3 as 174.6B with the padded vocabulary of 51,200.
    assertThat(ModelCatalog.get("gpt3-175b").parameters()).isCloseTo(174.6e9, within(0.05e9));
    // Mixtral paper: 46.7B parameters, 12.9B active.
    ModelSpec mixtral = ModelCatalog.get("mixtral-8x7b");
    assertThat(mixtral.parameters()).isCloseTo(46.7e9, within(0.05e9));
    assertThat(mixtral.activeParameters()).isCloseTo(12.9e9, within(0.05e9));
    // DeepSeek-V3: 671B, 37B active; MLA is approximated, so within 1% and 15%.
    ModelSpec deepseek = ModelCatalog.get("deepseek-v3");
    assertThat(deepseek.parameters()).isCloseTo(671e9, within(6.71e9));
    assertThat(deepseek.activeParameters()).isCloseTo(37e9, within(5.5e9));
  }

  @Test
  void gqaModelsCountFewerKeyValueWeightsThanMultiHeadOnes() {
    ModelSpec mha = ModelSpec.dense("mha", 1, 4096, 32, 32, 14336, 1000, 8192, true, false, "test");
    ModelSpec gqa = ModelSpec.dense("gqa", 1, 4096, 32, 8, 14336, 1000, 8192, true, false, "test");
    // K and V shrink from 2·4096·4096 to 2·4096·1024.
    assertThat(mha.attentionParamsPerLayer() - gqa.attentionParamsPerLayer()).isEqualTo(2.0 * 4096 * 3072);
  }

  @Test
  void invalidShapesAreRejectedWithTheirValues() {
    assertThatThrownBy(() -> ModelSpec.gpt("odd", 2, 100, 3, 1000, 16, "test"))
        .isInstanceOf(InputException.class)
        .hasMessage("model odd: hidden size (100) must be a multiple of the attention heads (3)");
    assertThatThrownBy(() -> ModelSpec.dense("kv", 2, 64, 8, 3, 256, 1000, 16, false, false, "test"))
        .hasMessage("model kv: attention heads (8) must be a multiple of kv heads (3)");
    assertThatThrownBy(() -> ModelSpec.gpt("none", 0, 64, 8, 1000, 16, "test"))
        .hasMessage("model none: layers must be > 0, got 0");
  }
}
