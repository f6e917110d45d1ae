package dev.superfactory.cli;

import java.lang.management.ManagementFactory;

/**
 * When a command started as the user sees it, for the "Run: X s wall" line: the moment the
 * {@code ./superfactory} launcher was started (after any build), as it passes it in
 * {@code SUPERFACTORY_LAUNCHED_MS}; else the JVM's start; else (in-process, as tests call
 * {@link Main#run}) the call itself. So the figure includes JVM start-up, scenario parsing,
 * workload generation, the simulation and writing the reports.
 *
 * @param startEpochMillis the start, in milliseconds since the epoch
 * @param from what the start is, in words ("launch", "JVM start", "command start")
 */
record CommandClock(long startEpochMillis, String from) {
  /** How much earlier than the JVM's start a launcher's time may be and still be believed. */
  private static final long MAX_LAUNCH_LEAD_MILLIS = 60_000;

  /** The clock of a {@code superfactory} process: its launch if the launcher says when, else the JVM's start. */
  static CommandClock ofProcess(String launchedMillis) {
    long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
    try {
      long launched = launchedMillis == null ? -1 : Long.parseLong(launchedMillis.trim());
      if (launched <= jvm && jvm - launched <= MAX_LAUNCH_LEAD_MILLIS) {
        return new CommandClock(launched, "launch");
      }
    } catch (NumberFormatException e) {
      // a launcher whose date(1) has no milliseconds: fall back to the JVM's start
    }
    return new CommandClock(jvm, "JVM start");
  }

  /** A clock started now, for a command run in-process. */
  static CommandClock startingNow() {
    return new CommandClock(System.currentTimeMillis(), "command start");
  }

  double elapsedSeconds() {
    return (System.currentTimeMillis() - startEpochMillis) / 1000.0;
  }
}
