package dev.superfactory.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads YAML (and therefore JSON) into {@link ConfigNode} trees with Jackson's streaming YAML
 * parser, keeping the line of every key and value. Duplicate keys are errors, not silent
 * overwrites.
 */
public final class YamlDocuments {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private YamlDocuments() {}

  /** Parses a file; the source is named as the user gave the path. */
  public static ConfigNode read(Path file) {
    return parse(readText(file), file.toString());
  }

  /**
   * A file's text, checked as {@link #read} checks it (UTF-8, no NUL byte); a missing or unreadable file is one
   * line naming it. For a caller that keeps the text (a sweep sends it to its workers).
   */
  public static String readText(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return text(bytes, file.toString());
  }

  /**
   * The bytes as UTF-8 text, or a one-line error naming the line and byte offset of the first byte
   * that is not (a binary file, or text in another encoding). A NUL byte counts as binary.
   */
  static String text(byte[] bytes, String sourceName) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw notText(bytes, in.position(), sourceName, "invalid UTF-8");
    }
    decoder.flush(out);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw notText(bytes, i, sourceName, "a NUL byte");
      }
    }
    return out.flip().toString();
  }

  private static InputException notText(byte[] bytes, int offset, String sourceName, String what) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    return new InputException(String.format(Locale.ROOT, "%s:%d: not a text YAML file (%s at byte offset %d)",
        sourceName, line, what, offset));
  }

  /** Parses a classpath resource (a built-in preset). */
  public static ConfigNode readResource(String resource, String sourceName) {
    try (InputStream in = YamlDocuments.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in resource " + resource);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), sourceName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses YAML text; {@code sourceName} appears in error messages. */
  public static ConfigNode parse(String text, String sourceName) {
    try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return ConfigNode.nullNode("", new SourceLocation(sourceName, 1));
      }
      ConfigNode root = readValue(p, "", sourceName);
      if (p.nextToken() != null) {
        throw InputException.at(locate(p, sourceName), "", "more than one YAML document; expected one");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? 0 : at.getLineNr();
      String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
      throw new InputException(new SourceLocation(sourceName, line) + ": not valid YAML: " + msg, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConfigNode readValue(JsonParser p, String path, String source) throws IOException {
    SourceLocation at = locate(p, source);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, ConfigNode> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          SourceLocation keyAt = locate(p, source);
          String childPath = path.isEmpty() ? key : path + "." + key;
          p.nextToken();
          ConfigNode child = readValue(p, childPath, source);
          if (child.kind() == ConfigNode.Kind.NULL) {
            child = ConfigNode.nullNode(childPath, keyAt);
          }
          if (fields.put(key, child) != null) {
            throw InputException.at(keyAt, childPath, "duplicate key '" + key + "'");
          }
        }
        return ConfigNode.map(path, at, fields);
      }
      case START_ARRAY: {
        List<ConfigNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, path + "[" + items.size() + "]", source));
        }
        return ConfigNode.list(path, at, items);
      }
      case VALUE_NULL:
        return ConfigNode.nullNode(path, at);
      default:
        return ConfigNode.scalar(path, at, p.getText());
    }
  }

  private static SourceLocation locate(JsonParser p, String source) {
    JsonLocation l = p.currentTokenLocation();
    return new SourceLocation(source, l == null ? 0 : l.getLineNr());
  }
}
