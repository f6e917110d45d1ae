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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
   * The stored rows of this plan's points, by index. A stored point counts when its row reads, its
   * result.json is there and its key is one of the plan's (same base scenario, values, seed, fixed settings);
   * anything else is run again. A result stored under another folder (a value was added to an axis, so the
   * points after it moved) is moved to its point's folder and its row renumbered, so extending a sweep
   * reruns nothing already done. Cost: one small read per stored point, a rename per moved one.
   */
  public static Map<Integer, PointRow> completed(Path out, SweepPlan plan) {
    Map<String, Path> stored = new HashMap<>();
    Path points = out.resolve("points");
    if (Files.isDirectory(points)) {
      try (Stream<Path> dirs = Files.list(points)) {
        for (Path dir : dirs.sorted().toList()) {
          PointRow r = readRow(dir);
          if (r != null) {
            stored.putIfAbsent(r.key(), dir);
          }
        }
      } catch (IOException e) {
        throw new InputException(points + ": cannot read: " + e.getMessage(), e);
      }
    }
    // two steps, so that a folder another point's result is moving into has been moved away first
    Map<SweepPoint, Path> moving = new LinkedHashMap<>();
    for (SweepPoint p : plan.points()) {
      Path dir = stored.get(p.key());
      if (dir != null && !dir.equals(pointDir(out, p.id()))) {
        Path aside = points.resolve(".moving-" + p.key());
        move(dir, aside);
        moving.put(p, aside);
      }
    }
    for (Map.Entry<SweepPoint, Path> e : moving.entrySet()) {
      Path target = pointDir(out, e.getKey().id());
      deleteTree(target);
      move(e.getValue(), target);
    }
    Map<Integer, PointRow> done = new TreeMap<>();
    for (SweepPoint p : plan.points()) {
      if (!stored.containsKey(p.key())) {
        continue;
      }
      Path dir = pointDir(out, p.id());
      PointRow r = readRow(dir);
      if (r == null || !r.key().equals(p.key())) {
        continue;
      }
      if (r.index() != p.index() || !r.id().equals(p.id())) {
        r = new PointRow(p.index(), p.id(), r.key(), r.axes(), r.seed(), r.outputs(), r.wallSeconds(),
            r.peakHeapMiB());
        try {
          replace(dir.resolve("row.json"), ResultJson.pretty(r));
        } catch (IOException e) {
          throw new InputException(dir + ": cannot write: " + e.getMessage(), e);
        }
      }
      done.put(p.index(), r);
    }
    return done;
  }

  /** A point folder's row, or null when it has none, it does not read, or its result is missing. */
  private static PointRow readRow(Path dir) {
    Path row = dir.resolve("row.json");
    if (!Files.isRegularFile(row) || !Files.isRegularFile(dir.resolve("result.json"))) {
      return null;
    }
    try {
      return ResultJson.parse(Files.readString(row, StandardCharsets.UTF_8), PointRow.class);
    } catch (IOException | IllegalArgumentException e) {
      return null; // unreadable: run the point again
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InputException(from + ": cannot move to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new InputException(dir + ": cannot delete: " + e.getMessage(), e);
    }
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
