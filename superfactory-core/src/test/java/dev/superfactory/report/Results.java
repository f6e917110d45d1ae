package dev.superfactory.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import java.util.List;

/**
 * Hand-made {@code result.json} documents with the simulator's schema: two sites, four tenants,
 * hourly samples from smooth formulas (no randomness), a few large jobs including one from the
 * warm-up, one still running and one across sites. {@link #withFailures} adds what a run with
 * failures writes, with numbers chosen so the report's arithmetic can be worked by hand. Tests
 * edit the JSON (a null here, a missing series there) and render what {@link #read} makes of it,
 * as the report would render such a file.
 */
final class Results {
  static final List<String> SITES = List.of("wisconsin", "atlanta");
  static final List<String> TENANTS = List.of("openai", "microsoft-ai", "xai", "mistral");
  static final double[] CDF_HOURS = {0, 1 / 60.0, 0.25, 1, 4, 24, 168, 720, 2160};

  private Results() {}

  /** The typed result the JSON reads as. */
  static RunResult read(ObjectNode json) {
    return ResultJson.fromTree(json);
  }

  /** The report of the JSON, read as a result. */
  static String render(ObjectNode json) {
    return HtmlReport.render(read(json));
  }

  /** Thirty days, 720 samples. */
  static ObjectNode month() {
    return result(30);
  }

  /** A year, 8,760 samples per series. */
  static ObjectNode year() {
    return result(365);
  }

  static final List<String> CAUSES = List.of("gpu", "host", "maintenance:firmware");

  /** Failure events of {@code cause} on {@code day}: gpu 2, 3, 4, 2, …; host 0, 1, 0, …; four maintenance events on day 10. */
  static int events(int cause, int day) {
    return switch (cause) {
      case 0 -> 2 + day % 3;
      case 1 -> day % 2;
      default -> day == 10 ? 4 : 0;
    };
  }

  /** Adds an economics section as the simulator writes it. */
  static ObjectNode withEconomics(ObjectNode result) {
    ObjectNode e = result.putObject("economics");
    e.put("capexUsd", 24.81e9).put("revenueUsd", 780.9e6).put("costUsd", 340.7e6).put("depreciationUsd", 267.0e6)
        .put("powerUsd", 32.9e6).put("opexUsd", 40.8e6).put("marginUsd", 440.2e6).put("energyMwh", 438_000)
        .put("utilization", 0.71).put("breakEvenUtilization", 0.3).put("paybackYears", 2.9);
    e.putArray("sites").addObject().put("name", "wisconsin").put("capexUsd", 12e9).put("revenueUsd", 400e6)
        .put("depreciationUsd", 130e6).put("powerUsd", 17e6).put("opexUsd", 20e6).put("energyMwh", 220_000)
        .put("marginUsd", 233e6);
    e.putArray("quarters").addObject().put("quarter", 1).put("days", 30).put("revenueUsd", 780.9e6)
        .put("costUsd", 340.7e6).put("powerUsd", 32.9e6).put("marginUsd", 440.2e6);
    return result;
  }

  /**
   * The result with a {@code reliability} section and {@code timeseries.healthy}. Over 30 days:
   * 90 + 15 + 4 = 109 failure events and 60 + 10 + 6 = 76 interruptions. Allocated GPU-hours
   * 100,000: useful 91,000, checkpoint 2,000, lost work 1,100, restart 2,600, detection 3,300.
   * Lost by cause: gpu 1,000 + 2,000 + 3,000 and 500 waiting; host 100 + 200 + 300; maintenance
   * 400 restart. Healthy 99.8%, 98.7% every 100th hour.
   */
  static ObjectNode withFailures(ObjectNode r) {
    int days = (int) r.path("scenario").path("horizonDays").asDouble();
    ObjectNode rel = r.putObject("reliability").put("enabled", true).put("interruptions", 76)
        .put("interruptionsPerDay", 2.5333).put("interruptionsPer1000GpusPerDay", 0.00748);
    ObjectNode interruptions = rel.putObject("interruptionsByCause");
    ObjectNode events = rel.putObject("failureEventsByCause");
    int[] interrupted = {60, 10, 6};
    ObjectNode timeline = rel.putObject("timeline");
    ArrayNode dayAxis = timeline.putArray("days");
    ObjectNode byCause = timeline.putObject("byCause");
    for (int d = 0; d < days; d++) {
      dayAxis.add(d);
    }
    for (int c = 0; c < CAUSES.size(); c++) {
      ArrayNode perDay = byCause.putArray(CAUSES.get(c));
      int total = 0;
      for (int d = 0; d < days; d++) {
        perDay.add(events(c, d));
        total += events(c, d);
      }
      interruptions.put(CAUSES.get(c), interrupted[c]);
      events.put(CAUSES.get(c), total);
    }
    ObjectNode lost = rel.putObject("lostGpuHoursByCause");
    lost(lost, "gpu", 1000, 2000, 3000, 500);
    lost(lost, "host", 100, 200, 300, 0);
    lost(lost, "maintenance:firmware", 0, 400, 0, 0);
    rel.putObject("gpuHours").put("useful", 91000.0).put("lostWork", 1100.0).put("restart", 2600.0)
        .put("checkpoint", 2000.0).put("detection", 3300.0).put("wanStall", 0.0);
    rel.put("goodput", 0.91);
    double[] goodput = {0.95, 0.85, 0.9, 0.99};
    ObjectNode byTenant = rel.putObject("goodputByTenant");
    for (int t = 0; t < TENANTS.size(); t++) {
      byTenant.put(TENANTS.get(t), goodput[t]);
      ((ObjectNode) r.get("tenants").get(t)).put("goodput", goodput[t]);
    }
    rel.put("healthyFraction", 0.995);
    ArrayNode jobs = rel.putArray("largeJobs");
    jobs.addObject().put("id", "31291").put("tenant", "microsoft-ai").put("gpus", 98304).put("interruptions", 12)
        .put("goodput", 0.8).put("effectiveTrainingTimeRatio", 0.75).put("completed", true);
    jobs.addObject().put("id", "26726").put("tenant", "openai").put("gpus", 65536).put("interruptions", 1)
        .put("goodput", 0.9).put("effectiveTrainingTimeRatio", 0.9).put("completed", false);
    jobs.addObject().put("id", "30911").put("tenant", "xai").put("gpus", 2048).put("interruptions", 0)
        .put("goodput", 0.97).put("effectiveTrainingTimeRatio", 0.97).put("completed", true);
    ObjectNode ts = (ObjectNode) r.get("timeseries");
    ArrayNode healthy = ts.putArray("healthy");
    for (int i = 1; i <= ts.get("hours").size(); i++) {
      healthy.add(i % 100 == 0 ? 0.987 : 0.998);
    }
    return r;
  }

