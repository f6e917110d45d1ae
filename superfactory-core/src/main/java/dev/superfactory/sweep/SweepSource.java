package dev.superfactory.sweep;

import java.io.Serializable;

/**
 * A sweep as text: the sweep file and the base scenario it names, read once where the sweep starts.
 * It is all a worker needs to rebuild any point ({@link SweepPlan#of}), so a Spark task receives this
 * record and an index and reads no file.
 *
 * @param sweepText the sweep file
 * @param sweepName the sweep file as the user named it (errors cite it)
 * @param baseText the base scenario's YAML (a preset's shipped text, or the file named by {@code scenario:})
 * @param baseName the base scenario as errors cite it ({@code preset fairwater} or a path)
 * @param baseDir the folder relative paths in the base scenario resolve against (traces); null for a preset
 */
public record SweepSource(String sweepText, String sweepName, String baseText, String baseName, String baseDir)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
