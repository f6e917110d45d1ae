package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client config file (issue 11 item 6): where it is found, the precedence flag > variable >
 * file > default, profiles, its errors (one line naming file, line and field; exit 2), the warning
 * on a token others may read, and {@code --save}'s 0600 file. No server: the resolved URL and
 * token are checked with where each came from; the live round trip is in {@link LiveServiceTest}.
 */
class ClientConfigTest {
  @TempDir Path dir;

  @Test
  void aFlagBeatsAVariableBeatsTheFileBeatsTheDefault() throws IOException {
    Path file = write("client.yaml", "url: http://file.example:1\ntoken: sf_file\n");
    Map<String, String> env = new HashMap<>(Map.of("SUPERFACTORY_CONFIG", file.toString(),
        "SUPERFACTORY_URL", "http://env.example:1", "SUPERFACTORY_TOKEN", "sf_env"));

    assertThat(resolve(env, "http://flag.example:1", "sf_flag", null)).isEqualTo("http://flag.example:1 from --url, sf_flag from --token");
    assertThat(resolve(env, null, null, null))
        .isEqualTo("http://env.example:1 from SUPERFACTORY_URL, sf_env from SUPERFACTORY_TOKEN");
    env.remove("SUPERFACTORY_URL");
    env.remove("SUPERFACTORY_TOKEN");
    assertThat(resolve(env, null, null, null))
        .isEqualTo("http://file.example:1 from " + file + ":1: url, sf_file from " + file + ":2: token");
    write("client.yaml", "token: sf_file\n");
    assertThat(resolve(env, null, null, null)).isEqualTo("http://127.0.0.1:8080 from the default URL, sf_file from " + file + ":1: token");
  }

