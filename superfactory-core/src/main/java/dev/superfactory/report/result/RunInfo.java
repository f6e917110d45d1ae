package dev.superfactory.report.result;

/**
 * {@code run}: how the run itself went; the only part of a result that differs between two runs
 * of the same scenario and seed.
 *
 * @param peakHeapMiB the JVM's peak heap in use during the run
 * @param version Superfactory's version
 * @param java the Java version
 */
public record RunInfo(double wallSeconds, long events, long eventsPerSecond, double peakHeapMiB, String version,
    String java) {}
