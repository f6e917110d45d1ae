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
}
