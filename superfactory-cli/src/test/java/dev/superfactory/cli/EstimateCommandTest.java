package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private static JsonNode json(String... args) throws Exception {
    CliRun r = CliRun.of(args);
    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void jsonHasTheKeysOtherToolsRelyOnWithSaneValues() throws Exception {
    JsonNode j = json("estimate", "--model", "llama3-70b", "--gpu", "h100", "--gpus", "1024", "--global-batch", "512",
        "--json");
    double step = j.get("stepTimeSeconds").asDouble();
    assertThat(step).isBetween(0.5, 60.0);
    JsonNode setup = j.get("setup");
    double tokensPerStep = setup.get("globalBatchSequences").asDouble() * setup.get("seqLength").asDouble();
    assertThat(j.get("tokensPerSecond").asDouble() * step).isCloseTo(tokensPerStep, within(tokensPerStep * 1e-4));
    assertThat(j.get("mfu").asDouble()).isBetween(0.2, 0.7);
    assertThat(j.get("tflopsPerGpu").asDouble()).isCloseTo(j.get("mfu").asDouble() * 989, within(0.5));
    assertThat(j.get("memoryPerGpuGiB").asDouble()).isBetween(1.0, 80e9 / (1L << 30));
    JsonNode p = j.get("parallelism");
    assertThat(p.get("tp").asInt() * p.get("pp").asInt() * p.get("dp").asInt() * p.get("cp").asInt())
        .isEqualTo(j.get("gpus").asInt()).isLessThanOrEqualTo(1024);
    assertThat(p.has("ep")).isTrue();
    double parts = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = j.get("breakdown").fields(); it.hasNext(); ) {
      parts += it.next().getValue().asDouble();
    }
    assertThat(parts).isCloseTo(step, within(1e-4));
    assertThat(j.get("alternatives")).hasSize(4);
    assertThat(j.get("crossSite").get("sync").get("wanBandwidthNeededGbps").asDouble())
        .isGreaterThan(j.get("crossSite").get("diloco:100").get("wanBandwidthNeededGbps").asDouble());
    assertThat(j.has("reliability")).isFalse();
  }

  @Test
  void daysAddTheReliabilityOneLiner() throws Exception {
    JsonNode r = json("estimate", "--model", "llama3-405b", "--gpus", "16384", "--days", "54", "--json")
        .get("reliability");
    assertThat(r.get("interruptionsPerDay").asDouble()).isCloseTo(466.0 / 54, within(1e-3));
    assertThat(r.get("checkpointIntervalMinutes").asDouble()).isBetween(1.0, 60.0);
    assertThat(r.get("effectiveTrainingTimeRatio").asDouble()).isBetween(0.9, 1.0);
  }

  /** 1,024 A100 at a100-research's 2.7883e-3 per GPU-day: 2.855 unexpected a day, MTBF 8.41 h (H100-era: 49.5 h). */
  @Test
  void anA100JobUsesTheA100ResearchProfileAndSaysSo() throws Exception {
    JsonNode r = json("estimate", "--model", "llama3-8b", "--gpu", "a100", "--gpus", "1024", "--days", "30", "--json")
        .get("reliability");
    assertThat(r.get("failureProfile").asText()).isEqualTo("a100-research");
    assertThat(r.get("unexpectedInterruptionsPerDay").asDouble()).isCloseTo(2.855, within(1e-3));
    assertThat(r.get("mtbfHours").asDouble()).isCloseTo(8.41, within(0.01));
    assertThat(r.get("source").asText()).contains("arXiv 2410.21680");
    CliRun text = CliRun.of("estimate", "--model", "llama3-8b", "--gpu", "a100", "--gpus", "1024", "--days", "30");
    assertThat(text.out()).contains("Failure rates: profile a100-research (Meta RSC-1 job MTTF at 8 and 1,024 A100,"
        + " arXiv 2410.21680 Fig. 7), A100-era rates." + NL);
  }

  @Test
  void aGb200JobUsesH100EraRatesAsAStatedAssumptionUnlessAProfileIsGiven() throws Exception {
    JsonNode r = json("estimate", "--model", "llama3-8b", "--gpu", "gb200", "--gpus", "1024", "--days", "30",
        "--json").get("reliability");
    assertThat(r.get("failureProfile").asText()).isEqualTo("h100-production");
    assertThat(r.get("failureProfileReason").asText()).startsWith("ASSUMPTION: H100-era rates for gb200");
    JsonNode given = json("estimate", "--model", "llama3-8b", "--gpu", "gb200", "--gpus", "1024", "--days", "30",
        "--failure-profile", "a100-production", "--json").get("reliability");
    assertThat(given.get("failureProfile").asText()).isEqualTo("a100-production");
    CliRun bad = CliRun.of("estimate", "--model", "llama3-8b", "--gpus", "8", "--days", "3", "--failure-profile", "x");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("superfactory: unknown failure profile 'x' (known: h100-production, "
        + "a100-production, a100-research)" + NL);
  }

  @Test
  void failureRatesListsEveryProfileAndEveryPublishedFigureWithItsFit() {
    CliRun r = CliRun.of("failure-rates");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("a100-research    A100  shared research cluster    2.788e-03                22.31")
        .contains("Meta RSC-1, job MTTF at 1,024 GPUs                 A100   1,024      7.9 h   8.4 h  +6.4%")
        .contains("gb200  h100-production (ASSUMPTION: H100-era rates for gb200 until published data exists)")
        .contains("Dubey et al. 2024, arXiv 2407.21783, section 3.3.4, Table 5");
  }

  @Test
  void givenDegreesAreKeptAndTheRestSearched() throws Exception {
    JsonNode p = json("estimate", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--json")
        .get("parallelism");
    assertThat(p.get("tp").asInt()).isEqualTo(8);
    assertThat(p.get("pp").asInt()).isEqualTo(4);
  }

  @Test
  void crossSiteJobsReportTheirWanTimeAndStrategy() throws Exception {
    JsonNode j = json("estimate", "--model", "llama3-70b", "--gpus", "1024", "--sites", "2", "--wan-bandwidth",
        "10Tbps", "--wan-distance", "1130km", "--strategy", "diloco:100", "--json");
    assertThat(j.get("sites").asInt()).isEqualTo(2);
    assertThat(j.get("strategy").asText()).isEqualTo("diloco:100");
    assertThat(j.get("setup").get("wanLatencyMs").asDouble()).isEqualTo(5.65);
    assertThat(j.get("breakdown").get("wanSeconds").asDouble()).isPositive();
  }

  @Test
  void theTableShowsLayoutBreakdownAlternativesWanAndTrainingTime() {
    CliRun r = CliRun.of("estimate", "--model", "llama3-70b", "--gpus", "1024", "--global-batch", "512",
        "--tokens", "15T", "--days", "30");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("llama3-70b (70.6B parameters) on 1,024 h100 GPUs", "layout", "step time",
        "tokens/s", "MFU", "memory per GPU", "Where the time goes", "matmul", "tensorParallel", "Next-best layouts",
        "WAN bandwidth to keep 95% of single-site throughput", "sync", "diloco:100", "Training on 15T tokens",
        "days", "Reliability over 30 days", "effective training time");
  }

  @Test
  void anInlineModelAndAModelFileWork() throws Exception {
    JsonNode inline = json("estimate", "--layers", "24", "--hidden", "2048", "--heads", "16", "--seq-len", "2048",
        "--gpus", "64", "--json");
    assertThat(inline.get("model").asText()).isEqualTo("custom-24L-2048H");
    Path f = dir.resolve("m.yaml");
    Files.writeString(f, "name: my-13b\nlayers: 40\nhiddenSize: 5120\nheads: 40\nffnHiddenSize: 13824\n"
        + "vocabSize: 32000\nseqLength: 4096\ngatedFfn: true\n");
    JsonNode file = json("estimate", "--model-file", f.toString(), "--gpus", "128", "--json");
    assertThat(file.get("model").asText()).isEqualTo("my-13b");
    assertThat(file.get("setup").get("seqLength").asInt()).isEqualTo(4096);
  }

  @Test
  void anUnknownModelIsOneLineWithTheNearestNameAndStatusTwo() {
    CliRun r = CliRun.of("estimate", "--model", "llama3-7b", "--gpus", "8");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: unknown model 'llama3-7b'; did you mean 'llama3-8b'? (known: "
        + "gpt3-175b, llama3-8b, llama3-70b, llama3-405b, mixtral-8x7b, deepseek-v3)" + NL);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aTpThatDoesNotDivideTheHeadsIsOneLine() {
    CliRun r = CliRun.of("estimate", "--model", "llama3-70b", "--gpus", "64", "--tp", "3");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: tp=3 does not divide the 64 attention heads of llama3-70b" + NL);
  }

  @Test
  void aLayoutThatDoesNotFitSaysByHowMuch() {
    CliRun r = CliRun.of("estimate", "--model", "llama3-405b", "--gpus", "8", "--tp", "8");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("superfactory: llama3-405b with TP8 PP1 DP1 (recompute full, sharding zero1) needs ")
        .contains("GiB more than the 70.8 GiB usable on h100").endsWith(NL);
    assertThat(r.err().split("\\R")).hasSize(1);
    CliRun searched = CliRun.of("estimate", "--model", "llama3-405b", "--gpus", "8");
    assertThat(searched.status()).isEqualTo(2);
    assertThat(searched.err()).contains("no parallel layout of 8 h100 GPUs fits llama3-405b", "756.0 GiB per GPU",
        "70.8 GiB usable");
  }

  @Test
  void otherBadInputIsOneLineAndStatusTwo() throws Exception {
    String[][] cases = {
      {"--model", "llama3-70b", "--gpus", "64", "--tp", "16"},
      {"--model", "llama3-70b", "--gpus", "64", "--strategy", "dilocco:3"},
      {"--model", "llama3-70b", "--gpus", "64", "--sites", "2"},
      {"--model", "llama3-70b", "--gpus", "64", "--precision", "fp4"},
      {"--model", "llama3-70b", "--gpus", "64", "--wan-bandwidth", "fast", "--sites", "2"},
      {"--model", "llama3-70b", "--gpu", "h1000", "--gpus", "64"},
      {"--gpus", "64"},
      {"--model", "llama3-70b", "--gpus", "0"},
    };
    String[] expected = {
      "tp=16 exceeds the scale-up domain (8 GPUs)",
      "unknown strategy 'dilocco:3' (known: sync, diloco:H such as diloco:100)",
      "--sites 2 needs --wan-bandwidth, e.g. --wan-bandwidth 10Tbps",
      "unknown precision 'fp4' (known: bf16, fp8)",
      "--wan-bandwidth: expected a bandwidth such as 800Gbps, 400GB/s or 10Tbps, got 'fast'",
      "unknown GPU model 'h1000'; did you mean 'h100'?",
      "give exactly one of --model NAME, --model-file FILE, or --layers, --hidden and --heads",
      "--gpus: must be greater than 0, got 0 (see 'superfactory estimate --help')",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 1];
      args[0] = "estimate";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      CliRun r = CliRun.of(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).startsWith("superfactory: " + expected[i]).endsWith(NL);
      assertThat(r.err().split("\\R")).as(String.join(" ", args)).hasSize(1);
    }
  }

  @Test
  void helpListsTheCommandAndItsOptions() {
    assertThat(CliRun.of("--help").out()).contains("estimate");
    assertThat(CliRun.of("estimate", "--help").out()).contains("--model", "--gpus", "--strategy", "--days",
        "llama3-405b");
  }

  /** The bubble line and the breakdown's pipelineBubble row print the same share of the step time. */
  @Test
  void theBubbleLineEqualsTheBreakdownsPipelineBubbleShare() {
    String out = CliRun.of("estimate", "--model", "llama3-70b", "--gpu", "h100", "--gpus", "1024", "--global-batch",
        "512").out();
    java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^pipeline bubble +(\\S+%) of the step")
        .matcher(out);
    java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^pipelineBubble +\\S+ +(\\S+%)$").matcher(out);
    assertThat(line.find()).as(out).isTrue();
    assertThat(row.find()).as(out).isTrue();
    assertThat(line.group(1)).isEqualTo(row.group(1));
  }

  /** Hardware TFLOP/s say what they count from the recomputation actually used, not a fixed phrase. */
  @Test
  void theHardwareFlopsWordingFollowsTheRecomputationUsed() throws Exception {
    JsonNode none = json("estimate", "--model", "llama3-8b", "--gpus", "64", "--recompute", "none", "--json");
    assertThat(none.get("setup").get("recompute").asText()).isEqualTo("none");
    assertThat(CliRun.of("estimate", "--model", "llama3-8b", "--gpus", "64", "--recompute", "none").out())
        .contains("hardware (no recomputation)").doesNotContain("with recomputation");
    assertThat(CliRun.of("estimate", "--model", "llama3-8b", "--gpus", "64", "--recompute", "full").out())
        .contains("hardware (with full recomputation)");
  }

  /** A list of GPU counts prints the strong-scaling curve at the fixed global batch; MFU falls along it. */
  @Test
  void aListOfGpuCountsGivesTheStrongScalingCurve() throws Exception {
    JsonNode j = json("estimate", "--model", "gpt3-175b", "--gpu", "a100", "--gpus", "3072,6144,12288",
        "--global-batch", "6144", "--tp", "8", "--pp", "8", "--json");
    JsonNode curve = j.get("curve");
    assertThat(curve).hasSize(3);
    double previousMfu = 1;
    for (JsonNode point : curve) {
      double mfu = point.get("mfu").asDouble();
      assertThat(mfu).isLessThan(previousMfu);
      previousMfu = mfu;
      double shares = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = point.get("shares").fields(); it.hasNext(); ) {
        shares += it.next().getValue().asDouble();
      }
      assertThat(shares).isCloseTo(1.0, within(1e-3));
    }
    assertThat(curve.get(0).get("gpus").asInt()).isEqualTo(3072);
    assertThat(curve.get(2).get("shares").get("pipelineBubble").asDouble())
        .isGreaterThan(curve.get(0).get("shares").get("pipelineBubble").asDouble());
    CliRun text = CliRun.of("estimate", "--model", "gpt3-175b", "--gpu", "a100", "--gpus", "3072,12288",
        "--global-batch", "6144", "--tp", "8", "--pp", "8");
    assertThat(text.out()).contains("at a fixed global batch of 6,144 sequences", "straggler", "stepOverhead",
        "12,288  TP8 PP8");
  }

  @Test
  void aBadGpuListIsOneLineNamingTheOption() {
    CliRun r = CliRun.of("estimate", "--model", "gpt3-175b", "--gpus", "1024,abc");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: --gpus: 'abc' is not a whole number (give N or N,N,..., e.g."
        + " 3072,6144,12288)" + NL);
    CliRun down = CliRun.of("estimate", "--model", "gpt3-175b", "--gpus", "2048,1024");
    assertThat(down.status()).isEqualTo(2);
    assertThat(down.err()).contains("--gpus: counts must increase, got 1024 after 2048");
  }
}
