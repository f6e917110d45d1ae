package dev.superfactory.sim;

/** Told now and then how far a run has got; the CLI draws a progress bar with it. */
public interface Progress {
  Progress NONE = (simulated, horizon, events) -> {};

  /** Called about every 100 ms of wall time and once at the end. */
  void update(long simulatedSeconds, long horizonSeconds, long events);
}
