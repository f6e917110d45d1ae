package dev.superfactory.cli;

import dev.superfactory.sweep.PointRow;
import dev.superfactory.sweep.SweepProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The sweep's progress on standard error: on a terminal a one-line bar (points done, points per minute, time
 * left); elsewhere (a log, a pipe) a line every 10% of the points. The engine's notes (the parallelism the heap
 * allows) are printed as they come. Called from one thread.
 */
final class SweepProgressBar implements SweepProgress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean terminal;
  private long startNanos;
  private int total;
  private int done;
  private int ranHere;
  private int lastTenth = -1;
  private boolean drawn;

  private SweepProgressBar(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  static SweepProgressBar forTerminal(PrintWriter err) {
    return new SweepProgressBar(err, System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }

  @Override
  public void start(int total, int alreadyDone, int parallel) {
    this.total = total;
    this.done = alreadyDone;
    this.startNanos = System.nanoTime();
  }

  @Override
  public void done(PointRow row) {
    done++;
    ranHere++;
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double perMinute = ranHere / Math.max(1e-9, elapsed) * 60;
    double leftMinutes = (total - done) / Math.max(1e-9, perMinute);
    String text = String.format(Locale.ROOT, "%d/%d points  %.1f points/min  ETA %s", done, total, perMinute,
        eta(leftMinutes));
    if (terminal) {
      int filled = (int) Math.round((double) done / total * WIDTH);
      err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "   ");
      drawn = true;
    } else {
      int tenth = (int) Math.floor(10.0 * done / total);
      if (tenth == lastTenth) {
        return;
      }
      lastTenth = tenth;
      err.println("sweep: " + text);
    }
    err.flush();
  }

  @Override
  public void note(String line) {
    clear();
    err.println("sweep: " + line);
    err.flush();
  }

  void finish() {
    clear();
  }

  private void clear() {
    if (drawn) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
      drawn = false;
    }
  }

  private static String eta(double minutes) {
    if (minutes < 1) {
      return String.format(Locale.ROOT, "%.0f s", minutes * 60);
    }
    if (minutes < 120) {
      return String.format(Locale.ROOT, "%.0f min", minutes);
    }
    return String.format(Locale.ROOT, "%.1f h", minutes / 60);
  }
}
