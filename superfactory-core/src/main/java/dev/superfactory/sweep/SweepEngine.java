package dev.superfactory.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs a sweep's points somewhere: {@link LocalEngine} in this JVM, the Spark engine (module
 * {@code superfactory-spark}, found with {@link java.util.ServiceLoader}) on a Spark cluster. An engine
 * runs the points it is given, stores each with {@link PointStore#write} as it arrives and reports it to
 * the progress; the caller aggregates.
 */
public interface SweepEngine {
  /** The name {@code sweep --engine} takes. */
  String name();

  /**
   * Runs {@code todo} (points of {@code plan} without a stored result) and stores their results under
   * {@code out}. Returns the rows of the points it ran, in any order.
   */
  List<PointRow> run(SweepPlan plan, List<SweepPoint> todo, Path out, Options options, SweepProgress progress);

  /**
   * What the user asked of the engine.
   *
   * @param parallel points at a time (0: the engine decides)
   * @param master the Spark master URL ({@code local[*]}, {@code spark://host:7077}); null: the local engine, or
   *     for Spark the master {@code spark-submit} set ({@code spark.master}), else {@code local[*]}
   * @param version the Superfactory version each result.json's {@code run} section records
   */
  record Options(int parallel, String master, String version) {}
}
