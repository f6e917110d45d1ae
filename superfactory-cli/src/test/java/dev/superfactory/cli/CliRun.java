package dev.superfactory.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures its exit status, standard output and standard error. */
record CliRun(int status, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(status, out.toString(), err.toString());
  }

  /** As {@link #of} with {@code env} in place of the process's environment. */
  static CliRun withEnv(java.util.Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
    return new CliRun(status, out.toString(), err.toString());
  }

  /** A client command against the server at {@code url} with {@code token}. */
  static CliRun client(String url, String token, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return of(all);
  }

  /** Polls {@code superfactory job ID} until the job is in {@code state}; fails after 10 s. */
  static void awaitJobState(String url, String token, String id, String state) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!client(url, token, "job", id).out().contains("state: " + state + " ")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " never became " + state + ": " + client(url, token, "job", id).out());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A user error: exit status 2 and one line on standard error matching {@code expected}, in which
   * {@code …} stands for any text.
   */
  void assertOneLineError(String expected) {
    org.assertj.core.api.Assertions.assertThat(status).as(err).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(err.lines().toList()).hasSize(1);
    String regex = java.util.Arrays.stream(expected.split("…", -1)).map(java.util.regex.Pattern::quote)
        .collect(java.util.stream.Collectors.joining(".*"));
    org.assertj.core.api.Assertions.assertThat(err.strip()).matches(regex);
  }
}
