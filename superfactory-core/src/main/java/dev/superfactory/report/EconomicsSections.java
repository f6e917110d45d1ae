package dev.superfactory.report;

import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.TenantSummary;
import java.util.Locale;

/**
 * The tenancy and money sections of the report: contracts per tenant (reservation, borrowing,
 * preemptions borne, reservation requests met within their bound, revenue by contract line), and
 * the economics (revenue, cost, margin, capex, break-even utilization, payback; per site and per
 * quarter), rendered from the result's tenants and its economics section (gated on its presence).
 */
final class EconomicsSections {
  private EconomicsSections() {}

  static void contracts(ReportData data, HtmlWriter out) {
    ChartSections.lede(out, "Each tenant's contract and what happened to it: GPU-hours within its reservation and"
        + " borrowed beyond it, jobs preempted and the work they lost, requests within the reservation and how many"
        + " waited longer than the reclaim bound, and revenue by contract line (the reservation is take or pay;"
        + " borrowed GPU-hours are billed on demand).");
    out.open("div", "class", "scroll").open("table");
    TableSections.head(out, "Tenant", "Reserved GPUs", "Within reservation GPU-h", "Borrowed GPU-h", "Preempted",
        "Lost to preemption GPU-h", "Reservation requests", "Missed bound", "Longest wait", "Reserved revenue",
        "On-demand revenue", "Revenue");
    out.open("tbody");
    for (TenantSummary t : data.result().tenants()) {
      out.open("tr");
      TableSections.cells(out, Cells.text(t.name()), Cells.count(t.reservedGpus()),
          Cells.compact(t.withinReservationGpuHours()), Cells.compact(t.borrowedGpuHours()),
          Cells.count(t.preemptions()), Cells.compact(t.preemptedLostGpuHours()), Cells.count(t.reservationRequests()),
          Cells.count(t.reservationMisses()), Cells.hours(t.reservationMaxWaitHours()), usd(t.reservedRevenueUsd()),
          usd(t.onDemandRevenueUsd()), usd(t.revenueUsd()));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  /** Shown only for a result with an economics section. */
  static void money(ReportData data, HtmlWriter out) {
    EconomicsSummary e = data.result().economics();
    ChartSections.lede(out, answer(e) + " Money over the measured window: revenue from the contracts; cost ="
        + " depreciation of the capital (straight line) + power (IT load × PUE × price) + operations.");
    out.open("div", "class", "cards");
    OverviewSections.card(out, "Revenue", usd(e.revenueUsd()), usd(e.revenueLostToFailuresUsd())
        + " not billed for provider downtime");
    OverviewSections.card(out, "Cost", usd(e.costUsd()), "power " + usd(e.powerUsd()));
    OverviewSections.card(out, "Margin", usd(e.marginUsd()), energy(e.energyMwh()));
    OverviewSections.card(out, "Capex", usd(e.capexUsd()), "GPUs, network, facility");
    OverviewSections.card(out, "Break-even", Cells.percent(e.breakEvenUtilization()), "utilization");
    String payback = Double.isNaN(e.paybackYears()) ? "–" : Cells.fixed(e.paybackYears(), 1) + " y";
    OverviewSections.card(out, "Payback", payback, "at this run's rates");
    out.close("div");
    sites(e, out);
    quarters(e, out);
  }

  /** The payback question, answered in one sentence. */
  private static String answer(EconomicsSummary e) {
    if (Double.isNaN(e.paybackYears())) {
      return "At this utilization and these prices the fleet does not pay back its capital: revenue does not cover"
          + " power and operations.";
    }
    return String.format(Locale.ROOT, "At %s utilization and these prices, the %s of capital pays back in %s years;"
        + " the fleet breaks even at %s utilization.", Cells.percent(e.utilization()), usd(e.capexUsd()),
        Cells.fixed(e.paybackYears(), 1),
        Double.isNaN(e.breakEvenUtilization()) ? "no" : Cells.percent(e.breakEvenUtilization()));
  }

  private static void sites(EconomicsSummary e, HtmlWriter out) {
    out.element("h3", "Per site");
    out.open("div", "class", "scroll").open("table");
    TableSections.head(out, "Site", "Capex", "Revenue", "Depreciation", "Power", "Operations", "Energy MWh", "Margin");
    out.open("tbody");
    for (EconomicsSummary.Site s : e.sites()) {
      out.open("tr");
      TableSections.cells(out, Cells.text(s.name()), usd(s.capexUsd()), usd(s.revenueUsd()), usd(s.depreciationUsd()),
          usd(s.powerUsd()), usd(s.opexUsd()), Cells.count(s.energyMwh()), usd(s.marginUsd()));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  private static void quarters(EconomicsSummary e, HtmlWriter out) {
    out.element("h3", "Per quarter");
    out.open("div", "class", "scroll").open("table");
    TableSections.head(out, "Quarter", "Days", "Revenue", "Cost", "Power", "Margin");
    out.open("tbody");
    for (EconomicsSummary.Quarter q : e.quarters()) {
      out.open("tr");
      TableSections.cells(out, Cells.count(q.quarter()), Cells.fixed(q.days(), 1), usd(q.revenueUsd()),
          usd(q.costUsd()), usd(q.powerUsd()), usd(q.marginUsd()));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  /** Energy with thousands separators, and in GWh from 10 GWh up: "9,870 MWh", "436.0 GWh". */
  static String energy(double mwh) {
    if (Double.isNaN(mwh)) {
      return Cells.DASH;
    }
    return mwh >= 10_000 ? Cells.fixed(mwh / 1000, 1) + " GWh" : Cells.count(mwh) + " MWh";
  }

  /** Dollars with a readable unit: $780.9M, $24.81B, $5,120; "–" when missing. */
  static String usd(double v) {
    return Double.isNaN(v) ? "–" : ConsoleSummary.usd(v);
  }
}
