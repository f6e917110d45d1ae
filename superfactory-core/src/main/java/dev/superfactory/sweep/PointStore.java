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
   * reruns nothing already done. A stored point the plan no longer has (a value taken out, a setting changed)
   * is moved to {@code points/.stale/<key>}, out of the way of whoever reads {@code points/*}, and taken back
   * if a later plan has it again. Cost: one small read per stored point, a rename per moved one.
   */
  public static Map<Integer, PointRow> completed(Path out, SweepPlan plan) {
    Path points = out.resolve("points");
    Path stale = points.resolve(".stale");
    Map<String, SweepPoint> wanted = new HashMap<>();
    plan.points().forEach(p -> wanted.put(p.key(), p));
    Map<String, Path> stored = new HashMap<>();
    Map<Path, String> misplaced = new LinkedHashMap<>();
    List<Path> staleCopies = new ArrayList<>();
    for (Path dir : children(points)) {
      PointRow r = readRow(dir);
      if (r == null) {
        continue; // no whole result: a point that runs there overwrites it
      }
      SweepPoint p = wanted.get(r.key());
      if (p != null && dir.equals(pointDir(out, p.id()))) {
        Path before = stored.put(r.key(), dir); // in place wins over a copy in .stale
        if (before != null) {
          staleCopies.add(before);
        }
      } else if (!dir.getParent().equals(stale)) {
        misplaced.put(dir, r.key());
      } else if (stored.putIfAbsent(r.key(), dir) != null) {
        staleCopies.add(dir);
      }
    }
    for (Path copy : staleCopies) {
      deleteTree(copy); // the same result is stored in place
    }
    // first every misplaced result aside (a folder another result moves into must be free), then into place
    for (Map.Entry<Path, String> m : misplaced.entrySet()) {
      String key = m.getValue();
      Path aside = stale.resolve(key);
      if (stored.containsKey(key)) {
        deleteTree(m.getKey()); // the same result is stored already
        continue;
      }
      deleteTree(aside); // an unfinished or unreadable copy: the whole one replaces it
      createDirectories(stale);
      move(m.getKey(), aside);
      stored.put(key, aside);
    }
    Map<Integer, PointRow> done = new TreeMap<>();
    for (SweepPoint p : plan.points()) {
      Path from = stored.get(p.key());
      if (from == null) {
        continue;
      }
      Path dir = pointDir(out, p.id());
      if (!from.equals(dir)) {
        deleteTree(dir); // an unfinished point's files
        move(from, dir);
      }
      PointRow r = readRow(dir);
      Map<String, String> axes = new LinkedHashMap<>();
      for (int a = 0; a < plan.axes().size(); a++) {
        axes.put(plan.axes().get(a).written(), p.labels().get(a));
      }
      if (r.index() != p.index() || !r.id().equals(p.id()) || !r.axes().equals(axes)) {
        r = new PointRow(p.index(), p.id(), r.key(), axes, r.seed(), r.outputs(), r.wallSeconds(), r.peakHeapMiB());
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

  /** The point folders under {@code points/} and {@code points/.stale/}, sorted. */
  private static List<Path> children(Path points) {
    List<Path> out = new ArrayList<>();
    for (Path parent : List.of(points, points.resolve(".stale"))) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(parent)) {
        dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(".stale")).sorted()
            .forEach(out::add);
      } catch (IOException e) {
        throw new InputException(parent + ": cannot read: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException(dir + ": cannot create: " + e.getMessage(), e);
    }
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
