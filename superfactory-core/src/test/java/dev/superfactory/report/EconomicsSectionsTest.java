package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EconomicsSectionsTest {
  /** A month's result with one tenant, its contract, and part of an economics section. */
  private static ObjectNode result() {
    ObjectNode r = Results.month();
    ObjectNode t = r.putArray("tenants").addObject();
    t.put("name", "<lab>").put("reservedGpus", 8).put("revenueUsd", 1_500_000).put("reservationMisses", 0);
    ObjectNode e = r.putObject("economics");
    e.put("revenueUsd", 780.9e6).put("costUsd", 340.7e6).put("marginUsd", 440.2e6).put("capexUsd", 24.81e9)
        .put("utilization", 0.71).put("breakEvenUtilization", 0.3).put("paybackYears", 2.9).put("powerUsd", 3e7);
    e.putArray("sites").addObject().put("name", "east").put("capexUsd", 1e9);
    e.putArray("quarters").addObject().put("quarter", 1).put("days", 30).put("revenueUsd", 780.9e6);
    return r;
  }

  @Test
  void moneySectionAnswersThePaybackQuestion() {
    String html = Results.render(result());
    assertThat(html).contains("Money", "pays back in 2.9 years", "breaks even at 30.0% utilization", "$24.81B",
        "$780.9M");
  }

  @Test
  void contractsTableEscapesNamesAndShowsRevenue() {
    String html = Results.render(result());
    assertThat(html).contains("Contracts", "&lt;lab&gt;", "$1.5M").doesNotContain("<lab>");
  }

  @Test
  void energyIsPrintedWithSeparatorsOrInGwh() {
    ObjectNode r = result();
    ((ObjectNode) r.get("economics")).put("energyMwh", 436_043.4);
    assertThat(Results.render(r)).contains("436.0 GWh").doesNotContain("436043");
    assertThat(EconomicsSections.energy(9_870.2)).isEqualTo("9,870 MWh");
    assertThat(EconomicsSections.energy(Double.NaN)).isEqualTo("–");
  }

  @Test
  void withoutEconomicsThereIsNoMoneySection() {
    ObjectNode r = result();
    r.remove("economics");
    assertThat(Results.render(r)).doesNotContain("pays back");
  }
}
