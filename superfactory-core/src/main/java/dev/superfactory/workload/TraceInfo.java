package dev.superfactory.workload;

import java.util.List;
import java.util.Map;

/**
 * Where a run's jobs came from when they were read from a trace: every row is a job or counted
 * under a skip reason, so nothing is dropped silently.
 *
 * @param source {@code FORMAT:PATH}
 * @param rows data rows read
 * @param jobs rows that became jobs
 * @param skipped rows that did not, by reason
 * @param notes lines a person reads (what was rounded, what is not modelled)
 */
public record TraceInfo(String source, long rows, long jobs, Map<String, Long> skipped, List<String> notes) {
  public TraceInfo {
    skipped = Map.copyOf(skipped);
    notes = List.copyOf(notes);
  }
}
