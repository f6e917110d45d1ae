package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** The summary a capacity planner reads in the terminal, rendered from {@code result.json}. */
public final class ConsoleSummary {
  private ConsoleSummary() {}

  public static String render(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    JsonNode sc = r.get("scenario");
    JsonNode fleet = r.get("fleet");
    JsonNode jobs = r.get("jobs");
    JsonNode u = r.get("utilization");
    String warm = sc.get("warmupDays").asDouble() > 0 ? " (after " + trimNumber(sc.get("warmupDays").asDouble()) + " days of warm-up)" : "";
    sb.append(String.format(java.util.Locale.ROOT, "Simulated %s: %s days%s, %s GPUs on %d site%s, policy %s, seed %d, workload %s%n",
        sc.get("name").asText(), trimNumber(sc.get("horizonDays").asDouble()), warm,
        Format.count(fleet.get("totalGpus").asLong()), fleet.get("sites").size(),
        fleet.get("sites").size() == 1 ? "" : "s", sc.get("policy").asText(), sc.get("seed").asLong(),
        sc.get("workload").asText()
            + (sc.has("offeredLoad") ? " at " + Format.percent(sc.get("offeredLoad").asDouble()) + " offered load" : "")));
    sb.append('\n');
    TextTable headline = new TextTable("measure", "value>");
    headline.row("GPU utilization (allocated / available GPU-hours)", Format.percent(u.get("allocated").asDouble()));
    Iterator<Map.Entry<String, JsonNode>> sites = u.get("bySite").fields();
    while (sites.hasNext()) {
      Map.Entry<String, JsonNode> e = sites.next();
      headline.row("  site " + e.getKey(), Format.percent(e.getValue().asDouble()));
    }
    headline.row("demand submitted (GPU-hours asked / available)", Format.percent(sc.get("demandedLoad").asDouble()));
    if (jobs.get("carriedOver").asLong() > 0) {
      headline.row("jobs carried over from the warm-up", Format.count(jobs.get("carriedOver").asLong()));
    }
    headline.row("jobs submitted", Format.count(jobs.get("submitted").asLong()));
    headline.row("jobs completed", Format.count(jobs.get("completed").asLong()));
    headline.row("jobs running at end", Format.count(jobs.get("runningAtEnd").asLong()));
    headline.row("jobs pending at end" + reasons(jobs.get("pendingReasons")), Format.count(jobs.get("pendingAtEnd").asLong()));
    if (jobs.get("rejected").asLong() > 0) {
      headline.row("jobs rejected (can never fit)", Format.count(jobs.get("rejected").asLong()));
    }
    headline.row("jobs spanning sites", Format.count(jobs.get("crossSite").asLong()));
    JsonNode w = r.get("wait");
    headline.row("queue wait p50 / p95 / p99", hours(w, "p50Hours") + " / " + hours(w, "p95Hours") + " / " + hours(w, "p99Hours"));
    JsonNode c = r.get("completionTime");
    headline.row("job completion time p50 / p95", hours(c, "p50Hours") + " / " + hours(c, "p95Hours"));
    JsonNode rel = r.get("reliability");
    if (rel != null && rel.get("enabled").asBoolean()) {
      headline.row("interruptions (per day)", Format.count(rel.get("interruptions").asLong()) + " ("
          + Format.fixed(rel.get("interruptionsPerDay").asDouble(), 1) + ")");
      headline.row("goodput (useful / allocated GPU-hours)", rel.get("goodput").isNull() ? "-"
          : Format.percent(rel.get("goodput").asDouble()));
      headline.row("fleet in service (time-average)", Format.percent(rel.get("healthyFraction").asDouble()));
    }
    sb.append(headline).append('\n');
    if (rel != null && rel.get("enabled").asBoolean()) {
      TextTable causes = new TextTable("failure cause", "events>", "interruptions>", "lost work GPU-h>",
          "restart GPU-h>", "detection GPU-h>", "requeue wait GPU-h>");
      Iterator<Map.Entry<String, JsonNode>> it = rel.get("interruptionsByCause").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode l = rel.get("lostGpuHoursByCause").get(e.getKey());
        causes.row(e.getKey(), Format.count(rel.get("failureEventsByCause").get(e.getKey()).asLong()),
            Format.count(e.getValue().asLong()), Format.count(Math.round(l.get("lostWork").asDouble())),
            Format.count(Math.round(l.get("restart").asDouble())), Format.count(Math.round(l.get("detection").asDouble())),
            Format.count(Math.round(l.get("waitingAfterInterruption").asDouble())));
      }
      sb.append(causes).append('\n');
    }

