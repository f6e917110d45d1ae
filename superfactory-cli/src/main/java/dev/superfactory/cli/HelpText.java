package dev.superfactory.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Help text wrapped at spaces only. picocli wraps with {@link java.text.BreakIterator}, which also
 * breaks after '.', '/', ':' and '-', so it printed {@code report.\nhtml} and {@code FORMAT:\nPATH}.
 * Here picocli lays each section out on unbounded lines and {@link #wrap} folds them at spaces:
 * a continuation line is indented to the column where the line's text starts (the description
 * column of an option or command, or the first option of the synopsis). A word longer than the
 * width stays whole. Cost: linear in the help text.
 */
final class HelpText {
  /** The width of wrapped help lines. */
  static final int WIDTH = 80;
  private static final int UNBOUNDED = 10_000;

  private HelpText() {}

  /** Makes every section of {@code cl}'s help (and its subcommands') wrap at spaces only. */
  static void install(CommandLine cl) {
    // plain text: picocli's colours on a terminal would put escape codes into the widths measured here
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cl.setUsageHelpWidth(UNBOUNDED);
    Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    IHelpSectionRenderer synopsis = sections.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS);
    sections.replaceAll((key, renderer) -> help -> wrap(renderer.render(help), WIDTH));
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpText::commandList);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, help -> {
      String heading = help.synopsisHeading();
      return wrap(heading + synopsis.render(help), WIDTH).substring(heading.length());
    });
    cl.setHelpSectionMap(sections);
  }

  /**
   * The commands of {@code help}'s command, one per line: name, then its one-sentence summary (its
   * header, or else the first paragraph of its description), folded under the summary column.
   */
  static String commandList(CommandLine.Help help) {
    Map<String, CommandLine.Help> commands = help.subcommands();
    int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder out = new StringBuilder();
    commands.forEach((name, sub) -> {
      CommandLine.Model.UsageMessageSpec usage = sub.commandSpec().usageMessage();
      String[] summary = usage.header().length > 0 ? usage.header() : usage.description();
      String line = "  " + name + " ".repeat(nameWidth - name.length()) + "  "
          + (summary.length > 0 ? summary[0].replace("%%", "%") : "");
      fold(line, WIDTH, out);
      out.append(System.lineSeparator());
    });
    return out.toString();
  }

  /** Folds every line of {@code text} longer than {@code width} at spaces. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      fold(lines[i], width, out);
    }
    return out.toString();
  }

  private static void fold(String line, int width, StringBuilder out) {
    if (line.length() <= width) {
      out.append(line);
      return;
    }
    line = line.stripTrailing();
    String indent = " ".repeat(continuationColumn(line));
    int lineStart = out.length();
    int start = 0;
    while (start < line.length()) {
      int end = nextWordEnd(line, start);
      int column = out.length() - lineStart;
      if (column > indent.length() && column + (end - start) > width) {
        out.append('\n').append(indent);
        lineStart = out.length() - indent.length();
        start = skipSpaces(line, start);
        end = nextWordEnd(line, start);
      }
      out.append(line, start, end);
      start = end;
    }
  }

  /** The end of the word after {@code start}, with the spaces before it. */
  private static int nextWordEnd(String line, int start) {
    int i = skipSpaces(line, start);
    while (i < line.length() && line.charAt(i) != ' ') {
      i++;
    }
    return i;
  }

  private static int skipSpaces(String line, int i) {
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /**
   * Where continuation lines start: after "Usage: NAME " for the synopsis; for an indented line,
   * the text after its first gap of two spaces (an option's or command's description), else the
   * line's own indent; 0 for a paragraph.
   */
  static int continuationColumn(String line) {
    if (line.startsWith("Usage: ")) {
      int option = line.indexOf(" [");
      int required = line.indexOf(" -");
      int at = option < 0 ? required : required < 0 ? option : Math.min(option, required);
      return at < 0 ? "Usage: ".length() : at + 1;
    }
    int lead = skipSpaces(line, 0);
    if (lead == 0) {
      return 0;
    }
    int gap = line.indexOf("  ", lead);
    return gap < 0 ? lead : skipSpaces(line, gap);
  }
}
