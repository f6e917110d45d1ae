package dev.superfactory.report.result;

/**
 * {@code wait} and {@code completionTime}: a distribution of job durations in hours (from an
 * HdrHistogram, so percentiles are within its precision). NaN when no job was measured.
 */
public record DurationStats(
    long jobs,
    double meanHours,
    double p50Hours,
    double p90Hours,
    double p95Hours,
    double p99Hours,
    double maxHours) {}
