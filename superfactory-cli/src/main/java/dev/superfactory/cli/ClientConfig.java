package dev.superfactory.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.SourceLocation;
import dev.superfactory.input.YamlDocuments;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client's config file (issue 11 item 6): {@code url:} and {@code token:} at the top, and
 * optionally named {@code profiles: {NAME: {url, token}}} whose fields override the top's. Found at
 * {@code --config FILE}, else {@code $SUPERFACTORY_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/superfactory/client.yaml} (default {@code ~/.config}). A file holding a
 * token that group or others may read gets a warning, as ssh warns of a private key. Cost: one
 * small file read per command that needs it.
 */
final class ClientConfig {
  static final String FILE_ENV = "SUPERFACTORY_CONFIG";
  static final String PROFILE_ENV = "SUPERFACTORY_PROFILE";
  private static final List<String> FIELDS = List.of("url", "token");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  /** A value and where it came from ("--url", "SUPERFACTORY_URL", "client.yaml:3: url"), for messages. */
  record Setting(String value, String source) {
  }

  /** What one file says: url and token, each absent if the file (or profile) does not set it. */
  record Entry(Optional<Setting> url, Optional<Setting> token) {
    static final Entry NONE = new Entry(Optional.empty(), Optional.empty());
  }

  private ClientConfig() {
  }

  /** The file: {@code flag}, else {@code $SUPERFACTORY_CONFIG}, else the XDG default; and whether the user named it. */
  static Path path(Path flag, Map<String, String> env) {
    if (flag != null) {
      return flag;
    }
    String named = env.get(FILE_ENV);
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("superfactory").resolve("client.yaml");
  }

  /**
   * Reads {@code file} for {@code profile} (null: none). A missing file is no error unless
   * {@code required} (the user named it, or a profile); a bad one is one line naming file, line and
   * field. Warns on {@code err} if the file holds a token and group or others may read it.
   */
  static Entry read(Path file, String profile, boolean required, PrintWriter err) {
    if (!Files.exists(file)) {
      if (required) {
        throw new InputException(file + ": no such file" + (profile != null ? " (it should hold profile '" + profile + "')" : ""));
      }
      return Entry.NONE;
    }
    ConfigNode root = YamlDocuments.read(file).requireMap().allowOnly("url", "token", "profiles");
    Entry top = entry(root);
    Entry chosen = profile == null ? top : overlay(profile(root, profile, file), top);
    if (top.token().isPresent() || chosen.token().isPresent()) {
      warnIfOthersMayRead(file, err);
    }
    return chosen;
  }

  private static Entry profile(ConfigNode root, String name, Path file) {
    ConfigNode profiles = root.getOrEmpty("profiles").requireMap();
    if (!profiles.has(name)) {
      throw new InputException(file + ": no profile '" + name + "'; the profiles are " + profiles.keys());
    }
    return entry(profiles.get(name).requireMap().allowOnly(FIELDS));
  }

  private static Entry entry(ConfigNode map) {
    return new Entry(setting(map, "url"), setting(map, "token"));
  }

  private static Optional<Setting> setting(ConfigNode map, String field) {
    if (!map.has(field)) {
      return Optional.empty();
    }
    ConfigNode node = map.get(field);
    String value = node.asString();
    if (value.isBlank()) {
      throw node.error("is empty");
    }
    SourceLocation at = node.location();
    return Optional.of(new Setting(value.trim(), at + ": " + node.path()));
  }

  private static Entry overlay(Entry profile, Entry top) {
    return new Entry(profile.url().or(top::url), profile.token().or(top::token));
  }

  private static void warnIfOthersMayRead(Path file, PrintWriter err) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        err.println("superfactory: warning: " + file + " holds a token and is readable by others (mode "
            + PosixFilePermissions.toString(mode) + "); run 'chmod 600 " + file + "'");
        err.flush();
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /**
   * Writes {@code url} and {@code token} at the top of {@code file} (keeping its profiles), mode
   * 0600, creating its directories (0700); the new file replaces the old one atomically.
   */
  static void save(Path file, String url, String token) {
    YAMLMapper yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
    try {
      ObjectNode root = yaml.createObjectNode();
      if (Files.exists(file)) {
        YamlDocuments.read(file).requireMap().allowOnly("url", "token", "profiles");
        if (yaml.readTree(file.toFile()) instanceof ObjectNode existing) {
          root = existing;
        }
      }
      root.put("url", url);
      root.put("token", token);
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      }
      Path temp = Files.createTempFile(dir, ".client", ".yaml", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(temp, yaml.writeValueAsString(root));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InputException("--save: cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
