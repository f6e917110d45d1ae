package dev.superfactory.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.input.InputException;
import dev.superfactory.input.YamlDocuments;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
  private static final String VALID = String.join("\n",
      "name: tiny",                                  // 1
      "fleet:",                                      // 2
      "  sites:",                                    // 3
      "    - name: east",                            // 4
      "      scaleOutBandwidthPerGpu: 400Gbps",      // 5
      "      powerCapacityMw: 10",                   // 6
      "      blocks:",                               // 7
      "        - gpu: h100",                         // 8
      "          count: 2",                          // 9
      "          domainsPerBlock: 4",                // 10
      "          gpusPerDomain: 8",                  // 11
      "          domainPower: 10kW",                 // 12
      "    - name: west",                            // 13
      "      scaleOutBandwidthPerGpu: 400Gbps",      // 14
      "      powerCapacityMw: 10",                   // 15
      "      blocks:",                               // 16
      "        - gpu: a100",                         // 17
      "          count: 1",                          // 18
      "          domainsPerBlock: 2",                // 19
      "          gpusPerDomain: 8",                  // 20
      "          domainPower: 6.5kW",                // 21
      "  wan:",                                      // 22
      "    - between: [east, west]",                 // 23
      "      distance: 1000km",                      // 24
      "      bandwidth: 10Tbps",                     // 25
      "tenants:",                                    // 26
      "  - name: lab",                               // 27
      "    gpuLimit: 64",                            // 28
      "");

  private static Scenario parse(String yaml) {
    return ScenarioReader.read(YamlDocuments.parse(yaml, "test.yaml"), "test.yaml");
  }

  private static String replaceLine(int line, String text) {
    String[] lines = VALID.split("\n", -1);
    lines[line - 1] = text;
    return String.join("\n", lines);
  }

  @Test
  void validScenarioBuildsTheFleet() {
    Scenario s = parse(VALID);
    Fleet f = s.fleet();
    assertThat(s.name()).isEqualTo("tiny");
    assertThat(f.totalGpus()).isEqualTo(2 * 4 * 8 + 2 * 8);
    assertThat(f.siteCount()).isEqualTo(2);
    assertThat(f.blockCount()).isEqualTo(3);
    assertThat(f.domainCount()).isEqualTo(10);
    assertThat(f.group(0).name()).isEqualTo("east-h100");
    assertThat(f.wanRoute(0, 1).latencySeconds()).isCloseTo(0.005, within(1e-12));
    assertThat(s.tenants()).singleElement().satisfies(t -> assertThat(t.gpuLimit()).isEqualTo(64));
  }

  @Test
  void unknownKeyNamesTheNearestKnownKey() {
    assertThatThrownBy(() -> parse(replaceLine(10, "          domainsPerBlok: 4")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("test.yaml:10: fleet.sites[0].blocks[0].domainsPerBlok: unknown key")
        .hasMessageContaining("did you mean 'domainsPerBlock'?");
  }

  @Test
  void negativeCountIsRejectedAtItsLine() {
    assertThatThrownBy(() -> parse(replaceLine(9, "          count: -3")))
        .isInstanceOf(InputException.class)
        .hasMessage("test.yaml:9: fleet.sites[0].blocks[0].count: must be a positive whole number, got -3");
  }

  @Test
  void zeroGpusPerDomainIsRejected() {
    assertThatThrownBy(() -> parse(replaceLine(11, "          gpusPerDomain: 0")))
        .hasMessage("test.yaml:11: fleet.sites[0].blocks[0].gpusPerDomain: must be a positive whole number, got 0");
  }

  @Test
  void wanLinkToUnknownSiteListsTheSites() {
    assertThatThrownBy(() -> parse(replaceLine(23, "    - between: [east, wset]")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("test.yaml:23: fleet.wan[0].between[1]: names site 'wset' which does not exist")
        .hasMessageContaining("did you mean 'west'?")
        .hasMessageContaining("(sites: east, west)");
  }

  @Test
  void unknownGpuModelListsTheKnownOnes() {
    assertThatThrownBy(() -> parse(replaceLine(8, "        - gpu: h1000")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("test.yaml:8: fleet.sites[0].blocks[0].gpu: unknown GPU model 'h1000'")
        .hasMessageContaining("known: a100, h100, h200, b200, gb200, gb300");
  }

  @Test
  void duplicateSiteNameIsRejectedAtTheSecond() {
    assertThatThrownBy(() -> parse(replaceLine(13, "    - name: east")))
        .isInstanceOf(InputException.class)
        .hasMessage("test.yaml:13: fleet.sites[1].name: duplicate site name 'east' (first defined at line 4)");
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    assertThatThrownBy(() -> parse(replaceLine(9, "          count: many")))
        .hasMessage("test.yaml:9: fleet.sites[0].blocks[0].count: must be a whole number, got 'many'");
  }

  @Test
  void badUnitNamesTheField() {
    assertThatThrownBy(() -> parse(replaceLine(25, "      bandwidth: 10 parsecs")))
        .hasMessageStartingWith("test.yaml:25: fleet.wan[0].bandwidth: ");
  }

  @Test
  void missingRequiredFieldIsNamed() {
    assertThatThrownBy(() -> parse(replaceLine(12, "")))
        .hasMessage("test.yaml:8: fleet.sites[0].blocks[0].domainPower: is required but missing");
  }

  @Test
  void powerBeyondCapacityIsRejected() {
    assertThatThrownBy(() -> parse(replaceLine(6, "      powerCapacityMw: 0.05")))
        .hasMessageStartingWith("test.yaml:6: fleet.sites[0].powerCapacityMw: the site's racks draw 0.1 MW");
  }

  @Test
  void duplicateYamlKeyIsAnError() {
    assertThatThrownBy(() -> parse(replaceLine(10, "          count: 4")))
        .hasMessageStartingWith("test.yaml:10: fleet.sites[0].blocks[0].count: duplicate key");
  }

  @Test
  void malformedYamlNamesTheLine() {
    assertThatThrownBy(() -> parse(replaceLine(9, "          count: [2")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("test.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void customGpuModelCanBeAddedAndUsed() {
    String yaml = "gpus:\n"
        + "  - {name: x1, bf16Tflops: 100, hbmGB: 32, hbmBandwidth: 1TB/s, scaleUpBandwidth: 100GB/s, tdpWatts: 300}\n"
        + VALID.replace("gpu: a100", "gpu: x1");
    Scenario s = parse(yaml);
    assertThat(s.fleet().group(1).gpu().name()).isEqualTo("x1");
    assertThat(s.fleet().group(1).gpu().peakFlops(true)).isEqualTo(100e12);
  }

  @Test
  void everyPresetLoadsAndItsTextLoadsBackUnchanged() {
    for (String name : Presets.names()) {
      Scenario preset = Presets.load(name);
      Scenario copy = ScenarioReader.read(YamlDocuments.parse(Presets.text(name), name + ".yaml"), name + ".yaml");
      assertThat(copy.fleet().totalGpus()).isEqualTo(preset.fleet().totalGpus());
      assertThat(copy.fleet().sites()).isEqualTo(preset.fleet().sites());
      assertThat(copy.fleet().wanLinks()).isEqualTo(preset.fleet().wanLinks());
      assertThat(copy.tenants()).isEqualTo(preset.tenants());
      assertThat(copy.name()).isEqualTo(preset.name());
    }
  }

  @Test
  void fairwaterHasTwoSitesAbout1130KmApartWithHundredsOfThousandsOfGpus() {
    Scenario s = Presets.load("fairwater");
    assertThat(s.fleet().sites()).extracting(x -> x.name()).containsExactly("wisconsin", "atlanta");
    assertThat(s.fleet().totalGpus()).isBetween(200_000, 999_999);
    assertThat(s.fleet().wanLinks()).singleElement().satisfies(l -> {
      assertThat(l.distanceKm()).isEqualTo(1130.0);
      assertThat(l.latencySeconds()).isCloseTo(0.00565, within(1e-9));
    });
    assertThat(s.fleet().groups()).allSatisfy(g -> {
      assertThat(g.gpusPerDomain()).isEqualTo(72);
      assertThat(g.domainPowerKw()).isEqualTo(140.0);
    });
    assertThat(s.tenants()).extracting(t -> t.name()).containsExactly("openai", "microsoft-ai", "xai", "mistral");
  }

  @Test
  void unknownPresetSuggestsTheNearest() {
    assertThatThrownBy(() -> Presets.load("fairweather"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("did you mean 'fairwater'?");
  }

  @Test
  void theSiteChoiceIsAScenarioSettingWithBestFitByDefault() {
    assertThat(parse(VALID).scheduler().siteChoice()).isEqualTo(dev.superfactory.sched.SiteChoice.BEST_FIT);
    Scenario s = parse(VALID + "scheduler: {policy: las, siteChoice: least-loaded}\n");
    assertThat(s.scheduler().siteChoice()).isEqualTo(dev.superfactory.sched.SiteChoice.LEAST_LOADED);
    assertThat(s.scheduler().withPolicy("sjf").siteChoice()).isEqualTo(dev.superfactory.sched.SiteChoice.LEAST_LOADED);
    assertThatThrownBy(() -> parse(VALID + "scheduler: {siteChoice: emptiest}\n"))
        .hasMessageStartingWith("test.yaml:29: scheduler.siteChoice:").hasMessageContaining("best-fit")
        .hasMessageContaining("least-loaded");
  }
}
