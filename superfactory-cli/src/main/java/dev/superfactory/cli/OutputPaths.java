package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Checks, before a run starts, that the files and folders it will write can be written: the folder
 * is created as the real write would create it, and a probe file is opened and deleted (an existing
 * file is opened for writing without truncating it), so a bad {@code --out} or {@code -o} fails in
 * a second with the option, the path and the operating system's reason, not after a long run. Cost:
 * a few file-system calls.
 */
final class OutputPaths {
  private OutputPaths() {}

  /**
   * Runs {@code work} with the {@code --out} folder, created and checked first: the given one, or
   * else {@code ./superfactory-out/<name>-<timestamp>/} (with {@code -2}, {@code -3} ... if taken).
   * If the work fails, the folders this call created are removed again while they are empty.
   */
  static void intoOutFolder(Path given, String name, Consumer<Path> work) {
    Path dir = outFolderPath(given, name);
    Path firstCreated = firstMissing(dir);
    directory("--out", dir);
    try {
      work.accept(dir);
    } catch (RuntimeException e) {
      removeEmpty(dir, firstCreated);
      throw e;
    }
  }

  private static Path outFolderPath(Path given, String name) {
    Path dir = given;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path base = Path.of("superfactory-out", name + "-" + stamp);
      dir = base;
      for (int i = 2; Files.exists(dir); i++) {
        dir = Path.of(base + "-" + i);
      }
    }
    return dir;
  }

  /** The outermost folder of {@code dir}'s path that does not exist yet, or null if {@code dir} exists. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** Deletes {@code dir} and its parents up to {@code upTo} while they are empty. */
  private static void removeEmpty(Path dir, Path upTo) {
    if (upTo == null) {
      return;
    }
    for (Path p = dir.toAbsolutePath().normalize(); p != null && p.startsWith(upTo); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (IOException e) {
        return; // not empty (or already gone): keep it
      }
    }
  }

  /** Creates {@code dir} (and its parents) and checks a file can be created in it. */
  static Path directory(String option, Path dir) {
    refuseFileAncestor(option, dir, dir, "cannot create the output folder");
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".superfactory-probe-", ".tmp"));
    } catch (IOException e) {
      throw failure(option, dir, "cannot write to the output folder", e);
    }
    return dir;
  }

  /**
   * Checks that {@code file} can be written: creates its folder, then opens the file for writing
   * without changing it (an existing file keeps its content; a new one is deleted again).
   */
  static Path file(String option, Path file) {
    if (Files.isDirectory(file)) {
      throw new InputException(option + " " + file + ": cannot write: is a directory");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      refuseFileAncestor(option, file, parent, "cannot create its folder");
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw failure(option, file, "cannot create its folder", e);
      }
    }
    boolean existed = Files.exists(file);
    try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      // opened: writable
    } catch (IOException e) {
      throw failure(option, file, "cannot write", e);
    }
    if (!existed) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw failure(option, file, "cannot write", e);
      }
    }
    return file;
  }

  /** A regular file where a folder must be gives the clearest reason; say it before trying. */
  private static void refuseFileAncestor(String option, Path path, Path folder, String what) {
    Path abs = path.toAbsolutePath().normalize();
    for (Path p = folder.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          String reason = p.equals(abs) ? "exists and is not a directory" : "not a directory: " + p + " is a file";
          throw new InputException(option + " " + path + ": " + what + ": " + reason);
        }
        return;
      }
    }
  }

  private static InputException failure(String option, Path path, String what, IOException e) {
    return new InputException(option + " " + path + ": " + what + ": " + reason(e), e);
  }

  /** The operating system's reason, in words, without the path it repeats. */
  /** Writes a UTF-8 text file the command produces; a failure is one line naming the file and the reason. */
  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write: " + reason(e), e);
    }
  }

  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file exists";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason().toLowerCase(Locale.ROOT);
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
