package dev.superfactory.sweep;

/** What an engine tells the user as points finish. Called from one thread at a time. */
public interface SweepProgress {
  /** Before the first point: how many points the sweep has, how many were already done, how many run at once. */
  void start(int total, int alreadyDone, int parallel);

  /** A point finished (its result is stored). */
  void done(PointRow row);

  /** A line for the user (a decision the engine took, e.g. the parallelism the heap allows). */
  void note(String line);

  SweepProgress NONE = new SweepProgress() {
    @Override
    public void start(int total, int alreadyDone, int parallel) {}

    @Override
    public void done(PointRow row) {}

    @Override
    public void note(String line) {}
  };
}