  @Test
  void theDefaultFileIsUnderXdgConfigHomeElseUnderHomeDotConfig() throws IOException {
    Path xdg = dir.resolve("xdg/superfactory/client.yaml");
    Path home = dir.resolve("home/.config/superfactory/client.yaml");
    Files.createDirectories(xdg.getParent());
    Files.createDirectories(home.getParent());
    Files.writeString(xdg, "token: sf_xdg\n");
    Files.writeString(home, "token: sf_home\n");
    Map<String, String> both = Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString(), "HOME", dir.resolve("home").toString());
    assertThat(resolve(both, null, null, null)).endsWith("sf_xdg from " + xdg + ":1: token");
    assertThat(resolve(Map.of("HOME", dir.resolve("home").toString()), null, null, null)).endsWith("sf_home from " + home + ":1: token");
    assertThat(ClientConfig.path(Path.of("given.yaml"), both)).isEqualTo(Path.of("given.yaml"));
  }

  @Test
  void aProfileOverridesTheTopOfTheFile() throws IOException {
    Path file = write("client.yaml", "url: http://top.example:1\ntoken: sf_top\nprofiles:\n  ops:\n    token: sf_ops\n");
    assertThat(resolve(Map.of(), null, null, "--config " + file + " --profile ops"))
        .isEqualTo("http://top.example:1 from " + file + ":1: url, sf_ops from " + file + ":5: profiles.ops.token");
    Map<String, String> env = Map.of("SUPERFACTORY_CONFIG", file.toString(), "SUPERFACTORY_PROFILE", "ops");
    assertThat(resolve(env, null, null, null)).endsWith("sf_ops from " + file + ":5: profiles.ops.token");
    assertOneLineError(client(env, "--profile", "dev"), "superfactory: " + file + ": no profile 'dev'; the profiles are [ops]");
    Map<String, String> staging = Map.of("SUPERFACTORY_URL", "http://staging.example:2", "SUPERFACTORY_TOKEN", "sf_staging");
    assertThat(resolve(staging, null, null, "--config " + file + " --profile ops")).as("--profile passes over the variables")
        .isEqualTo("http://top.example:1 from " + file + ":1: url, sf_ops from " + file + ":5: profiles.ops.token");
    assertThat(resolve(staging, "http://flag.example:3", null, "--config " + file + " --profile ops"))
        .as("a flag still wins").startsWith("http://flag.example:3 from --url, sf_ops from ");
  }

  @Test
  void aBadFileIsOneLineNamingFileLineAndField() throws IOException {
    Path file = dir.resolve("client.yaml");
    Map<String, String> env = Map.of("SUPERFACTORY_CONFIG", file.toString());
    write("client.yaml", "url: http://127.0.0.1:1\ntokn: sf_x\n");
    assertOneLineError(client(env), "superfactory: " + file + ":2: tokn: unknown key 'tokn'; did you mean 'token'?");
    write("client.yaml", "url: http://127.0.0.1:1\ntoken: [sf_x]\n");
    assertOneLineError(client(env), "superfactory: " + file + ":2: token: expected a value, got a list");
    write("client.yaml", "url: ftp://example\ntoken: sf_x\n");
    assertOneLineError(client(env), "superfactory: " + file + ":1: url: 'ftp://example' is not an http:// or https:// URL");
    write("client.yaml", "profiles:\n  ops: {url: http://x:1, colour: red}\n");
    assertOneLineError(client(env, "--profile", "ops"),
        "superfactory: " + file + ":2: profiles.ops.colour: unknown key 'colour'; known keys: url, token");
    assertOneLineError(client(Map.of(), "--config", dir.resolve("absent.yaml").toString()),
        "superfactory: " + dir.resolve("absent.yaml") + ": no such file");
    assertOneLineError(client(Map.of(), "--config", dir.toString()), "superfactory: " + dir + ": cannot read: …");
  }

  @Test
  void aTokenInAFileOthersMayReadIsWarnedOfOnce() throws IOException {
    Path file = write("client.yaml", "token: sf_x\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    StringWriter err = new StringWriter();
    ApiClient api = new ApiClient();
    api.config = file;
    api.resolve(Map.of(), new PrintWriter(err, true));
    assertThat(err.toString()).isEqualTo("superfactory: warning: " + file + " holds a token and is readable by others"
        + " (mode rw-r--r--); run 'chmod 600 " + file + "'" + System.lineSeparator());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    StringWriter quiet = new StringWriter();
    api.resolve(Map.of(), new PrintWriter(quiet, true));
    assertThat(quiet.toString()).isEmpty();
  }

  @Test
  void saveWritesAnOwnerOnlyFileInNewDirectoriesAndKeepsTheProfiles() throws IOException {
    Path file = dir.resolve("new/superfactory/client.yaml");
    ClientConfig.save(file, "http://127.0.0.1:8080", "sf_first");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(Files.readString(file)).isEqualTo("url: \"http://127.0.0.1:8080\"\ntoken: \"sf_first\"\n");
    Files.writeString(file, "url: http://old:1\nprofiles:\n  ops: {token: sf_ops}\n");
    ClientConfig.save(file, "http://127.0.0.1:9090", "sf_second");
    assertThat(Files.readString(file)).isEqualTo("url: \"http://127.0.0.1:9090\"\nprofiles:\n  ops:\n    token: \"sf_ops\"\n"
        + "token: \"sf_second\"\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Files.writeString(file, "colour: red\n");
    assertThatThrownBy(() -> ClientConfig.save(file, "http://x:1", "sf_x")).isInstanceOf(InputException.class)
        .hasMessage(file + ":1: colour: unknown key 'colour'; known keys: url, token, profiles");
  }

  /** "URL from SOURCE, TOKEN from SOURCE" as {@link ApiClient} resolves them; {@code options}: "--config F --profile P". */
  private static String resolve(Map<String, String> env, String url, String token, String options) {
    ApiClient api = new ApiClient();
    api.url = url;
    api.token = token;
    if (options != null) {
      String[] words = options.split(" ");
      api.config = Path.of(words[1]);
      api.profile = words[3];
    }
    ApiClient.Connection c = api.resolve(env, new PrintWriter(new StringWriter()));
    return c.url().value() + " from " + c.url().source() + ", " + c.token().value() + " from " + c.token().source();
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static CliRun client(Map<String, String> env, String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "jobs";
    System.arraycopy(options, 0, args, 1, options.length);
    return CliRun.withEnv(env, args);
  }

  /** Exit status 2 and one line on stderr equal to {@code expected}, where "…" matches any text. */
  private static void assertOneLineError(CliRun r, String expected) {
    r.assertOneLineError(expected);
  }
}
