package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code timeseries.csv} (rendered from result.json) and {@code jobs.csv} (one line per job,
 * streamed from the job table: too large to live in result.json).
 */
public final class CsvOutputs {
  private CsvOutputs() {}

  /** Columns: hours, allocated, site_*, tenant_*, pending_jobs, pending_gpus, running_jobs. */
  public static void writeTimeseries(JsonNode result, Path file) {
    JsonNode ts = result.get("timeseries");
    List<String> header = new ArrayList<>();
    List<JsonNode> columns = new ArrayList<>();
    header.add("hours");
    columns.add(ts.get("hours"));
    header.add("allocated");
    columns.add(ts.get("allocated"));
    addGroup(ts.get("bySite"), "site_", header, columns);
    addGroup(ts.get("byTenant"), "tenant_", header, columns);
    header.add("pending_jobs");
    columns.add(ts.get("pendingJobs"));
    header.add("pending_gpus");
    columns.add(ts.get("pendingGpus"));
    header.add("running_jobs");
    columns.add(ts.get("runningJobs"));
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", header));
      out.write('\n');
      int rows = ts.get("hours").size();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        sb.setLength(0);
        for (int c = 0; c < columns.size(); c++) {
          if (c > 0) {
            sb.append(',');
          }
          sb.append(columns.get(c).get(i).asText());
        }
        out.append(sb).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addGroup(JsonNode group, String prefix, List<String> header, List<JsonNode> columns) {
    if (group == null) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = group.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      header.add(prefix + e.getKey());
      columns.add(e.getValue());
    }
  }

  /**
   * One line per job: id, tenant, gpus, submit/start/end in seconds from the start of the measured
   * window (negative during a warm-up; empty if not reached), wait in seconds (empty if never
   * started), state at the end, then the GPUs on each site.
   */
  public static void writeJobs(SimulationResult r, Path file) {
    Jobs jobs = r.jobs();
    Fleet fleet = r.scenario().fleet();
    long w = r.scenario().effectiveWarmupSeconds();
    long horizon = w + r.scenario().horizonSeconds();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder("id,tenant,gpus,scale_up_group,span_sites,submit_s,start_s,end_s,wait_s,state");
      for (int s = 0; s < fleet.siteCount(); s++) {
        sb.append(",gpus_").append(fleet.site(s).name());
      }
      out.append(sb).append('\n');
      for (int j = 0; j < jobs.size(); j++) {
        if (jobs.submit(j) >= horizon) {
          break; // never arrived within the run
        }
        sb.setLength(0);
        sb.append(csv(jobs.name(j))).append(',')
            .append(r.tenants().get(jobs.tenant(j)).name()).append(',')
            .append(jobs.gpus(j)).append(',')
            .append(jobs.scaleUpGroup(j)).append(',')
            .append(jobs.spanSites(j)).append(',')
            .append(jobs.submit(j) - w).append(',');
        long start = jobs.start(j);
        long end = jobs.end(j);
        if (start >= 0) {
          sb.append(start - w);
        }
        sb.append(',');
        if (end >= 0) {
          sb.append(end - w);
        }
        sb.append(',');
        if (start >= 0) {
          sb.append(start - jobs.submit(j));
        }
        sb.append(',').append(end >= 0 ? "completed" : start >= 0 ? "running" : jobs.rejected(j) ? "rejected" : "pending");
        for (int s = 0; s < fleet.siteCount(); s++) {
          sb.append(',').append(jobs.gpusOnSite(j, s));
        }
        out.append(sb).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
