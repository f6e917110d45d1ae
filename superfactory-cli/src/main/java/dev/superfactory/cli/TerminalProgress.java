package dev.superfactory.cli;

import dev.superfactory.sim.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, shown only on a terminal and only once a run has
 * taken more than two seconds; {@link #finish} clears it.
 */
final class TerminalProgress implements Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private boolean drawn;

  private TerminalProgress(PrintWriter err) {
    this.err = err;
  }

  /** A progress bar if standard error is a terminal, else {@link Progress#NONE}. */
  static Progress forTerminal(PrintWriter err) {
    return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? new TerminalProgress(err) : Progress.NONE;
  }

  @Override
  public void update(long simulatedSeconds, long horizonSeconds, long events) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    if (elapsed < 2.0) {
      return;
    }
    double f = Math.min(1.0, (double) simulatedSeconds / horizonSeconds);
    int filled = (int) Math.round(f * WIDTH);
    err.printf(Locale.ROOT, "\r[%s%s] %3.0f%%  day %.0f of %.0f  %,d events  %.0f s",
        "#".repeat(filled), " ".repeat(WIDTH - filled), f * 100, simulatedSeconds / 86400.0,
        horizonSeconds / 86400.0, events, elapsed);
    err.flush();
    drawn = true;
  }

  static void finish(Progress p) {
    if (p instanceof TerminalProgress && ((TerminalProgress) p).drawn) {
      TerminalProgress t = (TerminalProgress) p;
      t.err.print("\r" + " ".repeat(100) + "\r");
      t.err.flush();
    }
  }
}
