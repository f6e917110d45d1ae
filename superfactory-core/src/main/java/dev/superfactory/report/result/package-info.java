/**
 * {@code result.json} as records: {@link dev.superfactory.report.result.RunResult} and one record
 * per JSON object, in the file's key order, so every renderer reads typed fields and a renamed
 * field is a compile error rather than a silently missing report section.
 * {@link dev.superfactory.report.result.RunResults} builds a result from a simulation, one section
 * per class; {@link dev.superfactory.report.result.ResultJson} writes it (byte-identical to the
 * golden files under {@code src/test/resources}) and reads it back, equal, for tools that load
 * results (sweeps, compare).
 */
package dev.superfactory.report.result;
