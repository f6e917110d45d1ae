package dev.superfactory.sweep;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.FieldPath;
import dev.superfactory.input.SourceLocation;
import java.util.List;

/**
 * One dimension of a sweep: a scenario field and the values it takes.
 *
 * @param path the field, aliases resolved ({@code policy} is {@code scheduler.policy})
 * @param written the path as the sweep file wrote it (tables and charts show this)
 * @param at where the axis is in the sweep file
 * @param labels each value as text: as written, generated ({@code 3.16Tbps}) or a factor ({@code x1.5})
 * @param values the value nodes to put at the path, one per label; null for a {@code factors} axis
 * @param factors the multipliers of a {@code factors} axis (the base value times each); null otherwise
 * @param numeric whether every value reads as a number (with a unit suffix): charts draw it as a line
 */
public record Axis(FieldPath path, String written, SourceLocation at, List<String> labels, List<ConfigNode> values,
    double[] factors, boolean numeric) {
  public Axis {
    labels = List.copyOf(labels);
    values = values == null ? null : List.copyOf(values);
  }

  public int size() {
    return labels.size();
  }

  /** The label's leading number ({@code 3.16Tbps} → 3.16, {@code x1.5} → 1.5); NaN if it has none. */
  public static double number(String label) {
    String s = label.startsWith("x") ? label.substring(1) : label;
    int end = Labels.numberPrefix(s);
    return end == 0 ? Double.NaN : Double.parseDouble(s.substring(0, end).replace("_", ""));
  }
}
