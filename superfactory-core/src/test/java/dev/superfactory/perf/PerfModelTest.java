package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfModelTest {
  private static final PerfModel MODEL = new PerfModel();
  private static final Hardware A100 = Hardware.of(GpuCatalog.builtIn().get("a100"), 8, 25e9);
  private static final Hardware H100 = Hardware.defaults(GpuCatalog.builtIn().get("h100"));
  private static final ModelSpec GPT3 = ModelSpec.gpt("gpt3", 96, 12288, 96, 51200, 2048, "GPT-3 175B");

  private static TrainingSetup megatron(int batch) {
    return new TrainingSetup(2048, batch, 1, Precision.BF16, 0, Recompute.FULL, OptimizerSharding.NONE, false,
        CrossSiteStrategy.sync());
  }

  /**
   * GPT-3 175B, TP 8 × PP 8 × DP 16, full recomputation, no optimizer sharding, batch 1,536.
   *
   * <pre>
   * weights per layer: 4h² + 2·h·4h·... = 603,979,776 + 1,207,959,552 + norms 24,576 = 1,811,963,904
   * all layers + final norm: 96 · 1,811,963,904 + 12,288                     = 173,948,547,072
   * first stage: / pp 8 = 21,743,568,384, + embedding 51,200 · 12,288         =  22,372,713,984
   * per GPU: / tp 8                                                          =   2,796,589,248
   * weights 2 B + gradients 2 B + Adam 12 B = 16 B per parameter             =  44,745,427,968
   * activations, full recomputation: each layer keeps its input, h · 2 B · 2,048 tokens / tp 8
   *   = 6,291,456 B; the first stage holds 12 layers for min(m = 96, pp = 8) micro-batches
   *   = 96 · 6,291,456                                                       =     603,979,776
   * total                                                                    =  45,349,407,744
   * </pre>
   */
  @Test
  void memoryPerGpuOfGpt3OnAThousandA100sMatchesTheHandCount() {
    Estimate e = MODEL.estimate(GPT3, megatron(1536), A100, Parallelism.of(8, 8, 16, 1, 1));
    MemoryUse m = e.memory();
    assertThat(m.weightsBytes()).isEqualTo(2 * 2_796_589_248.0);
    assertThat(m.gradientsBytes()).isEqualTo(2 * 2_796_589_248.0);
    assertThat(m.optimizerBytes()).isEqualTo(12 * 2_796_589_248.0);
    assertThat(m.activationsBytes()).isEqualTo(603_979_776.0);
    assertThat(e.memoryPerGpuBytes()).isEqualTo(45_349_407_744.0);
  }

  @Test
  void zeroOneShardsTheOptimizerStateOverTheDataParallelRanks() {
    TrainingSetup zero1 = megatron(1536).withSharding(OptimizerSharding.ZERO1);
    Estimate e = MODEL.estimate(GPT3, zero1, A100, Parallelism.of(8, 8, 16, 1, 1));
    assertThat(e.memory().optimizerBytes()).isEqualTo(12 * 2_796_589_248.0 / 16);
  }

  /**
   * Interleaved 1F1B: bubble = (p − 1) / (m · v) = 3 / (16 · 2) = 0.09375 of the pipelined work; the
   * reported fraction is its share of the whole step (the one definition printed everywhere).
   */
  @Test
  void pipelineBubbleIsPMinusOneOverMicroBatchesTimesVirtualStages() {
    TrainingSetup s = megatron(256).withSharding(OptimizerSharding.ZERO1);
    Estimate e = MODEL.estimate(GPT3, s, A100, new Parallelism(8, 4, 16, 1, 1, 2));
    assertThat(e.microBatches()).isEqualTo(16);
    Breakdown b = e.breakdown();
    double work = b.matmulSeconds() + b.attentionSeconds() + b.memoryBoundSeconds() + b.recomputeSeconds()
        + b.tensorParallelSeconds() + b.contextParallelSeconds() + b.expertParallelSeconds()
        + b.pipelineTransferSeconds();
    assertThat(b.pipelineBubbleSeconds()).isCloseTo(work * 3.0 / 32, within(1e-12 * work));
    assertThat(e.bubbleFraction()).isEqualTo(b.pipelineBubbleSeconds() / e.stepTimeSeconds());
  }

  @Test
  void moreInterleavingShrinksTheBubble() {
    TrainingSetup s = megatron(256).withSharding(OptimizerSharding.ZERO1);
    Estimate v1 = MODEL.estimate(GPT3, s, A100, new Parallelism(8, 4, 16, 1, 1, 1));
    Estimate v4 = MODEL.estimate(GPT3, s, A100, new Parallelism(8, 4, 16, 1, 1, 4));
    assertThat(v1.bubbleFraction()).isEqualTo(v1.breakdown().pipelineBubbleSeconds() / v1.stepTimeSeconds());
    assertThat(v4.bubbleFraction()).isLessThan(v1.bubbleFraction() / 3);
    assertThat(v4.breakdown().pipelineBubbleSeconds()).isLessThan(v1.breakdown().pipelineBubbleSeconds());
  }

  @Test
  void theBreakdownAddsUpToTheStepTimeAndTheRatesAreConsistent() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    TrainingSetup s = TrainingSetup.defaults(m).withRecompute(Recompute.SELECTIVE);
    Estimate e = MODEL.estimate(m, s, H100, new Parallelism(8, 4, 32, 1, 1, 2));
    assertThat(e.breakdown().totalSeconds()).isCloseTo(e.stepTimeSeconds(), within(1e-12));
    assertThat(e.tokensPerSecond() * e.stepTimeSeconds()).isCloseTo(512.0 * 8192, within(1e-6));
    assertThat(e.tflopsPerGpu() * 1e12).isCloseTo(e.mfu() * 989e12, within(1e-3));
    assertThat(e.mfu()).isBetween(0.2, 0.7);
    // Selective recomputation executes the attention core's forward pass a second time.
    assertThat(e.hardwareFlopsPerStep()).isGreaterThan(e.modelFlopsPerStep());
  }

  @Test
  void fp8IsFasterButLessThanTwiceAsFast() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    TrainingSetup bf16 = TrainingSetup.defaults(m).withRecompute(Recompute.SELECTIVE);
    Parallelism layout = new Parallelism(8, 4, 32, 1, 1, 2);
    double slow = MODEL.estimate(m, bf16, H100, layout).tokensPerSecond();
    double fast = MODEL.estimate(m, bf16.withPrecision(Precision.FP8), H100, layout).tokensPerSecond();
    assertThat(fast / slow).isBetween(1.1, 1.9);
  }

  @Test
  void largerGemmsRunCloserToPeak() {
    StepModel step = new StepModel(Calibration.standard(), GPT3, megatron(1536), A100, Parallelism.of(8, 8, 16, 1, 1));
    double small = 2.0 * 2048 * 768 * 768 / step.gemmSeconds(2048, 768, 768);
    double large = 2.0 * 8192 * 8192 * 8192 / step.gemmSeconds(8192, 8192, 8192);
    assertThat(small).isLessThan(large);
    // Efficiency of an 8192³ BF16 GEMM on A100: I = 2·8192³ / (2·3·8192²) = 2731 FLOP/B, ridge 153:
    // 0.80 · 2731 / (2731 + 2 · 153) = 0.719.
    assertThat(large / 312e12).isCloseTo(0.80 * 2730.67 / (2730.67 + 2 * 312e12 / 2.039e12), within(1e-3));
  }

  @Test
  void invalidLayoutsAreRejectedWithTheOffendingValues() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    TrainingSetup s = TrainingSetup.defaults(m);
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(16, 1, 4, 1, 1)))
        .isInstanceOf(InputException.class).hasMessage("tp=16 exceeds the scale-up domain (8 GPUs)");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(3, 1, 4, 1, 1)))
        .hasMessage("tp=3 does not divide the 64 attention heads of llama3-70b");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(8, 81, 1, 1, 1)))
        .hasMessage("pp=81 exceeds the 80 layers of llama3-70b");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(8, 1, 1024, 1, 1)))
        .hasMessage("dp=1024 × micro-batch 1 exceeds the global batch of 512 sequences");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(8, 1, 4, 1, 2)))
        .hasMessage("ep=2 needs a mixture-of-experts model; llama3-70b is dense");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, new Parallelism(8, 8, 128, 1, 1, 2)))
        .hasMessage("interleaving needs at least pp=8 micro-batches per step, got 4 (global batch 512 / (dp 128 × "
            + "micro-batch 1))");
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100.withSites(2, 1e12, 0.005), Parallelism.of(8, 1, 3, 1, 1)))
        .hasMessage("dp=3 does not split evenly over 2 sites");
    assertThatThrownBy(() -> Parallelism.of(8, 1, 0, 1, 1))
        .hasMessage("parallel degrees must all be >= 1, got tp=8 pp=1 dp=0 cp=1 ep=1 virtual stages=1");
  }

  @Test
  void aLayoutThatDoesNotFitSaysByHowMuch() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    TrainingSetup s = TrainingSetup.defaults(m).withSharding(OptimizerSharding.NONE);
    assertThatThrownBy(() -> MODEL.estimate(m, s, H100, Parallelism.of(8, 1, 8, 1, 1)))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("llama3-70b with TP8 PP1 DP8 (recompute none, sharding none) needs ")
        .hasMessageContaining(
            "GiB more than the 70.8 GiB usable on h100 (weights 16.4, gradients 16.4, optimizer 98.6");
  }

  @Test
  void searchFindsALayoutThatFitsAndUsesTheRequestedGpus() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    List<Estimate> found = MODEL.search(m, TrainingSetup.defaults(m), H100, 1024, 5);
    assertThat(found).hasSize(5);
    for (Estimate e : found) {
      assertThat(e.memory().fits()).isTrue();
      assertThat(e.gpus()).isEqualTo(1024);
    }
    assertThat(found).isSortedAccordingTo((a, b) -> Double.compare(b.tokensPerSecond(), a.tokensPerSecond()));
  }

  @Test
  void searchRaisesRecomputationOnlyWhenMemoryRequiresIt() {
    ModelSpec m = ModelCatalog.get("llama3-8b");
    Estimate roomy = MODEL.search(m, TrainingSetup.defaults(m), Hardware.defaults(GpuCatalog.builtIn().get("gb200")),
        64, 1).get(0);
    assertThat(roomy.setup().recompute()).isEqualTo(Recompute.NONE);
    // Llama 3 405B with its published 8K layout (TP 8, PP 16, DP 64) keeps too many activations otherwise.
    ModelSpec big = ModelCatalog.get("llama3-405b");
    Estimate tight = MODEL.search(big, TrainingSetup.defaults(big).withGlobalBatch(2048), H100, 8192, 1,
        SearchConstraints.of(8, 16, 64, 1, 1)).get(0);
    assertThat(tight.setup().recompute()).isEqualTo(Recompute.SELECTIVE);
    assertThatThrownBy(() -> MODEL.estimate(big, TrainingSetup.defaults(big).withGlobalBatch(2048), H100,
        tight.parallelism())).hasMessageContaining("GiB more than");
  }

  @Test
  void searchIsEmptyWhenNothingFits() {
    ModelSpec m = ModelCatalog.get("llama3-405b");
    assertThat(MODEL.search(m, TrainingSetup.defaults(m), H100, 8, 3)).isEmpty();
  }

  @Test
  void searchKeepsTheDegreesItIsGiven() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    List<Estimate> found = MODEL.search(m, TrainingSetup.defaults(m), H100, 1024, 3,
        SearchConstraints.any().withTp(8).withPp(4));
    assertThat(found).isNotEmpty().allSatisfy(e -> {
      assertThat(e.parallelism().tp()).isEqualTo(8);
      assertThat(e.parallelism().pp()).isEqualTo(4);
    });
  }

  @Test
  void searchSpreadsExpertsOverDataParallelRanksForMoe() {
    ModelSpec m = ModelCatalog.get("mixtral-8x7b");
    Estimate best = MODEL.search(m, TrainingSetup.defaults(m), H100, 256, 1).get(0);
    assertThat(best.parallelism().ep()).isGreaterThan(1);
    assertThat(best.breakdown().expertParallelSeconds()).isPositive();
  }

  @Test
  void withoutFlashAttentionTheScoresCostTimeAndMemory() {
    ModelSpec m = ModelCatalog.get("llama3-8b");
    TrainingSetup flash = TrainingSetup.defaults(m).withRecompute(Recompute.SELECTIVE);
    Parallelism layout = Parallelism.of(8, 1, 64, 1, 1);
    Estimate fused = MODEL.estimate(m, flash, H100, layout);
    Estimate unfused = MODEL.estimate(m, flash.withFlashAttention(false), H100, layout);
    assertThat(unfused.breakdown().attentionSeconds()).isGreaterThan(2 * fused.breakdown().attentionSeconds());
    assertThat(unfused.tokensPerSecond()).isLessThan(fused.tokensPerSecond());
  }
}
