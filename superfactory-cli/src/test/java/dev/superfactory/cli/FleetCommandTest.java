package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetCommandTest {
  @TempDir Path dir;

  @Test
  void fleetShowPrintsTheFairwaterFleetByDefault() {
    CliRun r = CliRun.of("fleet", "show");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("wisconsin", "atlanta", "338,688", "1,130 km", "5.65 ms", "100 Tb/s", "gb300");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void fleetShowJsonIsOneObjectWithTotalsAndSites() throws Exception {
    CliRun r = CliRun.of("fleet", "show", "--json");
    assertThat(r.status()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("totalGpus").asInt()).isEqualTo(338_688);
    assertThat(json.get("sites")).hasSize(2);
    assertThat(json.get("sites").get(0).get("name").asText()).isEqualTo("wisconsin");
    assertThat(json.get("sites").get(0).get("gpus").asInt()).isEqualTo(172_800);
    assertThat(json.get("sites").get(1).get("gpus").asInt()).isEqualTo(165_888);
    assertThat(json.get("wanLinks").get(0).get("latencyMs").asDouble()).isEqualTo(5.65);
  }

  @Test
  void singleSitePresetIsAvailable() {
    CliRun r = CliRun.of("fleet", "show", "--preset", "single-site");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("4,096", "H100");
  }

  @Test
  void badScenarioGivesOneLineAndStatusTwo() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "fleet:\n  sites:\n    - name: x\n      scaleOutBandwidthPerGpu: 400Gbps\n"
        + "      powerCapacityMw: 5\n      blocks:\n        - gpu: h100\n          count: -1\n"
        + "          domainsPerBlock: 2\n          gpusPerDomain: 8\n          domainPower: 10kW\n");
    CliRun r = CliRun.of("fleet", "show", bad.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: " + bad + ":8: fleet.sites[0].blocks[0].count: "
        + "must be a positive whole number, got -1" + System.lineSeparator());
    assertThat(r.out()).isEmpty();
  }

  @Test
  void debugShowsTheStackTrace() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "fleet:\n  sitez: []\n");
    CliRun r = CliRun.of("fleet", "show", bad.toString(), "--debug");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key 'sitez'", "did you mean 'sites'?", "at dev.superfactory");
  }

  @Test
  void missingFileIsAUserError() {
    CliRun r = CliRun.of("fleet", "show", dir.resolve("nope.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml: no such file").doesNotContain("Exception");
  }

  @Test
  void unknownOptionIsAUserError() {
    CliRun r = CliRun.of("fleet", "show", "--jsno");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--jsno");
  }

  @Test
  void unknownPresetIsAUserError() {
    CliRun r = CliRun.of("fleet", "show", "--preset", "fairweather");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("did you mean 'fairwater'?");
  }

  @Test
  void versionAndHelpWork() {
    assertThat(CliRun.of("--version").out()).startsWith("superfactory ");
    CliRun help = CliRun.of("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("fleet", "presets", "scenario");
    assertThat(CliRun.of("fleet", "show", "--help").out()).contains("--json", "--preset");
  }

  /**
   * picocli formats usage text with String.format: a bare '%' makes it fall back to the raw text
   * and print a warning. Every '%' in every command's descriptions, footers and option
   * descriptions must be '%%' or '%n'; and every command's --help must work.
   */
  @Test
  void everyCommandHasWellFormedHelp() {
    java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
    todo.add(new picocli.CommandLine(new Main()));
    int seen = 0;
    while (!todo.isEmpty()) {
      picocli.CommandLine cl = todo.poll();
      todo.addAll(cl.getSubcommands().values());
      picocli.CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
      java.util.List<String> texts = new java.util.ArrayList<>();
      texts.addAll(java.util.List.of(spec.usageMessage().description()));
      texts.addAll(java.util.List.of(spec.usageMessage().footer()));
      spec.options().forEach(o -> texts.addAll(java.util.List.of(o.description())));
      for (String t : texts) {
        assertThat(t.replace("%%", "").replace("%n", "")).as(spec.qualifiedName() + ": " + t).doesNotContain("%");
      }
      if (!spec.name().equals("help")) {
        String[] args = (spec.qualifiedName().replaceFirst("^superfactory ?", "") + " --help").trim().split(" ");
        CliRun r = CliRun.of(args);
        assertThat(r.status()).as(spec.qualifiedName()).isZero();
        assertThat(r.out()).as(spec.qualifiedName()).startsWith("Usage: " + spec.qualifiedName());
      }
      seen++;
    }
    assertThat(seen).isGreaterThanOrEqualTo(12);
  }

  @Test
  void presetsListsBothBuiltIns() {
    CliRun r = CliRun.of("presets");
    assertThat(r.out()).contains("fairwater", "single-site");
  }
}
