package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import dev.superfactory.server.store.DatabaseLocation;
import dev.superfactory.server.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * {@code [--data DIR | --db URL]}: where the control plane's database is. The embedded PostgreSQL
 * allows one process per data directory, so a running {@code serve} writes {@code DATA/server.properties}
 * (its PID and the embedded server's JDBC URL, readable by the owner only) and a tool such as
 * {@code token create} connects through it instead of opening the directory. Cost of an open: see
 * {@link Database#open}.
 */
final class StoreOptions {
  static final String SERVER_FILE = "server.properties";

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory of the embedded PostgreSQL. Default: .superfactory/data.")
  Path data;

  @Option(names = "--db", paramLabel = "URL",
      description = "An external PostgreSQL instead: jdbc:postgresql://HOST[:PORT]/DB?user=...&password=...")
  String db;

  DatabaseLocation location() {
    if (data != null && db != null) {
      throw new InputException("give either --data or --db, not both");
    }
    if (db != null) {
      try {
        return new DatabaseLocation.External(db);
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
    }
    return new DatabaseLocation.Embedded(dataDirectory());
  }

  Path dataDirectory() {
    return data != null ? data : DatabaseLocation.DEFAULT_DATA_DIRECTORY;
  }

  /** Opens the database; a failure (directory in use, server unreachable) is one line for the user. */
  Database open() {
    return open(location(), null);
  }

  /** As {@link #open()}, the pool reporting to {@code meters}. */
  Database open(MeterRegistry meters) {
    return open(location(), meters);
  }

  /**
   * Opens the database of a {@code serve} running on this data directory if there is one (its
   * process is alive), else the database itself.
   */
  Database openBesideServer() {
    DatabaseLocation location = location();
    if (location instanceof DatabaseLocation.Embedded) {
      Optional<String> running = runningServerJdbcUrl(dataDirectory());
      if (running.isPresent()) {
        return open(new DatabaseLocation.External(running.get()), null);
      }
    }
    return open(location, null);
  }

  private static Database open(DatabaseLocation location, MeterRegistry meters) {
    try {
      return Database.open(location, meters);
    } catch (StoreException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /** The JDBC URL a live server wrote into {@code dataDirectory}; empty if none or if its process has ended. */
  static Optional<String> runningServerJdbcUrl(Path dataDirectory) {
    return runningServer(dataDirectory).map(p -> p.getProperty("jdbc"));
  }

  /** The API URL ({@code http://127.0.0.1:PORT}) of a live server on {@code dataDirectory}; empty if none. */
  static Optional<String> runningServerUrl(Path dataDirectory) {
    return runningServer(dataDirectory).map(p -> p.getProperty("url"));
  }

  private static Optional<Properties> runningServer(Path dataDirectory) {
    Path file = dataDirectory.resolve(SERVER_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    long pid;
    try {
      pid = Long.parseLong(p.getProperty("pid", ""));
    } catch (NumberFormatException e) {
      throw new InputException(file + ": field pid: '" + p.getProperty("pid") + "' is not a process id", e);
    }
    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return alive ? Optional.of(p) : Optional.empty();
  }
}
