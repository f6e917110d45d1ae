package dev.superfactory.sweep;

import dev.superfactory.input.InputException;
import dev.superfactory.report.result.ResultJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's folder: {@code points/<id>/result.json} and {@code row.json} per point, {@code rows.jsonl} with every
 * row. A point is stored by writing its result, then its row, each to a temporary file moved into place: a
 * {@code row.json} exists only once its result is whole, so a sweep killed at any moment resumes from the rows
 * it finds. Cost: two small files per point; {@link #completed} reads one row per point folder.
 */
public final class PointStore {
  private PointStore() {}

  public static Path pointDir(Path out, String id) {
    return out.resolve("points").resolve(id);
  }

  /** Stores a point: its result first, its row last. Safe to call from several threads for different points. */
  public static void write(Path out, PointRunner.PointResult r) {
    Path dir = pointDir(out, r.row().id());
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve("row.json"));
      replace(dir.resolve("result.json"), r.resultJson());
      replace(dir.resolve("row.json"), ResultJson.pretty(r.row()));
    } catch (IOException e) {
      throw new InputException(dir + ": cannot write: " + e.getMessage(), e);
    }
  }

  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The stored rows of this plan's points, by index: a row counts when it reads, its key matches the point's
   * (same base scenario, values, seed, settings) and its result.json is there. Anything else is run again.
   */
  public static Map<Integer, PointRow> completed(Path out, SweepPlan plan) {
    Map<Integer, PointRow> done = new TreeMap<>();
    for (SweepPoint p : plan.points()) {
      Path dir = pointDir(out, p.id());
      Path row = dir.resolve("row.json");
      if (!Files.isRegularFile(row) || !Files.isRegularFile(dir.resolve("result.json"))) {
        continue;
      }
      try {
        PointRow r = ResultJson.parse(Files.readString(row, StandardCharsets.UTF_8), PointRow.class);
        if (r.key().equals(p.key()) && r.index() == p.index()) {
          done.put(p.index(), r);
        }
      } catch (IOException | IllegalArgumentException e) {
        // unreadable: run the point again
      }
    }
    return done;
  }

  /** {@code rows.jsonl}: one row per line, by point index. */
  public static void writeRows(Path out, List<PointRow> rows) {
    List<PointRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(PointRow::index));
    StringBuilder sb = new StringBuilder();
    for (PointRow r : sorted) {
      sb.append(ResultJson.compact(r)).append('\n');
    }
    try {
      replace(out.resolve("rows.jsonl"), sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
