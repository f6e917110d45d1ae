package dev.superfactory.spark;

import dev.superfactory.input.InputException;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.sweep.PointRow;
import dev.superfactory.sweep.PointRunner;
import dev.superfactory.sweep.PointStore;
import dev.superfactory.sweep.SweepEngine;
import dev.superfactory.sweep.SweepPlan;
import dev.superfactory.sweep.SweepPoint;
import dev.superfactory.sweep.SweepProgress;
import dev.superfactory.sweep.SweepSource;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs a sweep's points as Spark tasks, one task per point: the todo points' indices are parallelized with one
 * slice each; a task rebuilds the plan from its {@link SweepSource} (text: no shared file system, except for trace
 * files the base scenario names), runs {@link PointRunner#run} and sends back the row and {@code result.json} as
 * text. The driver stores each result with {@link PointStore#write} as its task finishes (a job result handler,
 * not a collect at the end), so a killed sweep resumes like a local one.
 *
 * <p>The master is {@code --master}, else the {@code spark.master} that {@code spark-submit} set, else
 * {@code local[*]}. A master that cannot be reached or parsed is an {@link InputException} (one line).
 *
 * <p>Cost: one simulation per point on an executor; per task, the plan's two texts travel to the executor and
 * two JSON texts come back; a JVM parses a sweep's plan once ({@link #PLANS}). An embedded context starts in
 * 2-4 s on a 2-core machine (scripts/bench-sweep-spark.sh), about 0.03 s per point more after that: Spark pays off
 * for sweeps too large for one machine.
 */
public final class SparkEngine implements SweepEngine {
  /** Plans rebuilt in this JVM (executor or local driver), by source and objective: a JVM parses a sweep once. */
  private static final Map<PlanKey, SweepPlan> PLANS = new ConcurrentHashMap<>();
  private static final int MAX_PLANS = 8;
  /** The master URLs Spark 4 takes (SparkContext.createTaskScheduler, SparkSubmit). */
  private static final Pattern MASTER = Pattern.compile(
      "local(\\[(\\d+|\\*)(,\\d+)?])?|local-cluster\\[\\d+, *\\d+, *\\d+]|spark://.+|yarn|k8s://.+");

  private final JavaSparkContext given;

  /** The engine {@code sweep --engine spark} finds: starts a Spark context per sweep and stops it after. */
  public SparkEngine() {
    this(null);
  }

  /** Runs on {@code context}, which the caller owns (tests: one context per test class). */
  SparkEngine(JavaSparkContext context) {
    this.given = context;
  }

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public List<PointRow> run(SweepPlan plan, List<SweepPoint> todo, Path out, Options options,
      SweepProgress progress) {
    if (todo.isEmpty()) {
      return new ArrayList<>();
    }
    if (options.parallel() > 0) {
      progress.note("--parallel " + options.parallel() + ": applies to the local engine; Spark runs as many points at"
          + " once as it has cores (--master local[N], or the cluster's executor cores)");
    }
    long t0 = System.nanoTime();
    JavaSparkContext sc = given != null ? given : start(plan.name(), options.master());
    Throwable failed = null;
    try {
      String started = given != null ? "" : String.format(Locale.ROOT, " (context started in %.1f s)",
          (System.nanoTime() - t0) / 1e9);
      progress.note(String.format(Locale.ROOT, "Spark %s: %d cores, %d task%s%s", sc.master(),
          sc.defaultParallelism(), todo.size(), todo.size() == 1 ? "" : "s", started));
      String objective = plan.objective() == null ? null : plan.objective().text();
      return runJob(sc, new PlanKey(plan.source(), objective), todo, out, options.version(), progress);
    } catch (RuntimeException | Error e) {
      failed = e;
      throw e;
    } finally {
      if (given == null) {
        try {
          sc.stop();
        } catch (RuntimeException stopping) {
          if (failed != null) {
            failed.addSuppressed(stopping); // the sweep's own failure is the one to report
          } else {
            progress.note("Spark: stopping the context failed (the results are stored): " + stopping);
          }
        }
      }
    }
  }

  /** A context for {@code master} (null: spark-submit's, else local[*]); a failure to start is one line. */
  static JavaSparkContext start(String sweepName, String master) {
    SparkConf conf = new SparkConf(); // reads the spark.* system properties spark-submit sets
    String url = master != null ? master : conf.get("spark.master", "local[*]");
    String flag = master != null ? "--master " + url : "Spark master " + url;
    int java = Runtime.version().feature();
    if (java >= 24 && System.getenv("SPARK_USER") == null) {
      throw new InputException("--engine spark: on Java " + java + " Hadoop cannot read the user name; set SPARK_USER"
          + " (export SPARK_USER=$(id -un); ./superfactory does) or run on Java 17-23");
    }
    if (!MASTER.matcher(url).matches()) {
      throw new InputException(flag + ": not a Spark master URL (local[*], local[N], spark://host:7077, yarn,"
          + " k8s://https://host:port)");
    }
    probeStandalone(url, flag);
    conf.setMaster(url).setAppName("superfactory sweep " + sweepName).set("spark.ui.enabled", "false");
    if (url.startsWith("local")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    try {
      return new JavaSparkContext(conf);
    } catch (Exception e) { // Scala's SparkException is checked in Java's eyes
      throw new InputException(flag + ": cannot start Spark: " + firstLine(e), e);
    }
  }

  /**
   * For {@code spark://h1:p1,h2:p2}: fails unless some master accepts a TCP connection within 5 s. Spark itself
   * would retry for a minute and then stop its context without an exception the caller sees.
   */
  static void probeStandalone(String url, String flag) {
    if (!url.startsWith("spark://")) {
      return;
    }
    String why = "no master given";
    for (String hostPort : url.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      int port;
      try {
        port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new InputException(flag + ": not a Spark master URL (spark://host:port)");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 5000);
        return;
      } catch (IOException | IllegalArgumentException e) {
        why = hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    throw new InputException(flag + ": cannot reach the Spark master: " + why);
  }

  /** Runs {@code todo}, points of the plan {@code key} rebuilds, as one job; stores each result as it arrives. */
  static List<PointRow> runJob(JavaSparkContext sc, PlanKey key, List<SweepPoint> todo, Path out, String version,
      SweepProgress progress) {
    RunPoints task = new RunPoints(key, version);
    BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    SimpleFutureAction<BoxedUnit> job = submit(sc, todo, task, arrived);
    List<PointRow> rows = new ArrayList<>();
    Map<Integer, SweepPoint> byIndex = new HashMap<>();
    todo.forEach(p -> byIndex.put(p.index(), p));
    try {
      while (rows.size() < todo.size()) {
        Object next = arrived.take();
        if (next instanceof Exception e) {
          throw failure(sc.master(), e);
        }
        String[] texts = (String[]) next;
        for (int i = 0; i < texts.length; i += 2) {
          PointRow sent = ResultJson.parse(texts[i], PointRow.class);
          // the driver's key: an executor's own copy of a replayed trace may differ in its time stamp
          SweepPoint p = byIndex.get(sent.index());
          PointRow row = new PointRow(p.index(), p.id(), p.key(), sent.axes(), sent.seed(), sent.outputs(),
              sent.wallSeconds(), sent.peakHeapMiB());
          PointStore.write(out, new PointRunner.PointResult(row, texts[i + 1]));
          rows.add(row);
          progress.done(row);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      if (!job.isCompleted()) {
        job.cancel(); // storing a result failed (a full disk), or we were interrupted: stop the tasks still running
      }
    }
    return rows;
  }

  /**
   * Starts the job: one partition per point. Each finished task's texts, and the job's failure if it fails, go
   * to {@code arrived} (Spark calls the handler on its scheduler thread: it only hands over).
   */
  private static SimpleFutureAction<BoxedUnit> submit(JavaSparkContext sc, List<SweepPoint> todo, RunPoints task,
      BlockingQueue<Object> arrived) {
    JavaRDD<Integer> rdd = sc.parallelize(todo.stream().map(SweepPoint::index).toList(), todo.size());
    List<Object> partitions = new ArrayList<>();
    for (int i = 0; i < rdd.getNumPartitions(); i++) {
      partitions.add(i);
    }
    SimpleFutureAction<BoxedUnit> job = sc.sc().submitJob(rdd.rdd(), task,
        CollectionConverters.asScala(partitions).toSeq(), new AbstractFunction2<Object, String[], BoxedUnit>() {
          @Override
          public BoxedUnit apply(Object partition, String[] texts) {
            arrived.add(texts);
            return BoxedUnit.UNIT;
          }
        }, new AbstractFunction0<BoxedUnit>() {
          @Override
          public BoxedUnit apply() {
            return BoxedUnit.UNIT;
          }
        });
    Thread watcher = new Thread(() -> {
      try {
        job.get();
      } catch (Exception e) {
        arrived.add(e);
      }
    }, "sweep-spark-job");
    watcher.setDaemon(true);
    watcher.start();
    return job;
  }

  /** A failed job as one line; a point's own user error passes through as it is. */
  private static RuntimeException failure(String master, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException ie) {
        return ie;
      }
    }
    return new InputException("Spark " + master + ": the sweep's job failed: " + firstLine(e), e);
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().startsWith("Exception thrown in awaitResult"))
        && t.getCause() != null) {
      t = t.getCause(); // Spark's wrapper around a failed job: the reason is inside
    }
    String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return m.strip().lines().findFirst().orElse(m);
  }

  /** What identifies a plan in any JVM: the sweep's texts and the objective it was run with. */
  record PlanKey(SweepSource source, String objective) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static SweepPlan plan(PlanKey key) {
    SweepPlan p = PLANS.get(key);
    if (p == null) {
      if (PLANS.size() >= MAX_PLANS) {
        PLANS.clear();
      }
      p = PLANS.computeIfAbsent(key, k -> SweepPlan.of(k.source(), k.objective(), false)); // checked by the driver
    }
    return p;
  }

  /**
   * The task: for each point index of its partition (one), the row as compact JSON and the {@code result.json}
   * text, flattened {@code [row, result, row, result, ...]}.
   */
  static final class RunPoints extends AbstractFunction1<Iterator<Integer>, String[]> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PlanKey key;
    private final String version;

    RunPoints(PlanKey key, String version) {
      this.key = key;
      this.version = version;
    }

    @Override
    public String[] apply(Iterator<Integer> indices) {
      SweepPlan plan = plan(key);
      List<String> texts = new ArrayList<>();
      while (indices.hasNext()) {
        int index = indices.next();
        SweepPoint p = plan.points().get(index);
        if (p.index() != index) {
          throw new IllegalStateException("point " + index + " of " + plan.name() + " is at " + p.index());
        }
        PointRunner.PointResult r = PointRunner.run(plan, p, version);
        texts.add(ResultJson.compact(r.row()));
        texts.add(r.resultJson());
      }
      return texts.toArray(new String[0]);
    }
  }
}
