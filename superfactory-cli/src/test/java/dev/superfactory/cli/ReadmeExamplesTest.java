package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * README's examples are real runs of this build. Every block fenced with {@code ```console} is
 * checked: each line {@code $ ./superfactory ARGS} (a trailing {@code \} continues it on the next
 * line) runs in-process, and the lines after it, up to the next {@code $ } line or the fence, must
 * equal what the command printed (standard output, then standard error), line by line, trailing
 * spaces ignored. Two wildcards keep long outputs readable: a line that is exactly {@code ...}
 * matches any number of lines, and {@code …} (U+2026) inside a line matches any text in that
 * line (a timestamped folder, a wall time). Commands run as if from the repository root: a word
 * naming a file there ({@code docs/examples/x.yaml}, {@code ../shared/…}) is made absolute, and
 * printed paths are made relative again. Files the commands write into the working folder are removed
 * after each block. On a mismatch the real output is written to
 * {@code target/readme-actual/line-N.txt}, to paste into README once it is right.
 */
class ReadmeExamplesTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();
  private static final Path SHARED = ROOT.resolve("../shared").normalize();
  private static final Path README = ROOT.resolve("README.md");
  private static final String PROMPT = "$ ";
  private static final String LAUNCHER = "./superfactory ";

  /** One command of a console block and the output README shows for it. */
  record Example(int line, String command, List<String> expected) {}

  @TestFactory
  Stream<DynamicTest> everyConsoleExampleMatchesARealRun() throws IOException {
    List<List<Example>> blocks = blocks(Files.readAllLines(README, StandardCharsets.UTF_8));
    assertThat(blocks).as("console blocks in %s", README).isNotEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (List<Example> block : blocks) {
      tests.add(DynamicTest.dynamicTest("README line " + block.get(0).line(), () -> runBlock(block)));
    }
    return tests.stream();
  }

  private static void runBlock(List<Example> block) throws IOException {
    Set<Path> before = listing();
    try {
      for (Example e : block) {
        CliRun run = CliRun.of(arguments(e));
        List<String> actual = lines(asFromRoot(run.out() + run.err()));
        if (!matches(e.expected(), 0, actual, 0)) {
          Path dump = MODULE.resolve("target/readme-actual/line-" + e.line() + ".txt");
          Files.createDirectories(dump.getParent());
          Files.writeString(dump, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
          fail("README line " + e.line() + ": `" + e.command() + "` (exit " + run.status() + ") printed:\n"
              + String.join("\n", actual) + "\n--- but README shows:\n" + String.join("\n", e.expected())
              + "\n(the real output is in " + dump + ")");
        }
      }
    } finally {
      for (Path p : listing()) {
        if (!before.contains(p) && Files.exists(p)) { // a new superfactory-out took its new children with it
          deleteTree(p);
        }
      }
    }
  }

  /** Top-level entries of the working folder and of its {@code superfactory-out}. */
  private static Set<Path> listing() throws IOException {
    Set<Path> paths = new HashSet<>();
    try (Stream<Path> s = Files.list(MODULE)) {
      s.forEach(paths::add);
    }
    Path out = MODULE.resolve("superfactory-out");
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.list(out)) {
        s.forEach(paths::add);
      }
    }
    return paths;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  static List<List<Example>> blocks(List<String> readme) {
    List<List<Example>> blocks = new ArrayList<>();
    for (int i = 0; i < readme.size(); i++) {
      if (!readme.get(i).strip().equals("```console")) {
        continue;
      }
      List<Example> block = new ArrayList<>();
      int j = i + 1;
      while (j < readme.size() && !readme.get(j).strip().equals("```")) {
        String line = readme.get(j);
        if (!line.startsWith(PROMPT)) {
          throw new IllegalStateException("README line " + (j + 1) + ": a console block starts with `$ `");
        }
        int first = j + 1;
        StringBuilder command = new StringBuilder(line.substring(PROMPT.length()).strip());
        while (command.toString().endsWith("\\")) {
          command.setLength(command.length() - 1);
          command.append(' ').append(readme.get(++j).strip());
        }
        List<String> expected = new ArrayList<>();
        j++;
        while (j < readme.size() && !readme.get(j).startsWith(PROMPT) && !readme.get(j).strip().equals("```")) {
          expected.add(readme.get(j));
          j++;
        }
        block.add(new Example(first, command.toString().strip(), expected));
      }
      if (j == readme.size()) {
        throw new IllegalStateException("README line " + (i + 1) + ": console block not closed");
      }
      blocks.add(block);
      i = j;
    }
    return blocks;
  }

  /** The command's arguments: shell-like words, quotes removed, {@code ../shared} made absolute. */
  static String[] arguments(Example e) {
    if (!e.command().startsWith(LAUNCHER)) {
      throw new IllegalStateException("README line " + e.line() + ": console examples run ./superfactory, not `"
          + e.command() + "`");
    }
    List<String> words = words(e.command().substring(LAUNCHER.length()));
    return words.stream().map(ReadmeExamplesTest::fromRoot).toArray(String[]::new);
  }

  /**
   * A word naming a file relative to the repository root ({@code docs/x.yaml}, {@code ../shared/…},
   * or after a trace format's {@code FORMAT:}) made absolute, since the tests run in the module folder.
   */
  static String fromRoot(String word) {
    int colon = word.indexOf(':');
    String prefix = colon > 0 && !word.startsWith("-") ? word.substring(0, colon + 1) : "";
    String path = word.substring(prefix.length());
    if (path.isEmpty() || path.startsWith("-") || path.startsWith("/")) {
      return word;
    }
    Path resolved = ROOT.resolve(path).normalize();
    return Files.exists(resolved) ? prefix + resolved : word;
  }

  /** The output as the user sees it from the repository root: absolute paths made relative again. */
  static String asFromRoot(String output) {
    return output.replace(SHARED + "/", "../shared/").replace(ROOT + "/", "");
  }

  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalStateException("unclosed quote in `" + command + "`");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** Whether {@code expected[i..]} matches {@code actual[j..]}, with {@code ...} lines and {@code …} in a line. */
  static boolean matches(List<String> expected, int i, List<String> actual, int j) {
    if (i == expected.size()) {
      return j == actual.size();
    }
    if (expected.get(i).strip().equals("...")) {
      for (int k = j; k <= actual.size(); k++) {
        if (matches(expected, i + 1, actual, k)) {
          return true;
        }
      }
      return false;
    }
    return j < actual.size() && lineMatches(expected.get(i), actual.get(j)) && matches(expected, i + 1, actual, j + 1);
  }

  static boolean lineMatches(String expected, String actual) {
    String e = expected.stripTrailing();
    String a = actual.stripTrailing();
    if (!e.contains("…")) {
      return e.equals(a);
    }
    String[] parts = e.split("…", -1);
    StringBuilder regex = new StringBuilder();
    for (int k = 0; k < parts.length; k++) {
      if (k > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[k]));
    }
    return Pattern.compile(regex.toString()).matcher(a).matches();
  }

  @Test
  void wildcardsMatchWhatTheySayAndNothingMore() {
    assertThat(matches(List.of("a", "...", "d"), 0, List.of("a", "b", "c", "d"), 0)).isTrue();
    assertThat(matches(List.of("a", "...", "d"), 0, List.of("a", "d"), 0)).isTrue();
    assertThat(matches(List.of("a", "...", "d"), 0, List.of("a", "b", "c"), 0)).isFalse();
    assertThat(matches(List.of("a", "b"), 0, List.of("a", "b", "c"), 0)).isFalse();
    assertThat(matches(List.of("a", "b", "c"), 0, List.of("a", "b"), 0)).isFalse();
    assertThat(lineMatches("Run: … s wall", "Run: 0.96 s wall")).isTrue();
    assertThat(lineMatches("Run: … s wall", "Run: 0.96 s CPU")).isFalse();
    assertThat(lineMatches("x (1.5)", "x (1.5)   ")).isTrue();
    assertThat(lineMatches("x (1.5)", "x (1.6)")).isFalse();
    assertThat(words("simulate --trace 'native:a b.csv' --days 3")).containsExactly("simulate", "--trace",
        "native:a b.csv", "--days", "3");
  }
}
