package dev.superfactory.workload;

import java.util.List;

/**
 * A trace file being read, one job at a time: opening checks what can be checked up front (the
 * file exists, its header), and each {@link #next} reads only as far as the next job, so a trace
 * of any length is read in the memory of one line. Jobs come in file order (a collector such as
 * {@link JobsBuilder#addAll} sorts them by submit time). Rows that do not become jobs are counted by
 * reason in {@link #info()}; a malformed row is an {@link dev.superfactory.input.InputException}
 * {@code file:line: column: problem}. Close it (try-with-resources) to release the file.
 */
public interface TraceReader extends AutoCloseable {
  /** Reads the next job into {@code out}; false at the end of the trace. */
  boolean next(JobRow out);

  /**
   * The tenants the jobs' {@link JobRow#tenant()} indexes point into: the ones given in the
   * {@link TraceContext} plus any the trace brought (openb's QoS classes), in order of first use.
   * Final once {@link #next} has returned false.
   */
  List<Tenant> tenants();

  /** Rows read, jobs, skipped rows by reason and notes so far; the whole trace's once {@link #next} returned false. */
  TraceInfo info();

  /** Releases the file; reading I/O problems were already reported by {@link #next}. */
  @Override
  void close();
}
