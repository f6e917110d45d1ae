package dev.superfactory.workload.openb;

/** A column of an openb CSV file: its header name, its unit and what it holds. */
interface CsvColumn {
  /** The header name, exactly as the trace writes it. */
  String header();

  /** The unit of the values ({@code s}, {@code milli-GPUs}), or {@code text}. */
  String unit();

  /** What the column holds, naming its unit, for error messages. */
  String meaning();
}
