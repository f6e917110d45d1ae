package dev.superfactory.report;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Colors for named things (tenants, sites), assigned once per report in a fixed order so a tenant
 * or site has the same color in every chart, legend and label. Colors repeat after the list runs
 * out. Cost: O(1) lookups.
 */
public record Palette(Map<String, String> colors) {
  /** Tableau 10 (Stone, 2016), with a darker yellow so thin lines stay visible on white. */
  public static final List<String> TENANT_COLORS = List.of(
      "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
      "#c9a227", "#b07aa1", "#ff9da7", "#9c755f", "#8c8c8c");
  /** Deeper hues than the tenant colors, so a site line is not mistaken for a tenant. */
  static final List<String> SITE_COLORS = List.of(
      "#0f766e", "#9a3412", "#6d28d9", "#0369a1", "#a16207", "#be123c", "#4d7c0f", "#475569");
  /**
   * Failure causes: D3's category10 (Bostock, after Tableau) with two darker hues from category20b,
   * so twelve causes stay apart; a cause keeps its color in the timeline, the bars and the table.
   */
  static final List<String> CAUSE_COLORS = List.of(
      "#d62728", "#ff7f0e", "#8c564b", "#1f77b4", "#17becf", "#9467bd",
      "#2ca02c", "#bcbd22", "#e377c2", "#7f7f7f", "#393b79", "#637939");
  /** The fleet total, drawn over the per-site lines. */
  static final String TOTAL = "#111827";
  /** A name the palette has never seen. */
  static final String UNKNOWN = "#9ca3af";

  public Palette {
    colors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(colors));
  }

  /** Colors by first appearance in {@code names} (duplicates ignored). */
  static Palette assign(Collection<String> names, List<String> colors) {
    Map<String, String> assigned = new LinkedHashMap<>();
    for (String name : names) {
      if (!assigned.containsKey(name)) {
        assigned.put(name, colors.get(assigned.size() % colors.size()));
      }
    }
    return new Palette(assigned);
  }

  String color(String name) {
    return colors.getOrDefault(name, UNKNOWN);
  }

  List<String> names() {
    return List.copyOf(colors.keySet());
  }
}
