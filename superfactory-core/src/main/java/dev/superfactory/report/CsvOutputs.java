package dev.superfactory.report;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.report.result.Counts;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.Samples;
import dev.superfactory.report.result.Timeseries;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * {@code timeseries.csv} (rendered from the result's time series) and {@code jobs.csv} (one line
 * per job, streamed from the job table: too large to live in result.json).
 */
public final class CsvOutputs {
  private CsvOutputs() {}

  /** One column of timeseries.csv: its header and its value in each row, as result.json writes it. */
  private record Column(String header, IntFunction<String> value) {
    static Column of(String header, Samples s) {
      return new Column(header, i -> Double.isNaN(s.get(i)) ? "" : Double.toString(s.get(i)));
    }

    static Column of(String header, Counts c) {
      return new Column(header, i -> Long.toString(c.get(i)));
    }
  }

  /** Columns: hours, allocated, site_*, tenant_*, pending_jobs, pending_gpus, running_jobs. */
  public static void writeTimeseries(RunResult result, Path file) {
    Timeseries ts = result.timeseries();
    List<Column> columns = new ArrayList<>();
    columns.add(Column.of("hours", ts.hours()));
    columns.add(Column.of("allocated", ts.allocated()));
    ts.bySite().forEach((site, s) -> columns.add(Column.of("site_" + site, s)));
    ts.byTenant().forEach((tenant, s) -> columns.add(Column.of("tenant_" + tenant, s)));
    columns.add(Column.of("pending_jobs", ts.pendingJobs()));
    columns.add(Column.of("pending_gpus", ts.pendingGpus()));
    columns.add(Column.of("running_jobs", ts.runningJobs()));
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", columns.stream().map(Column::header).toList()));
      out.write('\n');
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < ts.hours().size(); i++) {
        sb.setLength(0);
        for (int c = 0; c < columns.size(); c++) {
          sb.append(c > 0 ? "," : "").append(columns.get(c).value().apply(i));
        }
        out.append(sb).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
