package dev.superfactory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.input.InputException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The Slurm-like client of a running {@code serve}: {@code submit} (sbatch), {@code jobs} (squeue),
 * {@code job ID} (scontrol show job), {@code cancel ID} (scancel), {@code events} (the event log;
 * {@code --follow} long-polls like {@code tail -f}). Each is one HTTP call through {@link ApiClient}
 * ({@code jobs}: one per page of 100; {@code events}: one per page of 1,000 or per wait), printed as text.
 */
final class ClientCommands {
  private ClientCommands() {
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submit a job to a running server (like sbatch) and print its id and state."})
  static final class Submit implements Callable<Integer> {
    @Option(names = "--gpus", paramLabel = "N", required = true, description = "GPUs of the gang.")
    int gpus;

    /** ASSUMPTION: 1 (no constraint) unless given; NVL72 fleets want 72. */
    @Option(names = "--group", paramLabel = "G", defaultValue = "1",
        description = "Scale-up group size: the GPUs come in whole groups of G (72 for NVL72). Default: ${DEFAULT-VALUE}.")
    int group;

    @Option(names = "--span-sites", description = "Allow the gang to span sites.")
    boolean spanSites;

    @Option(names = "--seconds", paramLabel = "S", required = true, description = "Run time in seconds.")
    long seconds;

    @Option(names = "--client-id", paramLabel = "ID",
        description = "Idempotency key: a retry with the same id returns the same job, never a second one.")
    String clientId;

    @Option(names = "--dry-run", description = "Submit nothing: print when the job would start if submitted now"
        + " (the live queue forecast with and without it), and how many of your queued jobs it would delay.")
    boolean dryRun;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("gpus", gpus).put("scaleUpGroup", group).put("spanSites", spanSites).put("durationSeconds", seconds);
      if (clientId != null) {
        body.put("clientId", clientId);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (dryRun) {
        JsonNode dry = api.post("/v1/jobs?dryRun=true", body).body();
        JsonNode f = dry.path("forecast");
        String horizon = dry.path("horizonEnd").asText();
        if (dry.path("rejected").isTextual()) {
          out.println("Dry run, nothing submitted: it would be rejected (" + dry.path("rejected").asText() + ")");
          return 0;
        }
        out.println("Dry run, nothing submitted: would start " + forecastTime(f, "p50", horizon) + " (p90 "
            + forecastTime(f, "p90", horizon) + "; with declared run times " + forecastTime(f, "exact", horizon) + ")");
        WhatIfCommand.printTenants(out, dry.path("tenants"));
        return 0;
      }
      ApiClient.Response r = api.post("/v1/jobs", body);
      JsonNode job = r.body();
      if (r.status() == 201) {
        out.println("Submitted job " + job.path("id").asLong() + " (" + job.path("state").asText() + ")");
      } else {
        out.println("Job " + job.path("id").asLong() + " exists already with client id " + job.path("clientId").asText()
            + " (" + job.path("state").asText() + ")");
      }
      return 0;
    }
  }

  @Command(name = "jobs", mixinStandardHelpOptions = true,
      description = {"List jobs (like squeue): yours with a tenant token, every tenant's with an operator token.",
          "--start (like squeue --start): queued jobs with their forecast start, median (START) and p90."})
  static final class Jobs implements Callable<Integer> {
    private static final String ROW = "%8s  %-16s %-10s %6s  %s%n";
    private static final String START_ROW = "%8s  %-16s %-10s %6s  %-20s  %-20s  %s%n";

    @Option(names = "--state", paramLabel = "S",
        description = "Only jobs in these states, comma-separated (submitted, queued, running, ...).")
    String state;

    @Option(names = "--start", description = "Queued jobs (unless --state says otherwise) with their forecast start:"
        + " START is the median over the forecast's draws, P90 its 90th percentile; '-' until the next forecast"
        + " (the server refreshes them every few seconds), 'beyond HORIZON' if not within it.")
    boolean start;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String states = state == null && start ? "queued" : state;
      String filter = states == null ? "" : "&state=" + URLEncoder.encode(states, StandardCharsets.UTF_8);
      long after = 0;
      while (true) {
        JsonNode page = api.get("/v1/jobs?limit=100&after=" + after + filter).body();
        if (after == 0 && start) {
          out.printf(START_ROW, "JOBID", "TENANT", "STATE", "GPUS", "SUBMITTED", "START", "P90");
        } else if (after == 0) {
          out.printf(ROW, "JOBID", "TENANT", "STATE", "GPUS", "SUBMITTED");
        }
        for (JsonNode job : page.path("items")) {
          if (start) {
            JsonNode f = job.path("forecast");
            out.printf(START_ROW, job.path("id").asLong(), job.path("tenant").asText(), job.path("state").asText(),
                job.path("spec").path("gpus").asInt(), seconds(job.path("created").asText()), forecastTime(f, "p50"),
                forecastTime(f, "p90"));
            continue;
          }
          out.printf(ROW, job.path("id").asLong(), job.path("tenant").asText(), job.path("state").asText(),
              job.path("spec").path("gpus").asInt(), seconds(job.path("created").asText()));
        }
        if (!page.hasNonNull("next")) {
          return 0;
        }
        after = page.path("next").asLong();
      }
    }
  }

