package dev.superfactory.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.econ.Economics;
import dev.superfactory.metrics.Distribution;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.metrics.TimeSeries;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceInfo;
import java.util.Map;

/**
 * Builds {@code result.json}, the source of truth every other output renders. Key order is
 * fixed and numbers are rounded, so the same scenario and seed give byte-identical JSON outside
 * the {@code run} section (wall time, heap, versions).
 */
public final class ResultJson {
  /** Points of the wait-time CDF, in hours: 0, 1 min, ..., 90 days. */
  static final double[] CDF_HOURS = {
    0, 1 / 60.0, 5 / 60.0, 15 / 60.0, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 1440, 2160
  };
  static final int LARGEST_JOBS = 50;

  private ResultJson() {}

  public static ObjectNode build(SimulationResult r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Scenario sc = r.scenario();
    Fleet fleet = sc.fleet();
    RunMetrics m = r.metrics();
    Jobs jobs = r.jobs();
    double horizonHours = sc.horizonSeconds() / 3600.0;
    double available = fleet.totalGpus() * horizonHours;

    ObjectNode root = f.objectNode();
    ObjectNode s = root.putObject("scenario");
    s.put("name", sc.name());
    s.put("source", sc.source());
    s.put("seed", sc.seed());
    s.put("horizonDays", round(sc.horizonSeconds() / 86400.0, 6));
    s.put("warmupDays", round(sc.effectiveWarmupSeconds() / 86400.0, 6));
    s.put("policy", sc.scheduler().policy());
    s.put("workload", sc.workload().trace() != null ? sc.workload().trace().toString() : "synthetic");
    if (sc.workload().trace() == null) {
      s.put("offeredLoad", sc.workload().offeredLoad());
    }
    s.put("demandedLoad", round(windowDemandGpuSeconds(jobs, sc) / 3600.0 / available, 6));
    s.put("sampleIntervalHours", round(m.sampleIntervalSeconds() / 3600.0, 6));

    if (jobs.traceInfo() != null) {
      TraceInfo ti = jobs.traceInfo();
      ObjectNode tr = root.putObject("trace");
      tr.put("source", ti.source());
      tr.put("rows", ti.rows());
      tr.put("jobs", ti.jobs());
      ObjectNode skipped = tr.putObject("skipped");
      new java.util.TreeMap<>(ti.skipped()).forEach(skipped::put);
      ArrayNode notes = tr.putArray("notes");
      ti.notes().forEach(notes::add);
    }
    ObjectNode fl = root.putObject("fleet");
    fl.put("totalGpus", fleet.totalGpus());
    ArrayNode sites = fl.putArray("sites");
    for (int i = 0; i < fleet.siteCount(); i++) {
      sites.addObject().put("name", fleet.site(i).name()).put("gpus", fleet.siteGpus(i));
    }

    ObjectNode j = root.putObject("jobs");
    j.put("carriedOver", m.carriedOverJobs());
    j.put("submitted", m.submittedJobs());
    j.put("started", m.startedJobs());
    j.put("completed", m.completedJobs());
    j.put("runningAtEnd", r.runningAtEnd());
    j.put("pendingAtEnd", r.pendingAtEnd());
    j.put("rejected", m.rejectedJobs());
    ObjectNode reasons = j.putObject("pendingReasons");
    for (Map.Entry<PendingReason, Integer> e : r.pendingReasons().entrySet()) {
      reasons.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), e.getValue());
    }
    long windowStart = sc.effectiveWarmupSeconds();
    long clockEnd = windowStart + sc.horizonSeconds();
    int crossSite = 0;
    double crossSiteGpuHours = 0;
    for (int i = 0; i < jobs.size(); i++) {
      if (jobs.siteCount(i) > 1) {
        long from = Math.max(windowStart, jobs.start(i));
        long to = endOr(jobs, i, clockEnd);
        if (to > from) {
          crossSite++;
          crossSiteGpuHours += jobs.gpus(i) * (to - from) / 3600.0;
        }
      }
    }
    j.put("crossSite", crossSite);
    j.put("crossSiteGpuHours", round(crossSiteGpuHours, 3));

    ObjectNode u = root.putObject("utilization");
    u.put("allocated", round(m.allocatedGpuSeconds() / 3600.0 / available, 6));
    u.put("allocatedGpuHours", round(m.allocatedGpuSeconds() / 3600.0, 3));
    u.put("availableGpuHours", round(available, 3));
    ObjectNode bySite = u.putObject("bySite");
    for (int i = 0; i < fleet.siteCount(); i++) {
      bySite.put(fleet.site(i).name(), round(m.siteGpuSeconds(i) / 3600.0 / (fleet.siteGpus(i) * horizonHours), 6));
    }
    ObjectNode byTenant = u.putObject("byTenant");
    for (int t = 0; t < r.tenants().size(); t++) {
      byTenant.put(r.tenants().get(t).name(), round(m.tenantGpuSeconds(t) / 3600.0 / available, 6));
    }

    root.set("wait", distribution(m.waits(), f));
    root.set("completionTime", distribution(m.completions(), f));
    ArrayNode bySize = root.putArray("waitBySize");
    for (int c = 0; c < RunMetrics.SIZE_CLASS_NAMES.length; c++) {
      Distribution d = m.sizeClassWaits(c);
      ObjectNode n = bySize.addObject();
      n.put("gpus", RunMetrics.SIZE_CLASS_NAMES[c]);
      n.put("jobs", d.count());
      putHours(n, "p50Hours", d.percentileHours(50));
      putHours(n, "p95Hours", d.percentileHours(95));
      putHours(n, "p99Hours", d.percentileHours(99));
    }

    ArrayNode tenants = root.putArray("tenants");
    for (int t = 0; t < r.tenants().size(); t++) {
      Tenant tenant = r.tenants().get(t);
      ObjectNode n = tenants.addObject();
      n.put("name", tenant.name());
      n.put("displayName", tenant.displayName());
      n.put("gpuLimit", tenant.gpuLimit());
      n.put("jobsSubmitted", m.tenantSubmitted(t));
      n.put("jobsStarted", m.tenantStarted(t));
      n.put("jobsCompleted", m.tenantCompleted(t));
      n.put("gpuHours", round(m.tenantGpuSeconds(t) / 3600.0, 3));
      n.put("fleetShare", round(m.tenantGpuSeconds(t) / 3600.0 / available, 6));
      Distribution w = m.tenantWaits(t);
      putHours(n, "waitP50Hours", w.percentileHours(50));
      putHours(n, "waitP95Hours", w.percentileHours(95));
      putHours(n, "waitP99Hours", w.percentileHours(99));
      putHours(n, "completionP50Hours", m.tenantCompletions(t).percentileHours(50));
      putFraction(n, "goodput", r.reliability().tenantGoodput(t));
      n.put("reservedGpus", tenant.reservedGpus());
      n.put("weight", tenant.contract().weight());
      n.put("priority", tenant.contract().priority());
      n.put("preemptible", tenant.contract().preemptible());
      n.put("withinReservationGpuHours", round(m.tenantWithinGpuSeconds(t) / 3600.0, 3));
      n.put("borrowedGpuHours", round(m.tenantBorrowedGpuSeconds(t) / 3600.0, 3));
      n.put("preemptions", m.tenantPreemptions(t));
      n.put("preemptedLostGpuHours", round(m.tenantPreemptedLostGpuSeconds(t) / 3600.0, 3));
      n.put("reservationRequests", m.reservationRequests(t));
      n.put("reservationMisses", m.reservationMisses(t));
      n.put("reservationMaxWaitHours", round(m.reservationMaxWaitSeconds(t) / 3600.0, 4));
      Economics.TenantMoney money = r.economics().tenants().get(t);
      n.put("reservedRevenueUsd", round(money.reservedRevenueUsd(), 2));
      n.put("onDemandRevenueUsd", round(money.onDemandRevenueUsd(), 2));
      n.put("revenueUsd", round(money.revenueUsd(), 2));
    }
    root.put("preemptions", r.preemptions());
    putFraction(root, "fairness", jain(r));

    ObjectNode cdf = root.putObject("waitCdf");
    ArrayNode hours = cdf.putArray("hours");
    for (double h : CDF_HOURS) {
      hours.add(round(h, 6));
    }
    cdf.set("all", cdf(m.waits(), f));
    ObjectNode cdfTenants = cdf.putObject("byTenant");
    for (int t = 0; t < r.tenants().size(); t++) {
      cdfTenants.set(r.tenants().get(t).name(), cdf(m.tenantWaits(t), f));
    }

    root.set("reliability", reliability(r, f));
    root.set("economics", economics(r.economics(), f));
    root.set("largestJobs", largestJobs(r, f));
    root.set("timeseries", timeseries(m.series(), f));
    return root;
  }

  /** Adds the {@code run} section: how the run went (differs between identical runs). */
  public static void addRun(ObjectNode root, SimulationResult r, String version) {
    ObjectNode run = root.putObject("run");
    run.put("wallSeconds", round(r.wallSeconds(), 3));
    run.put("events", r.events());
    run.put("eventsPerSecond", Math.round(r.events() / Math.max(1e-9, r.wallSeconds())));
    run.put("peakHeapMiB", round(r.peakHeapBytes() / 1048576.0, 1));
    run.put("version", version);
    run.put("java", System.getProperty("java.version"));
  }

  /** GPU-seconds asked for by the jobs submitted in the measured window. */
  static double windowDemandGpuSeconds(Jobs jobs, Scenario sc) {
    long from = sc.effectiveWarmupSeconds();
    long to = from + sc.horizonSeconds();
    double sum = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.submit(j) >= from && jobs.submit(j) < to) {
        sum += (double) jobs.gpus(j) * jobs.durationSeconds(j);
      }
    }
    return sum;
  }

  private static long endOr(Jobs jobs, int j, long horizon) {
    return jobs.end(j) >= 0 ? jobs.end(j) : horizon;
  }

  private static ObjectNode distribution(Distribution d, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("jobs", d.count());
    putHours(n, "meanHours", d.meanHours());
    putHours(n, "p50Hours", d.percentileHours(50));
    putHours(n, "p90Hours", d.percentileHours(90));
    putHours(n, "p95Hours", d.percentileHours(95));
    putHours(n, "p99Hours", d.percentileHours(99));
    putHours(n, "maxHours", d.maxHours());
    return n;
  }

  private static ArrayNode cdf(Distribution d, JsonNodeFactory f) {
    ArrayNode a = f.arrayNode();
    for (double h : CDF_HOURS) {
      double v = d.fractionAtOrBelow(h);
      if (Double.isNaN(v)) {
        a.addNull();
      } else {
        a.add(round(v, 6));
      }
    }
    return a;
  }

  private static ArrayNode largestJobs(SimulationResult r, JsonNodeFactory f) {
    Jobs jobs = r.jobs();
    long w = r.scenario().effectiveWarmupSeconds();
    long clockEnd = w + r.scenario().horizonSeconds();
    int[] top = largest(r, LARGEST_JOBS);
    int count = top.length;
    ArrayNode a = f.arrayNode();
    for (int i = 0; i < count; i++) {
      int j = top[i];
      ObjectNode n = a.addObject();
      n.put("id", jobs.name(j));
      n.put("tenant", r.tenants().get(jobs.tenant(j)).name());
      n.put("gpus", jobs.gpus(j));
      n.put("submitHours", round((jobs.submit(j) - w) / 3600.0, 4));
      n.put("startHours", round((jobs.start(j) - w) / 3600.0, 4));
      if (jobs.end(j) >= 0) {
        n.put("endHours", round((jobs.end(j) - w) / 3600.0, 4));
      } else {
        n.putNull("endHours");
      }
      n.put("waitHours", round((jobs.start(j) - jobs.submit(j)) / 3600.0, 4));
      n.put("runHours", round((endOr(jobs, j, clockEnd) - jobs.start(j)) / 3600.0, 4));
      ObjectNode bySite = n.putObject("gpusBySite");
      for (int s = 0; s < r.scenario().fleet().siteCount(); s++) {
        int g = jobs.gpusOnSite(j, s);
        if (g > 0) {
          bySite.put(r.scenario().fleet().site(s).name(), g);
        }
      }
    }
    return a;
  }

  /**
   * The k jobs with the most GPUs that ran in the measured window, largest first (ties: earlier
   * id). A bounded insertion, O(jobs · k).
   */
  static int[] largest(SimulationResult r, int k) {
    Jobs jobs = r.jobs();
    long w = r.scenario().effectiveWarmupSeconds();
    int[] top = new int[k];
    int count = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.start(j) < 0 || (jobs.end(j) >= 0 && jobs.end(j) <= w)) {
        continue; // never ran in the measured window
      }
      if (count < k) {
        top[count++] = j;
      } else if (jobs.gpus(j) > jobs.gpus(top[count - 1])) {
        top[count - 1] = j;
      } else {
        continue;
      }
      for (int i = count - 1; i > 0 && jobs.gpus(top[i]) > jobs.gpus(top[i - 1]); i--) {
        int tmp = top[i];
        top[i] = top[i - 1];
        top[i - 1] = tmp;
      }
    }
    return java.util.Arrays.copyOf(top, count);
  }

  private static ObjectNode timeseries(TimeSeries ts, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    ArrayNode hours = n.putArray("hours");
    for (int i = 0; i < ts.rows(); i++) {
      hours.add(round(ts.time(i) / 3600.0, 4));
    }
    String[] columns = ts.columns();
    ObjectNode bySite = null;
    ObjectNode byTenant = null;
    for (int c = 0; c < columns.length; c++) {
      String col = columns[c];
      ArrayNode values;
      if (col.startsWith("site:")) {
        bySite = bySite != null ? bySite : n.putObject("bySite");
        values = bySite.putArray(col.substring(5));
      } else if (col.startsWith("tenant:")) {
        byTenant = byTenant != null ? byTenant : n.putObject("byTenant");
        values = byTenant.putArray(col.substring(7));
      } else {
        values = n.putArray(col);
      }
      boolean fraction = col.equals("allocated") || col.equals("healthy") || col.startsWith("site:")
          || col.startsWith("tenant:");
      for (int i = 0; i < ts.rows(); i++) {
        double v = ts.value(c, i);
        if (fraction) {
          values.add(round(v, 5));
        } else {
          values.add((long) v);
        }
      }
    }
    return n;
  }

  /**
   * Jain's fairness index over tenants' normalised shares, J = (Σx)² / (n·Σx²), with x = the
   * tenant's share of the allocated GPU-hours ÷ its entitled share (its weight ÷ Σ weights).
   * 1 = perfectly fair; 1/n = one tenant has everything. Tenants that submitted nothing are left
   * out. NaN if no tenant ran.
   */
  static double jain(SimulationResult r) {
    RunMetrics m = r.metrics();
    double total = 0;
    double weights = 0;
    for (int t = 0; t < r.tenants().size(); t++) {
      if (m.tenantSubmitted(t) > 0 || m.tenantGpuSeconds(t) > 0) {
        total += m.tenantGpuSeconds(t);
        weights += r.tenants().get(t).contract().weight();
      }
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (int t = 0; t < r.tenants().size(); t++) {
      if (m.tenantSubmitted(t) > 0 || m.tenantGpuSeconds(t) > 0) {
        double x = (m.tenantGpuSeconds(t) / total) / (r.tenants().get(t).contract().weight() / weights);
        sum += x;
        sumSq += x * x;
        n++;
      }
    }
    return sumSq > 0 ? sum * sum / (n * sumSq) : Double.NaN;
  }

  private static ObjectNode economics(Economics.Result e, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("capexUsd", round(e.capexUsd(), 0));
    n.put("revenueUsd", round(e.revenueUsd(), 2));
    n.put("costUsd", round(e.costUsd(), 2));
    n.put("depreciationUsd", round(e.depreciationUsd(), 2));
    n.put("powerUsd", round(e.powerUsd(), 2));
    n.put("opexUsd", round(e.opexUsd(), 2));
    n.put("marginUsd", round(e.marginUsd(), 2));
    n.put("energyMwh", round(e.energyMwh(), 3));
    putFraction(n, "utilization", e.utilization());
    putFraction(n, "breakEvenUtilization", e.breakEvenUtilization());
    if (Double.isNaN(e.paybackYears())) {
      n.putNull("paybackYears");
    } else {
      n.put("paybackYears", round(e.paybackYears(), 3));
    }
    ArrayNode sites = n.putArray("sites");
    for (Economics.SiteMoney s : e.sites()) {
      sites.addObject().put("name", s.site()).put("capexUsd", round(s.capexUsd(), 0))
          .put("revenueUsd", round(s.revenueUsd(), 2)).put("depreciationUsd", round(s.depreciationUsd(), 2))
          .put("powerUsd", round(s.powerUsd(), 2)).put("opexUsd", round(s.opexUsd(), 2))
          .put("energyMwh", round(s.energyMwh(), 3)).put("marginUsd", round(s.marginUsd(), 2));
    }
    ArrayNode quarters = n.putArray("quarters");
    for (Economics.Quarter q : e.quarters()) {
      quarters.addObject().put("quarter", q.index() + 1).put("days", round(q.days(), 3))
          .put("revenueUsd", round(q.revenueUsd(), 2)).put("costUsd", round(q.costUsd(), 2))
          .put("powerUsd", round(q.powerUsd(), 2)).put("marginUsd", round(q.marginUsd(), 2));
    }
    return n;
  }

  private static ObjectNode reliability(SimulationResult r, JsonNodeFactory f) {
    ReliabilityMetrics rm = r.reliability();
    Scenario sc = r.scenario();
    double days = sc.horizonSeconds() / 86400.0;
    ObjectNode n = f.objectNode();
    n.put("enabled", sc.reliability().active());
    long total = rm.totalInterruptions();
    n.put("interruptions", total);
    n.put("interruptionsPerDay", round(total / days, 4));
    n.put("interruptionsPer1000GpusPerDay", round(total / days / (sc.fleet().totalGpus() / 1000.0), 6));
    ObjectNode byCause = n.putObject("interruptionsByCause");
    ObjectNode eventsByCause = n.putObject("failureEventsByCause");
    ObjectNode lost = n.putObject("lostGpuHoursByCause");
    for (int c = 0; c < rm.causes().size(); c++) {
      String name = rm.causes().get(c);
      byCause.put(name, rm.interruptions(c));
      eventsByCause.put(name, rm.events(c));
      ObjectNode l = lost.putObject(name);
      l.put("lostWork", round(rm.lost(1, c) / 3600.0, 3));
      l.put("restart", round(rm.lost(2, c) / 3600.0, 3));
      l.put("detection", round(rm.lost(4, c) / 3600.0, 3));
      l.put("wanStall", round(rm.lost(5, c) / 3600.0, 3));
      l.put("waitingAfterInterruption", round(rm.requeueWaitGpuSeconds(c) / 3600.0, 3));
    }
    ObjectNode ledger = n.putObject("gpuHours");
    for (int i = 0; i < ReliabilityMetrics.LEDGERS.size(); i++) {
      ledger.put(ReliabilityMetrics.LEDGERS.get(i), round(rm.ledger(i) / 3600.0, 3));
    }
    putFraction(n, "goodput", rm.goodput());
    ObjectNode byTenant = n.putObject("goodputByTenant");
    for (int t = 0; t < r.tenants().size(); t++) {
      putFraction(byTenant, r.tenants().get(t).name(), rm.tenantGoodput(t));
    }
    putFraction(n, "healthyFraction", r.metrics().healthyFraction());
    n.set("largeJobs", largeJobs(r, f));
    ObjectNode timeline = n.putObject("timeline");
    ArrayNode dayAxis = timeline.putArray("days");
    int dayCount = (int) Math.max(1, Math.ceil(days));
    for (int d = 0; d < dayCount; d++) {
      dayAxis.add(d);
    }
    ObjectNode perCause = timeline.putObject("byCause");
    for (int c = 0; c < rm.causes().size(); c++) {
      ArrayNode a = perCause.putArray(rm.causes().get(c));
      int[] perDay = rm.eventsPerDay(c);
      for (int d = 0; d < dayCount && d < perDay.length; d++) {
        a.add(perDay[d]);
      }
    }
    return n;
  }

  /** The ten largest jobs that ran in the window: interruptions, goodput, effective training time ratio. */
  private static ArrayNode largeJobs(SimulationResult r, JsonNodeFactory f) {
    Jobs jobs = r.jobs();
    long clockEnd = r.scenario().effectiveWarmupSeconds() + r.scenario().horizonSeconds();
    int[] top = largest(r, 10);
    int count = top.length;
    ArrayNode a = f.arrayNode();
    for (int i = 0; i < count; i++) {
      int j = top[i];
      ObjectNode n = a.addObject();
      n.put("id", jobs.name(j));
      n.put("tenant", r.tenants().get(jobs.tenant(j)).name());
      n.put("gpus", jobs.gpus(j));
      n.put("interruptions", r.outcomes().interruptions(j));
      putFraction(n, "goodput", r.outcomes().goodput(j));
      double elapsed = endOr(jobs, j, clockEnd) - jobs.start(j);
      double useful = r.outcomes().allocatedSeconds(j) - r.outcomes().lostSeconds(j);
      putFraction(n, "effectiveTrainingTimeRatio", elapsed > 0 ? useful / elapsed : Double.NaN);
      n.put("completed", jobs.end(j) >= 0);
    }
    return a;
  }

  private static void putFraction(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, round(v, 6));
    }
  }

  private static void putHours(ObjectNode n, String key, double hours) {
    if (Double.isNaN(hours)) {
      n.putNull(key);
    } else {
      n.put(key, round(hours, 4));
    }
  }

  static double round(double v, int decimals) {
    return Format.round(v, decimals);
  }
}
