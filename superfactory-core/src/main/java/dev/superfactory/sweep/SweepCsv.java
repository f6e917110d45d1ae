package dev.superfactory.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sweep.csv}: a row per cell, the axes first, then {@code runs}, then per output its mean and 95% CI
 * ({@code KEY}, {@code KEY_ci_low}, {@code KEY_ci_high}), then {@code feasible}, {@code rank} and {@code best}
 * with an objective. Numbers in plain notation to 6 significant digits; an empty field where there is no
 * figure. Cost: O(cells · outputs).
 */
public final class SweepCsv {
  private SweepCsv() {}

  public static String render(SweepResult r) {
    List<String> header = new ArrayList<>();
    r.axes().forEach(a -> header.add(a.path()));
    header.add("runs");
    for (Outputs.Output o : r.outputs()) {
      header.add(o.key());
      header.add(o.key() + "_ci_low");
      header.add(o.key() + "_ci_high");
    }
    boolean objective = r.objective() != null;
    if (objective) {
      header.addAll(List.of("feasible", "rank", "best"));
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    for (SweepResult.Cell c : r.cells()) {
      List<String> row = new ArrayList<>();
      r.axes().forEach(a -> row.add(c.axes().get(a.path())));
      row.add(Integer.toString(c.runs()));
      for (Outputs.Output o : r.outputs()) {
        SweepResult.Stat s = c.outputs().get(o.key());
        row.add(number(s.mean()));
        row.add(number(s.ciLow()));
        row.add(number(s.ciHigh()));
      }
      if (objective) {
        row.add(Boolean.toString(Boolean.TRUE.equals(c.feasible())));
        row.add(c.rank() == null ? "" : Integer.toString(c.rank()));
        row.add(Boolean.toString(c.best()));
      }
      line(sb, row);
    }
    return sb.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : Labels.number(v);
  }

  private static void line(StringBuilder sb, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String f = fields.get(i);
      if (f.contains(",") || f.contains("\"") || f.contains("\n")) {
        f = '"' + f.replace("\"", "\"\"") + '"';
      }
      sb.append(f);
    }
    sb.append('\n');
  }
}
