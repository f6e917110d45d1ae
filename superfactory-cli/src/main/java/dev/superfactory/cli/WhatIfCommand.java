package dev.superfactory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.input.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code superfactory whatif}: one {@code POST /v1/whatif} of a running server, printed as text:
 * the hypothetical jobs' forecast starts, the queued jobs whose start moves, and per tenant how many
 * move later or earlier and by how much their waits change in all.
 */
@Command(name = "whatif", mixinStandardHelpOptions = true,
    description = {"What if: forecast the live queue with and without a change, and print what moves.",
        "The change: hypothetical jobs (--gpus, --seconds, ...; a tenant token adds its own), and with an operator"
            + " token domains drained (--drain-domain), sites down (--site-down) or a tenant's contract replaced"
            + " (--contract TENANT=FILE, FILE the JSON that PUT /v1/tenants/TENANT/contract takes)."
            + " Nothing changes on the server."})
final class WhatIfCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_ROW = "%8s  %-16s %6s  %-20s  %-20s  %s%n";
  private static final String TENANT_ROW = "  %-16s %6s %6s %7s %5s  %12s  %12s  %8s  %9s  %8s  %11s%n";

  @Option(names = "--gpus", paramLabel = "N", description = "GPUs of each hypothetical job.")
  Integer gpus;

  @Option(names = "--group", paramLabel = "G", defaultValue = "1",
      description = "Scale-up group size of the hypothetical jobs. Default: ${DEFAULT-VALUE}.")
  int group;

  @Option(names = "--span-sites", description = "The hypothetical jobs may span sites.")
  boolean spanSites;

  @Option(names = "--seconds", paramLabel = "S", description = "Declared run time of each hypothetical job.")
  Long seconds;

  @Option(names = "--count", paramLabel = "K", defaultValue = "1",
      description = "How many such jobs. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(names = "--tenant", paramLabel = "T", description = "Whose jobs (operator token; a tenant adds its own).")
  String tenant;

  @Option(names = "--drain-domain", paramLabel = "D", description = "A domain drained (operator); repeatable.")
  List<Integer> drainDomains = List.of();

  @Option(names = "--site-down", paramLabel = "SITE", description = "A site down (operator); repeatable.")
  List<String> downSites = List.of();

  @Option(names = "--contract", paramLabel = "TENANT=FILE",
      description = "A tenant's contract replaced by FILE's JSON (operator); repeatable.")
  List<String> contracts = List.of();

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "List at most N moved jobs (all are counted). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Mixin ApiClient api;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode r = api.post("/v1/whatif", body()).body();
    String horizon = r.path("horizonEnd").asText();
    PrintWriter out = spec.commandLine().getOut();
    out.println("as of " + ClientCommands.seconds(r.path("asOf").asText()) + ", " + r.path("draws").asInt()
        + " draws, horizon " + ClientCommands.seconds(r.path("horizonEnd").asText()) + " (" + r.path("millis").asLong()
        + " ms)");
    for (JsonNode h : r.path("hypothetical")) {
      JsonNode s = h.path("start");
      String what = "hypothetical job " + h.path("index").asInt() + " (" + h.path("tenant").asText() + ", "
          + h.path("gpus").asInt() + " GPUs): ";
      out.println(h.has("rejected") ? what + "would be rejected (" + h.path("rejected").asText() + ")"
          : what + "would start " + ClientCommands.forecastTime(s, "p50", horizon) + " (p90 "
          + ClientCommands.forecastTime(s, "p90", horizon) + ")");
    }
    int changed = r.path("changedJobs").asInt();
    out.println(changed == 0 ? "no queued job moves"
        : changed + " job" + (changed == 1 ? "" : "s") + " move" + (changed == 1 ? "s" : "")
        + (r.path("jobs").size() < changed ? " (the " + r.path("jobs").size() + " that move most):" : ":"));
    if (changed > 0) {
      out.printf(JOB_ROW, "JOBID", "TENANT", "GPUS", "BEFORE", "AFTER", "DELAY");
      for (JsonNode j : r.path("jobs")) {
        String before = j.path("requeued").asBoolean() ? "running (requeued)"
            : ClientCommands.forecastTime(j.path("before"), "p50", horizon);
        String after = j.path("rejected").isTextual() ? "rejected (" + j.path("rejected").asText() + ")"
            : ClientCommands.forecastTime(j.path("after"), "p50", horizon);
        out.printf(JOB_ROW, j.path("id").asLong(), j.path("tenant").asText(), j.path("gpus").asInt(), before, after,
            delay(j.path("p50DelaySeconds")));
      }
    }
    if (!r.path("restarted").isEmpty()) {
      List<String> ids = new java.util.ArrayList<>();
      r.path("restarted").forEach(id -> ids.add(id.asText()));
      out.println("restarted at once on other GPUs: job" + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids));
    }
    printTenants(out, r.path("tenants"));
    return 0;
  }

  /** The per-tenant lines of a what-if or a dry run (nothing if no tenant's jobs are involved). */
  static void printTenants(PrintWriter out, JsonNode tenants) {
    if (tenants.isEmpty()) {
      return;
    }
    out.printf(TENANT_ROW, "TENANT", "QUEUED", "LATER", "EARLIER", "SAME", "WAIT CHANGE", "GPU-HOURS", "REQUEUED",
        "RESTARTED", "REJECTED", "PREEMPTIONS");
    for (JsonNode t : tenants) {
      out.printf(TENANT_ROW, t.path("tenant").asText(), t.path("queued").asInt(), t.path("later").asInt(),
          t.path("earlier").asInt(), t.path("same").asInt(), delay(t.path("waitDeltaSeconds")),
          String.format(Locale.ROOT, "%+,.1f", t.path("gpuHoursWaitDelta").asDouble()), t.path("requeued").asInt(),
          t.path("restarted").asInt(), t.path("rejected").asInt(),
          t.path("preemptionsBefore").asInt() + "->" + t.path("preemptionsAfter").asInt());
    }
  }

  /** Seconds as a signed h/m/s span ("+1h 30m", "-45s", "0"); "-" if unknown (beyond the horizon). */
  static String delay(JsonNode seconds) {
    if (!seconds.isNumber()) {
      return "-";
    }
    long s = seconds.asLong();
    if (s == 0) {
      return "0";
    }
    long a = Math.abs(s);
    String span = a >= 3600 ? a / 3600 + "h " + (a % 3600) / 60 + "m" : a >= 60 ? a / 60 + "m " + a % 60 + "s" : a + "s";
    return (s > 0 ? "+" : "-") + span;
  }

  private ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (gpus != null || seconds != null) {
      if (gpus == null || seconds == null) {
        throw new InputException((gpus == null ? "--gpus" : "--seconds") + ": a hypothetical job needs --gpus and --seconds");
      }
      ObjectNode job = body.putArray("jobs").addObject();
      job.put("gpus", gpus).put("scaleUpGroup", group).put("spanSites", spanSites).put("durationSeconds", seconds)
          .put("count", count);
      if (tenant != null) {
        job.put("tenant", tenant);
      }
    }
    if (!drainDomains.isEmpty()) {
      ArrayNode d = body.putArray("drainDomains");
      drainDomains.forEach(d::add);
    }
    if (!downSites.isEmpty()) {
      ArrayNode s = body.putArray("downSites");
      downSites.forEach(s::add);
    }
    if (!contracts.isEmpty()) {
      ArrayNode c = body.putArray("contracts");
      for (String item : contracts) {
        int eq = item.indexOf('=');
        if (eq <= 0 || eq == item.length() - 1) {
          throw new InputException("--contract: '" + item + "' is not TENANT=FILE");
        }
        c.addObject().put("tenant", item.substring(0, eq)).set("terms", terms(Path.of(item.substring(eq + 1))));
      }
    }
    if (body.isEmpty()) {
      throw new InputException("whatif: give a change: --gpus and --seconds, --drain-domain, --site-down or --contract");
    }
    body.put("limit", limit);
    return body;
  }

  private static JsonNode terms(Path file) {
    try {
      JsonNode terms = JSON.readTree(Files.readString(file));
      if (terms == null || !terms.isObject()) {
        throw new InputException("--contract: " + file + ": the terms are a JSON object");
      }
      return terms;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InputException("--contract: " + file + ":" + e.getLocation().getLineNr() + ": not JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException("--contract: cannot read " + file + ": " + e.getMessage());
    }
  }
}