    TextTable tenants = new TextTable("tenant", "jobs>", "GPU-hours>", "fleet share>", "reserved>", "limit>",
        "goodput>", "wait p50>", "wait p95>", "wait p99>", "preempted>", "revenue $M>");
    for (JsonNode t : r.get("tenants")) {
      tenants.row(t.get("name").asText(), Format.count(t.get("jobsSubmitted").asLong()),
          Format.count(Math.round(t.get("gpuHours").asDouble())), Format.percent(t.get("fleetShare").asDouble()),
          Format.count(t.get("reservedGpus").asLong()), Format.count(t.get("gpuLimit").asLong()),
          t.get("goodput") == null || t.get("goodput").isNull() ? "-" : Format.percent(t.get("goodput").asDouble()),
          hours(t, "waitP50Hours"), hours(t, "waitP95Hours"), hours(t, "waitP99Hours"),
          Format.count(t.get("preemptions").asLong()), Format.fixed(t.get("revenueUsd").asDouble() / 1e6, 1));
    }
    sb.append(tenants).append('\n');

    JsonNode e = r.get("economics");
    if (e != null) {
      TextTable money = new TextTable("money (measured window)", "value>");
      money.row("revenue", usd(e.get("revenueUsd").asDouble()));
      money.row("cost: depreciation + power + opex", usd(e.get("costUsd").asDouble()) + " = "
          + usd(e.get("depreciationUsd").asDouble()) + " + " + usd(e.get("powerUsd").asDouble()) + " + "
          + usd(e.get("opexUsd").asDouble()));
      money.row("margin", usd(e.get("marginUsd").asDouble()));
      money.row("capital spent (capex)", usd(e.get("capexUsd").asDouble()));
      money.row("break-even utilization", e.get("breakEvenUtilization").isNull() ? "never at these prices"
          : Format.percent(e.get("breakEvenUtilization").asDouble()));
      money.row("payback of the capex at this run's rates", e.get("paybackYears").isNull() ? "never"
          : Format.fixed(e.get("paybackYears").asDouble(), 1) + " years");
      money.row("preemptions / Jain fairness over tenants", r.get("preemptions").asLong() + " / "
          + (r.get("fairness").isNull() ? "-" : Format.fixed(r.get("fairness").asDouble(), 3)));
      sb.append(money).append('\n');
    }
    TextTable sizes = new TextTable("job size (GPUs)", "jobs started>", "wait p50>", "wait p95>", "wait p99>");
    for (JsonNode s : r.get("waitBySize")) {
      sizes.row(s.get("gpus").asText(), Format.count(s.get("jobs").asLong()), hours(s, "p50Hours"),
          hours(s, "p95Hours"), hours(s, "p99Hours"));
    }
    sb.append(sizes);
    return sb.toString();
  }

  private static String reasons(JsonNode reasons) {
    if (reasons == null || reasons.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (");
    Iterator<Map.Entry<String, JsonNode>> it = reasons.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      sb.append(e.getKey()).append(' ').append(e.getValue().asLong());
      if (it.hasNext()) {
        sb.append(", ");
      }
    }
    return sb.append(')').toString();
  }

  static String usd(double v) {
    double a = Math.abs(v);
    String sign = v < 0 ? "-" : "";
    if (a >= 1e9) {
      return sign + "$" + Format.fixed(a / 1e9, 2) + "B";
    }
    if (a >= 1e6) {
      return sign + "$" + Format.fixed(a / 1e6, 1) + "M";
    }
    return sign + "$" + Format.fixed(a, 0);
  }

  static String hours(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? "-" : Format.hours(v.asDouble());
  }

  private static String trimNumber(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Format.fixed(v, 2);
  }
}
