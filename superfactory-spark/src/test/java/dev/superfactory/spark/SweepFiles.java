package dev.superfactory.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small sweep for the tests (4 points of a 2-day single-site run, well under a second each) and its files. */
final class SweepFiles {
  private SweepFiles() {}

  static Path smallSweep(Path dir) throws IOException {
    Path f = dir.resolve("small.yaml");
    Files.writeString(f, """
        name: small
        scenario: single-site
        set:
          horizon: 2d
          warmup: 0d
        axes:
          - path: workload.load
            values: [0.6, 0.9]
        seeds: 2
        """, StandardCharsets.UTF_8);
    return f;
  }

  /** A result.json without its top-level {@code run} section (wall time, heap, version: the only parts a JVM sets). */
  static String withoutRun(Path resultJson) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(resultJson, StandardCharsets.UTF_8));
    int from = lines.indexOf("  \"run\" : {");
    if (from < 0) {
      throw new AssertionError(resultJson + " has no run section");
    }
    int to = from + 1;
    while (!lines.get(to).matches("  },?")) {
      to++;
    }
    lines.subList(from, to + 1).clear();
    return String.join("\n", lines);
  }
}