  private static void lost(ObjectNode lost, String cause, double work, double restart, double detection, double waiting) {
    lost.putObject(cause).put("lostWork", work).put("restart", restart).put("detection", detection).put("wanStall", 0.0)
        .put("waitingAfterInterruption", waiting);
  }

  static ObjectNode result(int days) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.putObject("scenario").put("name", "fairwater").put("source", "preset fairwater").put("seed", 42)
        .put("horizonDays", (double) days).put("warmupDays", 30.0).put("policy", "fifo-backfill")
        .put("workload", "synthetic").put("offeredLoad", 0.85).put("demandedLoad", 0.736449)
        .put("sampleIntervalHours", 1.0);
    ObjectNode fleet = root.putObject("fleet").put("totalGpus", 338688);
    fleet.putArray("sites").add(f.objectNode().put("name", "wisconsin").put("gpus", 172800))
        .add(f.objectNode().put("name", "atlanta").put("gpus", 165888));
    ObjectNode jobs = root.putObject("jobs").put("carriedOver", 245).put("submitted", 31169).put("started", 31170)
        .put("completed", 31208).put("runningAtEnd", 206).put("pendingAtEnd", 3).put("rejected", 0);
    jobs.putObject("pendingReasons").put("tenant-limit", 2).put("no-room", 1);
    jobs.put("crossSite", 1).put("crossSiteGpuHours", 5505060.409);
    ObjectNode u = root.putObject("utilization").put("allocated", 0.69069).put("allocatedGpuHours", 1.68428545886E8)
        .put("availableGpuHours", 2.4385536E8);
    u.putObject("bySite").put("wisconsin", 0.663805).put("atlanta", 0.718696);
    u.put("offered", 0.85).put("submitted", 0.736449).put("demand", 0.8).put("useful", 0.6).put("down", 0.005)
        .put("idle", 0.30431);
    u.putObject("idleReasons").put("no-job-waiting", 0.2).put("tenant-limit", 0.1).put("does-not-fit", 0.004)
        .put("queue-order", 0.00031);
    u.putObject("byTenant").put("openai", 0.291065).put("microsoft-ai", 0.306949).put("xai", 0.053445)
        .put("mistral", 0.039232);
    root.set("wait", distribution(f, 0.2947, 0, 0, 0, 2.9553, 146.2042));
    root.set("completionTime", distribution(f, 4.7167, 0.5311, 10.0975, 22.0442, 71.8219, 511.1464));
    root.set("waitWithPending", distribution(f, 0.3012, 0, 0, 0, 3.1, 146.2042));
    root.set("gpuWeightedWait", distribution(f, 20.5, 0, 12.0, 150.5, 300.25, 400.0));
    root.putObject("slowdown").put("jobs", 31172).put("pendingJobs", 3).put("mean", 1.04).put("gpuWeightedMean", 1.75);
    ArrayNode bySize = root.putArray("waitBySize");
    bySize.addObject().put("gpus", "1-8").put("jobs", 25877).put("p50Hours", 0.0).put("p95Hours", 0.0).put("p99Hours", 0.0131);
    bySize.addObject().put("gpus", ">16384").put("jobs", 10).put("p50Hours", 0.0).put("p95Hours", 146.2).put("p99Hours", 146.2);
    ArrayNode tenants = root.putArray("tenants");
    for (String t : TENANTS) {
      tenants.addObject().put("name", t).put("displayName", t.toUpperCase(java.util.Locale.ROOT)).put("gpuLimit", 100000)
          .put("jobsSubmitted", 9000).put("jobsStarted", 9001).put("jobsCompleted", 9010).put("gpuHours", 7.0977765121E7)
          .put("fleetShare", 0.291065).put("waitP50Hours", 0.0).put("waitP95Hours", 0.8603).put("waitP99Hours", 40.3197)
          .put("completionP50Hours", 0.5142);
    }
    root.set("waitCdf", cdf(f));
    root.set("largestJobs", largestJobs(f, days * 24.0));
    root.set("timeseries", timeseries(f, days * 24));
    root.putObject("run").put("wallSeconds", 0.528).put("events", 125108).put("eventsPerSecond", 236965)
        .put("peakHeapMiB", 0.0).put("version", "0.1.0-SNAPSHOT").put("java", "17.0.15");
    return root;
  }

  private static ObjectNode distribution(JsonNodeFactory f, double mean, double p50, double p90, double p95, double p99,
      double max) {
    return f.objectNode().put("jobs", 31169).put("meanHours", mean).put("p50Hours", p50).put("p90Hours", p90)
        .put("p95Hours", p95).put("p99Hours", p99).put("maxHours", max);
  }

  private static ObjectNode cdf(JsonNodeFactory f) {
    ObjectNode cdf = f.objectNode();
    ArrayNode hours = cdf.putArray("hours");
    ArrayNode all = cdf.putArray("all");
    for (int i = 0; i < CDF_HOURS.length; i++) {
      hours.add(CDF_HOURS[i]);
      all.add(Math.min(1, 0.95 + 0.01 * i));
    }
    ObjectNode byTenant = cdf.putObject("byTenant");
    for (int t = 0; t < TENANTS.size(); t++) {
      ArrayNode values = byTenant.putArray(TENANTS.get(t));
      for (int i = 0; i < CDF_HOURS.length; i++) {
        values.add(Math.min(1, 0.92 + 0.01 * t + 0.01 * i));
      }
    }
    return cdf;
  }

  private static ArrayNode largestJobs(JsonNodeFactory f, double windowHours) {
    ArrayNode a = f.arrayNode();
    job(a, "31291", "microsoft-ai", 98304, 4.0, 150.2, 515.0).putObject("gpusBySite").put("atlanta", 98304);
    job(a, "26726", "openai", 65536, -100.1, -98.5, 84.0).putObject("gpusBySite").put("wisconsin", 15304)
        .put("atlanta", 50232);
    job(a, "58793", "microsoft-ai", 65536, windowHours - 80, windowHours - 80, Double.NaN)
        .putObject("gpusBySite").put("atlanta", 65536);
    job(a, "30911", "xai", 2048, 10, 12, 40).putObject("gpusBySite").put("wisconsin", 2048);
    return a;
  }

  private static ObjectNode job(ArrayNode a, String id, String tenant, int gpus, double submit, double start, double end) {
    ObjectNode j = a.addObject().put("id", id).put("tenant", tenant).put("gpus", gpus).put("submitHours", submit)
        .put("startHours", start);
    if (Double.isNaN(end)) {
      j.putNull("endHours");
    } else {
      j.put("endHours", end);
    }
    return j.put("waitHours", start - submit).put("runHours", (Double.isNaN(end) ? 0 : end) - start);
  }

  private static ObjectNode timeseries(JsonNodeFactory f, int samples) {
    ObjectNode ts = f.objectNode();
    ArrayNode hours = ts.putArray("hours");
    ArrayNode allocated = ts.putArray("allocated");
    ArrayNode pendingJobs = ts.putArray("pendingJobs");
    ArrayNode pendingGpus = ts.putArray("pendingGpus");
    ArrayNode runningJobs = ts.putArray("runningJobs");
    ArrayNode wisconsin = ts.putObject("bySite").putArray("wisconsin");
    ArrayNode atlanta = ((ObjectNode) ts.get("bySite")).putArray("atlanta");
    ObjectNode byTenant = ts.putObject("byTenant");
    ArrayNode[] tenants = new ArrayNode[TENANTS.size()];
    for (int t = 0; t < tenants.length; t++) {
      tenants[t] = byTenant.putArray(TENANTS.get(t));
    }
    for (int i = 1; i <= samples; i++) {
      double wave = Math.sin(i / 40.0);
      hours.add((double) i);
      allocated.add(round(0.7 + 0.2 * wave));
      pendingJobs.add(Math.round(50 + 50 * wave));
      pendingGpus.add(Math.round(80000 + 75000 * wave));
      runningJobs.add(240 + i % 7);
      wisconsin.add(round(0.72 + 0.2 * wave));
      atlanta.add(round(0.68 + 0.2 * wave));
      for (int t = 0; t < tenants.length; t++) {
        tenants[t].add(round((0.7 + 0.2 * wave) * (4 - t) / 10));
      }
    }
    return ts;
  }

  private static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }
}
