package dev.superfactory.report.result;

/**
 * {@code slowdown}: how much longer than their run time the window's jobs took to get through the
 * queue, as bounded slowdown (wait + run time) ÷ max(run time, 10 s) (Feitelson et al., "Theory
 * and practice in parallel job scheduling", 1997), with the jobs still pending at the end counted
 * at their age. The GPU-weighted mean counts each job once per GPU, so large gangs left waiting
 * weigh what they ask for; it is {@code compare}'s default objective. NaN with no jobs.
 *
 * @param jobs jobs of the window counted (started or pending at the end; rejected ones are not)
 * @param pendingJobs of those, the ones never started by the end, counted at their age (fewer than
 *     {@code jobs.pendingAtEnd}, which also counts queued jobs from the warm-up and requeued ones)
 */
public record Slowdown(long jobs, long pendingJobs, double mean, double gpuWeightedMean) {}
