package dev.superfactory.report.result;

/**
 * One row of {@code waitBySize}: the waits of jobs asking for a range of GPUs.
 *
 * @param gpus the range, {@code 1-8} … {@code >16384}
 * @param jobs jobs of that size that started in the window
 */
public record SizeClassWait(String gpus, long jobs, double p50Hours, double p95Hours, double p99Hours) {}
