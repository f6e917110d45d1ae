package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The tenancy and money sections of the report: contracts per tenant (reservation, borrowing,
 * preemptions borne, reservation requests met within their bound, revenue by contract line), and
 * the economics (revenue, cost, margin, capex, break-even utilization, payback; per site and per
 * quarter), rendered from {@code tenants[]} and {@code economics}.
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
    for (JsonNode t : data.at("tenants")) {
      out.open("tr");
      TableSections.cells(out, Cells.text(t.path("name").asText(null)),
          Cells.count(ReportData.number(t, "reservedGpus")),
          Cells.compact(ReportData.number(t, "withinReservationGpuHours")),
          Cells.compact(ReportData.number(t, "borrowedGpuHours")),
          Cells.count(ReportData.number(t, "preemptions")),
          Cells.compact(ReportData.number(t, "preemptedLostGpuHours")),
          Cells.count(ReportData.number(t, "reservationRequests")),
          Cells.count(ReportData.number(t, "reservationMisses")),
          Cells.hours(ReportData.number(t, "reservationMaxWaitHours")),
          usd(ReportData.number(t, "reservedRevenueUsd")),
          usd(ReportData.number(t, "onDemandRevenueUsd")),
          usd(ReportData.number(t, "revenueUsd")));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  static void money(ReportData data, HtmlWriter out) {
    JsonNode e = data.at("economics");
    double payback = ReportData.number(e, "paybackYears");
    double breakEven = ReportData.number(e, "breakEvenUtilization");
    double utilization = ReportData.number(e, "utilization");
    String answer = Double.isNaN(payback)
        ? "At this utilization and these prices the fleet does not pay back its capital: revenue does not cover"
            + " power and operations."
        : String.format(Locale.ROOT, "At %s utilization and these prices, the %s of capital pays back in %s years;"
            + " the fleet breaks even at %s utilization.", Cells.percent(utilization),
            usd(ReportData.number(e, "capexUsd")), Cells.fixed(payback, 1),
            Double.isNaN(breakEven) ? "no" : Cells.percent(breakEven));
    ChartSections.lede(out, answer + " Money over the measured window: revenue from the contracts; cost ="
        + " depreciation of the capital (straight line) + power (IT load × PUE × price) + operations.");
    out.open("div", "class", "cards");
    OverviewSections.card(out, "Revenue", usd(ReportData.number(e, "revenueUsd")), "in the window");
    OverviewSections.card(out, "Cost", usd(ReportData.number(e, "costUsd")),
        "power " + usd(ReportData.number(e, "powerUsd")));
    OverviewSections.card(out, "Margin", usd(ReportData.number(e, "marginUsd")),
        Cells.fixed(ReportData.number(e, "energyMwh"), 0) + " MWh");
    OverviewSections.card(out, "Capex", usd(ReportData.number(e, "capexUsd")), "GPUs, network, facility");
    OverviewSections.card(out, "Break-even", Cells.percent(breakEven), "utilization");
    OverviewSections.card(out, "Payback", Double.isNaN(payback) ? "–" : Cells.fixed(payback, 1) + " y",
        "at this run's rates");
    out.close("div");
    out.element("h3", "Per site");
    out.open("div", "class", "scroll").open("table");
    TableSections.head(out, "Site", "Capex", "Revenue", "Depreciation", "Power", "Operations", "Energy MWh", "Margin");
    out.open("tbody");
    for (JsonNode s : e.path("sites")) {
      out.open("tr");
      TableSections.cells(out, Cells.text(s.path("name").asText(null)), usd(ReportData.number(s, "capexUsd")),
          usd(ReportData.number(s, "revenueUsd")), usd(ReportData.number(s, "depreciationUsd")),
          usd(ReportData.number(s, "powerUsd")), usd(ReportData.number(s, "opexUsd")),
          Cells.count(ReportData.number(s, "energyMwh")), usd(ReportData.number(s, "marginUsd")));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
    out.element("h3", "Per quarter");
    out.open("div", "class", "scroll").open("table");
    TableSections.head(out, "Quarter", "Days", "Revenue", "Cost", "Power", "Margin");
    out.open("tbody");
    for (JsonNode q : e.path("quarters")) {
      out.open("tr");
      TableSections.cells(out, Cells.count(ReportData.number(q, "quarter")), Cells.fixed(ReportData.number(q, "days"), 1),
          usd(ReportData.number(q, "revenueUsd")), usd(ReportData.number(q, "costUsd")),
          usd(ReportData.number(q, "powerUsd")), usd(ReportData.number(q, "marginUsd")));
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  /** Dollars with a readable unit: $780.9M, $24.81B, $5,120; "–" when missing. */
  static String usd(double v) {
    return Double.isNaN(v) ? "–" : ConsoleSummary.usd(v);
  }
}
