package dev.superfactory.report.result;

import java.util.List;
import java.util.Map;

/**
 * {@code trace}: what a replayed trace held and what became of its rows.
 *
 * @param source the trace, as {@code format:path}
 * @param rows rows read
 * @param jobs rows that became jobs
 * @param skipped rows skipped, by reason, in name order
 * @param notes what the reader assumed or changed, for a person to read
 */
public record TraceSummary(String source, long rows, long jobs, Map<String, Long> skipped, List<String> notes) {
  public TraceSummary {
    skipped = Immutable.map(skipped);
    notes = Immutable.list(notes);
  }
}
