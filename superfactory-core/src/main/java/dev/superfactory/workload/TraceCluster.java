package dev.superfactory.workload;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuCatalog;

/**
 * The cluster a trace was recorded on, for a format that records one ({@link TraceFormat#cluster}):
 * enough to replay the trace where it ran.
 *
 * @param description one line a person reads: the trace, its source paper, the cluster
 * @param gpus the GPU models the fleet uses (the built-in ones plus the trace's own)
 * @param fleet the recorded cluster
 * @param horizonSeconds the span of the trace: its last time, in seconds from its start
 */
public record TraceCluster(String description, GpuCatalog gpus, Fleet fleet, long horizonSeconds) {}
