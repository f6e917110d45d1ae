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

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("gpus", gpus).put("scaleUpGroup", group).put("spanSites", spanSites).put("durationSeconds", seconds);
      if (clientId != null) {
        body.put("clientId", clientId);
      }
      ApiClient.Response r = api.post("/v1/jobs", body);
      JsonNode job = r.body();
      PrintWriter out = spec.commandLine().getOut();
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
      description = {"List jobs (like squeue): yours with a tenant token, every tenant's with an operator token."})
  static final class Jobs implements Callable<Integer> {
    private static final String ROW = "%8s  %-16s %-10s %6s  %s%n";

    @Option(names = "--state", paramLabel = "S",
        description = "Only jobs in these states, comma-separated (submitted, queued, running, ...).")
    String state;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String filter = state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
      long after = 0;
      while (true) {
        JsonNode page = api.get("/v1/jobs?limit=100&after=" + after + filter).body();
        if (after == 0) {
          out.printf(ROW, "JOBID", "TENANT", "STATE", "GPUS", "SUBMITTED");
        }
        for (JsonNode job : page.path("items")) {
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
  private static String seconds(String instant) {
    return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static long checkedId(long id) {
    if (id <= 0) {
      throw new InputException("ID: must be greater than 0, got " + id);
    }
    return id;
  }
}
