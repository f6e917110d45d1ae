package dev.superfactory.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sweep.json}: one cell per combination of axis values, its outputs averaged over the seeds with a 95%
 * confidence interval, and, with an objective, which cells are feasible and how they rank.
 *
 * @param name the sweep's name
 * @param description the sweep's description
 * @param scenario the base scenario ({@code preset fairwater} or its file)
 * @param axes the axes, in the sweep file's order
 * @param seeds the seeds every combination ran with
 * @param outputs what each output is, in column order
 * @param objective the objective as written; null without one
 * @param points points run (cells × seeds)
 * @param cells one per combination, in generation order
 */
public record SweepResult(String name, String description, String scenario, List<AxisInfo> axes, List<Long> seeds,
    List<Outputs.Output> outputs, @JsonInclude(Include.NON_NULL) String objective, int points, List<Cell> cells) {
  public SweepResult {
    axes = List.copyOf(axes);
    seeds = List.copyOf(seeds);
    outputs = List.copyOf(outputs);
    cells = List.copyOf(cells);
  }

  /**
   * @param path the path as the sweep file wrote it
   * @param numeric whether every value reads as a number (a line chart's x axis) or not (categories)
   * @param zip the index of the zip group it moves with (axes of one group share it)
   * @param values its values, in the sweep file's order
   */
  public record AxisInfo(String path, boolean numeric, int zip, List<String> values) {
    public AxisInfo {
      values = List.copyOf(values);
    }
  }

  /**
   * One combination of axis values.
   *
   * @param index 0-based, in generation order
   * @param axes axis path → value
   * @param runs seeds that ran
   * @param outputs output key → statistics over the seeds
   * @param feasible whether the means meet every constraint of the objective; null without an objective
   * @param rank 1 for the best feasible cell on the objective; null when infeasible, without a figure or an objective
   * @param best whether it holds rank 1
   * @param points the ids of its points (one per seed)
   */
  public record Cell(int index, Map<String, String> axes, int runs, Map<String, Stat> outputs,
      @JsonInclude(Include.NON_NULL) Boolean feasible, @JsonInclude(Include.NON_NULL) Integer rank, boolean best,
      List<String> points) {
    public Cell {
      axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
      outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
      points = List.copyOf(points);
    }
  }

  /**
   * An output over the seeds of a cell.
   *
   * @param mean the mean over the runs that have a figure
   * @param ciLow the 95% confidence interval's lower end: mean − t(0.975, n−1) · sd ÷ √n; NaN (null) with one run
   * @param ciHigh its upper end
   * @param sd the sample standard deviation; NaN with one run
   * @param n runs with a figure
   */
  public record Stat(double mean, double ciLow, double ciHigh, double sd, int n) {}
}
