package dev.superfactory.report.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import dev.superfactory.input.InputException;
import dev.superfactory.report.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes and reads the typed results ({@link RunResult}, the comparison) as JSON: pretty-printed
 * like every other Superfactory file, keys in record component order, a trailing newline. A
 * number that could not be measured is NaN in a record and null in the file; a null or missing
 * number reads back as NaN (a missing count as 0, a missing object as absent). An unknown key is
 * an error naming its path, so a renamed key cannot go unnoticed. Cost: linear in the output;
 * about 25 KB for a few days, a few MB for a year of hourly samples.
 */
public final class ResultJson {
  private static final ObjectMapper MAPPER = Json.mapper().copy().registerModule(new SimpleModule("nan-as-null")
      .addSerializer(Double.class, new NanAsNull())
      .addSerializer(double.class, new NanAsNull())
      .addDeserializer(Double.class, new NullAsNan(Double.class, null))
      .addDeserializer(double.class, new NullAsNan(double.class, Double.NaN)));

  private ResultJson() {}

  /** The JSON text of a result (or any result record), with a trailing newline. */
  public static String pretty(Object result) {
    try {
      return MAPPER.writeValueAsString(result) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON text on one line, no trailing newline: a line of a JSON-lines file. */
  public static String compact(Object result) {
    try {
      return MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void write(Object result, Path file) {
    try {
      Files.writeString(file, pretty(result), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a {@code result.json}; a file that is not one is an input error naming the file and the key. */
  public static RunResult read(Path file) {
    try {
      return MAPPER.readValue(file.toFile(), RunResult.class);
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": not a result.json: " + problem(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a result from its JSON text. */
  public static <T> T parse(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + problem(e), e);
    }
  }

  /** Reads a result from a JSON tree (a hand-made result in a test, say). */
  public static RunResult fromTree(JsonNode tree) {
    return parse(tree.toString(), RunResult.class);
  }

  /** What is wrong and where: "Unrecognized field "walltime" … at RunResult["run"]->RunInfo["walltime"]". */
  private static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    return e instanceof JsonMappingException m && !m.getPath().isEmpty() ? message + " at " + m.getPathReference() : message;
  }

  /** NaN as null; other numbers as Jackson writes doubles. */
  private static final class NanAsNull extends StdScalarSerializer<Double> {
    NanAsNull() {
      super(Double.class);
    }

    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider provider) throws IOException {
      if (Double.isNaN(v)) {
        g.writeNull();
      } else {
        g.writeNumber(v.doubleValue());
      }
    }
  }

  /** A number, or NaN for null; {@code absent} when the key is missing (NaN for primitives, null when boxed). */
  private static final class NullAsNan extends StdScalarDeserializer<Double> {
    private final Double absent;

    NullAsNan(Class<?> type, Double absent) {
      super(type);
      this.absent = absent;
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken().isNumeric()) {
        return p.getDoubleValue();
      }
      return (Double) ctxt.handleUnexpectedToken(Double.class, p);
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
      return Double.NaN;
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return absent;
    }
  }
}
