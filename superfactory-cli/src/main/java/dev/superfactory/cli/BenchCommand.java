package dev.superfactory.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.report.Format;
import dev.superfactory.report.Json;
import dev.superfactory.report.TextTable;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Benchmark;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark the simulator on one simulated year of a scenario.",
        "Runs the scenario (default fairwater) at ~85%% offered load with 250k, 500k and 1M jobs (or --jobs N),"
            + " each repeated, and prints the median wall time (workload generation + simulation), events, events/s"
            + " and peak heap."})
final class BenchCommand implements Runnable {
  @Mixin ScenarioOptions scenario;

  @Option(names = "--jobs", paramLabel = "N", converter = NumberConverters.PositiveLong.class,
      description = "One job count instead of 250k, 500k and 1M.")
  Long jobs;

  @Option(names = "--days", paramLabel = "N", defaultValue = "365", converter = NumberConverters.PositiveDouble.class,
      description = "Simulated days (default ${DEFAULT-VALUE}).")
  double days;

  @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", converter = NumberConverters.PositiveInt.class,
      description = "Runs per size; the median is reported (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--no-failures", description = "Turn the failure processes off.")
  boolean noFailures;

  @Option(names = "--compare-failures",
      description = "Run each size with failures on and off, interleaved, and print both medians and their ratio.")
  boolean compareFailures;

  @Option(names = "--json", description = "Print JSON: one object (jobs, wallSeconds, cpuSeconds, events, eventsPerSecond, peakHeapMiB) with --jobs, else {\"runs\": [...]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    NumberConverters.atMost("--repeat", repeat, 100, "100");
    NumberConverters.atMost("--days", days, 3650, "3,650 days (10 years)");
    if (jobs != null) {
      NumberConverters.atMost("--jobs", jobs, 100_000_000L, "100,000,000");
    }
    Scenario s = scenario.load().withHorizonSeconds(Math.round(days * 86400));
    if (noFailures) {
      s = s.withReliability(s.reliability().withEnabled(false));
    }
    List<Long> sizes = jobs != null ? List.of(jobs) : List.of(250_000L, 500_000L, 1_000_000L);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (compareFailures) {
      compare(s, sizes, out, err);
      return;
    }
    List<Benchmark.Run> medians = new ArrayList<>();
    List<Double> cpuMedians = new ArrayList<>();
    List<String[]> spreads = new ArrayList<>();
    for (long n : sizes) {
      List<Benchmark.Run> runs = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        Benchmark.Run r = Benchmark.run(s, n);
        runs.add(r);
        if (!json) {
          err.printf("  %s jobs, run %d/%d: %.2f s%n", Format.count(n), i + 1, repeat, r.wallSeconds());
          err.flush();
        }
      }
      cpuMedians.add(median(runs, Benchmark.Run::cpuSeconds));
      runs.sort(Comparator.comparingDouble(Benchmark.Run::wallSeconds));
      medians.add(runs.get(runs.size() / 2));
      spreads.add(new String[] {Format.fixed(runs.get(0).wallSeconds(), 2),
          Format.fixed(runs.get(runs.size() - 1).wallSeconds(), 2)});
    }
    if (json) {
      if (jobs != null) {
        out.print(Json.pretty(node(medians.get(0))));
      } else {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode a = root.putArray("runs");
        medians.forEach(r -> a.add(node(r)));
        out.print(Json.pretty(root));
      }
      return;
    }
    out.printf("Scenario %s, %s simulated days, failures %s, %d run(s) per size, Java %s, max heap %s MiB%n%n",
        s.name(), Format.fixed(days, 0), s.reliability().active() ? "on" : "off", repeat,
        System.getProperty("java.version"),
        Format.count(Runtime.getRuntime().maxMemory() / 1048576));
    TextTable t = new TextTable("jobs>", "wall s (median)>", "min..max s>", "cpu s (median)>", "events>", "events/s>",
        "peak heap MiB>", "s per 100k jobs>");
    for (int i = 0; i < medians.size(); i++) {
      Benchmark.Run r = medians.get(i);
      t.row(Format.count(r.jobs()), Format.fixed(r.wallSeconds(), 2), spreads.get(i)[0] + ".." + spreads.get(i)[1],
          Format.fixed(cpuMedians.get(i), 2), Format.count(r.events()), Format.count(Math.round(r.eventsPerSecond())),
          Format.fixed(r.peakHeapMiB(), 0), Format.fixed(r.wallSeconds() / r.jobs() * 100_000, 3));
    }
    out.print(t);
  }

  /** Failures on and off, interleaved run by run so that machine noise hits both alike. */
  private void compare(Scenario s, List<Long> sizes, PrintWriter out, PrintWriter err) {
    Scenario on = s.withReliability(s.reliability().withEnabled(true));
    Scenario off = s.withReliability(s.reliability().withEnabled(false));
    TextTable t = new TextTable("jobs>", "failures on s (median)>", "failures off s (median)>", "on / off>",
        "on min..max>", "off min..max>", "cpu on / off s>", "cpu on / off>");
    ArrayNode runs = JsonNodeFactory.instance.arrayNode();
    for (long n : sizes) {
      List<Benchmark.Run> a = new ArrayList<>();
      List<Benchmark.Run> b = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        a.add(Benchmark.run(on, n));
        b.add(Benchmark.run(off, n));
        if (!json) {
          err.printf("  %s jobs, run %d/%d: on %.2f s, off %.2f s%n", Format.count(n), i + 1, repeat,
              a.get(i).wallSeconds(), b.get(i).wallSeconds());
          err.flush();
        }
      }
      a.sort(Comparator.comparingDouble(Benchmark.Run::wallSeconds));
      b.sort(Comparator.comparingDouble(Benchmark.Run::wallSeconds));
      Benchmark.Run ma = a.get(a.size() / 2);
      Benchmark.Run mb = b.get(b.size() / 2);
      double cpuOn = median(a, Benchmark.Run::cpuSeconds);
      double cpuOff = median(b, Benchmark.Run::cpuSeconds);
      t.row(Format.count(ma.jobs()), Format.fixed(ma.wallSeconds(), 2), Format.fixed(mb.wallSeconds(), 2),
          Format.fixed(ma.wallSeconds() / mb.wallSeconds(), 2),
          Format.fixed(a.get(0).wallSeconds(), 2) + ".." + Format.fixed(a.get(a.size() - 1).wallSeconds(), 2),
          Format.fixed(b.get(0).wallSeconds(), 2) + ".." + Format.fixed(b.get(b.size() - 1).wallSeconds(), 2),
          Format.fixed(cpuOn, 2) + " / " + Format.fixed(cpuOff, 2), Format.fixed(cpuOn / cpuOff, 2));
      ObjectNode o = runs.addObject();
      o.set("failuresOn", node(ma));
      o.set("failuresOff", node(mb));
      o.put("ratio", Format.round(ma.wallSeconds() / mb.wallSeconds(), 3));
      o.put("cpuRatio", Format.round(cpuOn / cpuOff, 3));
    }
    if (json) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.set("runs", runs);
      out.print(Json.pretty(root));
    } else {
      out.printf("Scenario %s, %s simulated days, %d interleaved run(s) per size and setting, Java %s%n%n", s.name(),
          Format.fixed(days, 0), repeat, System.getProperty("java.version"));
      out.print(t);
    }
  }

  /** The median of one measure over runs (the middle one; the upper middle for an even count). */
  private static double median(List<Benchmark.Run> runs, java.util.function.ToDoubleFunction<Benchmark.Run> measure) {
    double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
    return v[v.length / 2];
  }

  private static ObjectNode node(Benchmark.Run r) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("jobs", r.jobs());
    n.put("wallSeconds", Format.round(r.wallSeconds(), 3));
    n.put("cpuSeconds", Format.round(r.cpuSeconds(), 3));
    n.put("events", r.events());
    n.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
    n.put("peakHeapMiB", Format.round(r.peakHeapMiB(), 1));
    return n;
  }
}
