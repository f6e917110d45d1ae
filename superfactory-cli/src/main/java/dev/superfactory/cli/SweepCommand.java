package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.report.TextTable;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.sweep.Axis;
import dev.superfactory.sweep.LocalEngine;
import dev.superfactory.sweep.Outputs;
import dev.superfactory.sweep.PointRow;
import dev.superfactory.sweep.PointStore;
import dev.superfactory.sweep.SweepCsv;
import dev.superfactory.sweep.SweepEngine;
import dev.superfactory.sweep.SweepPage;
import dev.superfactory.sweep.SweepPlan;
import dev.superfactory.sweep.SweepPoint;
import dev.superfactory.sweep.SweepResult;
import dev.superfactory.sweep.SweepSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Run a scenario over many values of its fields (axes) and seeds, and compare the outcomes.",
        "Reads SWEEP.yaml (see README, \"Sweeps\"), checks every path and every generated scenario, runs the points"
            + " in parallel (or on Spark) and writes rows.jsonl, each point's result.json, and sweep.json, sweep.csv"
            + " and sweep.html with every output's mean and 95%% confidence interval over the seeds. A rerun into the"
            + " same folder skips the points already done."})
final class SweepCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep file.")
  Path file;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: ./superfactory-out/sweep-<name>/; a rerun resumes it).")
  Path out;

  @Option(names = "--parallel", paramLabel = "N", converter = NumberConverters.PositiveInt.class,
      description = "Points at a time (default: one per core, as many as fit in the heap).")
  Integer parallel;

  @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
      description = "Where the points run: local (this JVM, default) or spark (Apache Spark; see README).")
  String engine;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master for --engine spark: local[*] (default, embedded), local[N], spark://host:7077.")
  String master;

  @Option(names = "--objective", paramLabel = "TEXT",
      description = "Marks the best points, e.g. 'minimize gpu-wait-p95 where payback <= 4' (replaces the file's).")
  String objective;

  @Option(names = "--list", description = "Print the points and exit without running them.")
  boolean list;

  @Option(names = "--json", description = "Print sweep.json to standard output instead of the table.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    SweepEngine eng = engine();
    if (master != null && eng instanceof LocalEngine) {
      throw new InputException("--master: applies to --engine spark");
    }
    SweepPlan plan = SweepPlan.of(SweepPlan.source(file), objective);
    PrintWriter o = spec.commandLine().getOut();
    if (list) {
      list(plan, o);
      return;
    }
    Path dir = out != null ? out : Path.of("superfactory-out", "sweep-" + plan.name());
    OutputPaths.intoOutFolder(dir, plan.name(), d -> sweep(plan, eng, d));
  }

  private SweepEngine engine() {
    if (engine.equals("local")) {
      return new LocalEngine();
    }
    List<String> names = new ArrayList<>(List.of("local"));
    for (SweepEngine e : ServiceLoader.load(SweepEngine.class)) {
      if (e.name().equals(engine)) {
        return e;
      }
      names.add(e.name());
    }
    if (engine.equals("spark")) {
      throw new InputException("--engine spark: the Spark engine is not on the class path; run through ./superfactory"
          + " (it builds superfactory-spark) or spark-submit superfactory-spark/target/superfactory-spark.jar"
          + " (README, \"Sweeps on Spark\")");
    }
    throw new InputException("--engine: unknown engine '" + engine + "' (known: " + String.join(", ", names)
        + (names.contains("spark") ? "" : ", spark") + ")");
  }

  private void list(SweepPlan plan, PrintWriter o) {
    o.println(header(plan));
    List<String> headers = new ArrayList<>(List.of("point"));
    plan.axes().forEach(a -> headers.add(a.written()));
    headers.add("seed>");
    TextTable t = new TextTable(headers.toArray(new String[0]));
    for (SweepPoint p : plan.points()) {
      List<Object> row = new ArrayList<>(List.of(p.id()));
      row.addAll(p.labels());
      row.add(p.seed());
      t.row(row.toArray());
    }
    o.print(t);
  }

  /** One sweep at a time per folder: a second one would run the same points and race for their files. */
  private void sweep(SweepPlan plan, SweepEngine eng, Path dir) {
    Path lockFile = dir.resolve(".sweep.lock");
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(ch)) {
      if (lock == null) {
        throw new InputException("--out " + dir + ": another sweep is running into this folder; wait for it or"
            + " give another --out");
      }
      sweepLocked(plan, eng, dir);
    } catch (IOException e) {
      throw new InputException(lockFile + ": cannot lock: " + OutputPaths.reason(e), e);
    }
  }

  /** The lock, or null when another process, or another sweep of this JVM, holds it. */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null;
    }
  }

  private void sweepLocked(SweepPlan plan, SweepEngine eng, Path dir) {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<Integer, PointRow> done = PointStore.completed(dir, plan);
    List<SweepPoint> todo = plan.points().stream().filter(p -> !done.containsKey(p.index())).toList();
    if (!json) {
      o.println(header(plan));
      o.printf(Locale.ROOT, "%s%s on the %s engine into %s%n", done.isEmpty() ? "" : done.size() + " already done, ",
          todo.isEmpty() ? "nothing to run" : "running " + todo.size(), eng.name(), dir);
      o.flush();
    }
    SweepProgressBar bar = SweepProgressBar.forTerminal(err);
    bar.start(plan.points().size(), done.size(), 0);
    long t0 = System.nanoTime();
    List<PointRow> rows = new ArrayList<>(done.values());
    rows.addAll(eng.run(plan, todo, dir, new SweepEngine.Options(parallel == null ? 0 : parallel, master,
        Main.version()), bar));
    bar.finish();
    double wall = (System.nanoTime() - t0) / 1e9;
    PointStore.writeRows(dir, rows);
    SweepResult result = SweepSummary.of(plan, rows);
    ResultJson.write(result, dir.resolve("sweep.json"));
    OutputPaths.write(dir.resolve("sweep.csv"), SweepCsv.render(result));
    OutputPaths.write(dir.resolve("sweep.html"), SweepPage.render(result));
    if (json) {
      o.print(ResultJson.pretty(result));
      return;
    }
    o.println();
    o.print(table(plan, result));
    if (plan.objective() != null) {
      o.println();
      o.println(bestLine(plan, result));
    }
    o.printf(Locale.ROOT, "%nOutputs in %s: sweep.json, sweep.csv, sweep.html, rows.jsonl, points/<id>/result.json%n",
        dir);
    if (!todo.isEmpty()) {
      o.printf(Locale.ROOT, "Ran %d points in %.1f s wall (%.1f points/min)%n", todo.size(), wall,
          todo.size() / Math.max(1e-9, wall) * 60);
    }
  }

  static String header(SweepPlan plan) {
    String axes = plan.axes().stream().map(a -> a.size() + " × " + a.written()).collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "Sweep %s on %s: %s%s%s = %d points", plan.name(), plan.baseName(),
        axes.isEmpty() ? "no axes" : axes, plan.groups().size() < plan.axes().size() ? " (zipped)" : "",
        ", " + plan.seeds().size() + (plan.seeds().size() == 1 ? " seed" : " seeds"), plan.points().size());
  }

  /** The console table: a row per cell, the axes, then the outputs a planner reads first. */
  static String table(SweepPlan plan, SweepResult r) {
    List<String> keys = new ArrayList<>(List.of("util", "useful-util", "gpu-wait-p95", "goodput", "revenue",
        "margin", "payback"));
    plan.estimates().forEach(e -> keys.add(e.name()));
    if (plan.objective() != null && !keys.contains(plan.objective().output())) {
      keys.add(plan.objective().output());
    }
    List<Outputs.Output> shown = r.outputs().stream().filter(o -> keys.contains(o.key())).filter(o ->
        r.cells().stream().anyMatch(c -> !Double.isNaN(c.outputs().get(o.key()).mean()))).toList();
    List<String> headers = new ArrayList<>();
    for (Axis a : plan.axes()) {
      headers.add(a.written() + (a.numeric() ? ">" : ""));
    }
    for (Outputs.Output o : shown) {
      headers.add(o.key() + ">");
    }
    if (plan.objective() != null) {
      headers.add("rank>");
    }
    TextTable t = new TextTable(headers.toArray(new String[0]));
    for (SweepResult.Cell c : r.cells()) {
      List<Object> row = new ArrayList<>();
      plan.axes().forEach(a -> row.add(c.axes().get(a.written())));
      for (Outputs.Output o : shown) {
        SweepResult.Stat s = c.outputs().get(o.key());
        String text = Outputs.format(o, s.mean());
        if (!Double.isNaN(s.ciHigh()) && s.ciHigh() > s.ciLow()) {
          text += " " + Outputs.plusMinus(o, (s.ciHigh() - s.ciLow()) / 2);
        }
        if (s.n() > 0 && s.n() < c.runs()) {
          text += " (" + s.n() + "/" + c.runs() + ")"; // some seeds have no figure (a payback never reached)
        }
        row.add(text);
      }
      if (plan.objective() != null) {
        row.add(c.rank() == null ? "-" : (c.best() ? "*" : "") + c.rank());
      }
      t.row(row.toArray());
    }
    return t.toString();
  }

  static String bestLine(SweepPlan plan, SweepResult r) {
    List<SweepResult.Cell> best = r.cells().stream().filter(SweepResult.Cell::best).toList();
    if (best.isEmpty()) {
      return "Objective (" + plan.objective().text() + "): no point meets the constraints";
    }
    Outputs.Output o = r.outputs().stream().filter(x -> x.key().equals(plan.objective().output())).findFirst()
        .orElseThrow();
    return "Best (" + plan.objective().text() + "): " + best.stream().map(c -> c.axes().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + " (" + o.key() + " "
        + Outputs.format(o, c.outputs().get(o.key()).mean()) + ")").collect(Collectors.joining("; "));
  }

}
