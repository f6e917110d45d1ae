package dev.superfactory.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point's line of {@code rows.jsonl} (and its {@code points/<id>/row.json}): where it sits on the axes and
 * what it measured.
 *
 * @param index the point's 0-based index
 * @param id its folder name
 * @param key the digest its result belongs to ({@link SweepPoint#key})
 * @param axes axis path → value, in axis order
 * @param seed the scenario seed
 * @param outputs output key → value ({@link Outputs}); NaN (null in the file) where the run has none
 * @param wallSeconds how long the point took to simulate
 * @param peakHeapMiB the JVM's peak heap while it ran (garbage and overlapping points included)
 */
public record PointRow(int index, String id, String key, Map<String, String> axes, long seed,
    Map<String, Double> outputs, double wallSeconds, double peakHeapMiB) {
  public PointRow {
    axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }
}