  @Command(name = "job", mixinStandardHelpOptions = true,
      description = {"Show one job (like scontrol show job): state, spec, times."})
  static final class Job implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The job's id.")
    long id;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode job = api.get("/v1/jobs/" + checkedId(id)).body();
      JsonNode s = job.path("spec");
      PrintWriter out = spec.commandLine().getOut();
      out.println("job " + job.path("id").asLong() + "  tenant " + job.path("tenant").asText()
          + "  client id " + job.path("clientId").asText());
      out.println("state: " + job.path("state").asText() + " (version " + job.path("version").asInt() + ")");
      if (job.has("pending")) {
        out.println("why pending: " + job.path("pending").path("message").asText());
      }
      if (job.has("forecast")) {
        JsonNode f = job.path("forecast");
        out.println("forecast start: " + forecastTime(f, "p50") + " (p90 " + forecastTime(f, "p90") + "; with declared"
            + " run times " + forecastTime(f, "exact") + "; as of " + seconds(f.path("asOf").asText()) + ")");
      }
      out.println("gpus: " + s.path("gpus").asInt() + " in groups of " + s.path("scaleUpGroup").asInt()
          + (s.path("spanSites").asBoolean() ? ", may span sites" : ", one site"));
      out.println("run time: " + s.path("durationSeconds").asLong() + " s (declared "
          + s.path("expectedSeconds").asLong() + " s)");
      out.println("submitted: " + job.path("created").asText() + "  updated: " + job.path("updated").asText());
      JsonNode run = job.path("run");
      if (run.isObject()) {
        out.println("run " + run.path("id").asLong() + " (attempt " + run.path("attempt").asInt() + ", placed "
            + run.path("created").asText() + (run.has("ended") ? ", ended " + run.path("ended").asText() : "") + "): "
            + run.path("state").asText());
        for (JsonNode shard : run.path("shards")) {
          out.println("  " + shard.path("site").asText() + ": " + shard.path("state").asText() + ", "
              + shard.path("placement").path("gpus").asInt() + " GPUs in " + domains(shard.path("placement").path("domains")));
        }
      }
      return 0;
    }

    /** "domain 12" or "domains 12, 13, 14" or, past 6, "1,389 domains (12, 13, …)". */
    private static String domains(JsonNode items) {
      java.util.List<String> ids = new java.util.ArrayList<>();
      items.forEach(d -> ids.add(Integer.toString(d.path(0).asInt())));
      if (ids.size() == 1) {
        return "domain " + ids.get(0);
      }
      if (ids.size() <= 6) {
        return "domains " + String.join(", ", ids);
      }
      return String.format(java.util.Locale.ROOT, "%,d domains (%s, …)", ids.size(), String.join(", ", ids.subList(0, 3)));
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = {"Cancel a job (like scancel)."})
  static final class Cancel implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The job's id.")
    long id;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode job = api.post("/v1/jobs/" + checkedId(id) + "/cancel", JsonNodeFactory.instance.objectNode()).body();
      spec.commandLine().getOut().println("Cancelled job " + job.path("id").asLong() + " (" + job.path("state").asText() + ")");
      return 0;
    }
  }

  @Command(name = "events", mixinStandardHelpOptions = true,
      description = {"Print the event log, one line per event; --follow waits for new ones.",
          "Each line: seq, time, tenant, job, type, payload. Yours with a tenant token, every tenant's with an"
              + " operator token."})
  static final class Events implements Callable<Integer> {
    /** ASSUMPTION: 25 s per long-poll, under the 30 s idle timeout common to proxies and load balancers. */
    static final int FOLLOW_WAIT_SECONDS = 25;
    private static final int PAGE = 1000;
    private static final String ROW = "%6d  %s  %-12s %5s  %-14s %s%n";

    @Option(names = "--since", paramLabel = "N", defaultValue = "0",
        description = "Only events after sequence number N. Default: ${DEFAULT-VALUE} (from the start).")
    long since;

    @Option(names = "--follow", description = "Keep waiting for new events (long-poll) until interrupted (Ctrl-C).")
    boolean follow;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (since < 0) {
        throw new InputException("--since: must be 0 or more, got " + since);
      }
      PrintWriter out = spec.commandLine().getOut();
      long next = since;
      while (true) {
        JsonNode page;
        try {
          page = api.get("/v1/events?limit=" + PAGE + "&since=" + next + (follow ? "&waitSeconds=" + FOLLOW_WAIT_SECONDS : "")).body();
        } catch (InputException e) {
          if (Thread.currentThread().isInterrupted()) {
            return 0; // --follow ends when interrupted
          }
          throw e;
        }
        page.path("items").forEach(event -> print(out, event));
        out.flush();
        next = page.path("next").asLong();
        if (!follow && page.path("items").size() < PAGE) {
          return 0;
        }
      }
    }

    private static void print(PrintWriter out, JsonNode event) {
      out.printf(ROW, event.path("seq").asLong(), seconds(event.path("time").asText()),
          event.path("tenant").asText("-"), event.has("job") ? event.path("job").asText() : "-",
          event.path("type").asText(), event.path("payload"));
    }
  }

  /** An ISO-8601 instant to whole seconds, as squeue shows times. */
  /** A forecast's {@code field} to the second; "-" if there is no forecast, "beyond T" past its horizon T. */
  static String forecastTime(JsonNode forecast, String field) {
    return forecastTime(forecast, field, forecast.path("horizonEnd").asText());
  }

  /** As above, for a forecast that does not carry its horizon's end ({@code horizonEnd}). */
  static String forecastTime(JsonNode forecast, String field, String horizonEnd) {
    if (!forecast.isObject()) {
      return "-";
    }
    JsonNode t = forecast.path(field);
    return t.isTextual() ? seconds(t.asText()) : "beyond " + seconds(horizonEnd);
  }

  static String seconds(String instant) {
    return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static long checkedId(long id) {
    if (id <= 0) {
      throw new InputException("ID: must be greater than 0, got " + id);
    }
    return id;
  }
}
