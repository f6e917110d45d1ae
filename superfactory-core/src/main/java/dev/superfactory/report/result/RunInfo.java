package dev.superfactory.report.result;

/**
 * {@code run}: how the run itself went; the only part of a result that differs between two runs
 * of the same scenario and seed.
 *
 * @param wallSeconds the wall time of the simulation's event loop (not the workload generation,
 *     the scenario parsing or the report writing; the CLI prints the whole command's time beside it)
 * @param eventsPerSecond events over {@code wallSeconds}
 * @param peakHeapMiB the JVM's peak heap in use during the run
 * @param version Superfactory's version
 * @param java the Java version
 */
public record RunInfo(double wallSeconds, long events, long eventsPerSecond, double peakHeapMiB, String version,
    String java) {}
