package dev.superfactory.report.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * An immutable series of measured numbers (utilization samples, a CDF): an array of numbers in
 * {@code result.json}, where a value that could not be measured is null; NaN here. Equal by content.
 * Cost: {@link #get} O(1); {@link #toArray} copies.
 */
@JsonSerialize(using = Samples.Writer.class)
@JsonDeserialize(using = Samples.Reader.class)
public final class Samples {
  private static final Samples EMPTY = new Samples(new double[0]);

  private final double[] values;

  private Samples(double[] values) {
    this.values = values;
  }

  public static Samples of(double... values) {
    return values.length == 0 ? EMPTY : new Samples(values.clone());
  }

  public static Samples empty() {
    return EMPTY;
  }

  /** {@code samples}, or no samples when null (a series missing from a file). */
  static Samples orEmpty(Samples samples) {
    return samples == null ? EMPTY : samples;
  }

  public int size() {
    return values.length;
  }

  public boolean isEmpty() {
    return values.length == 0;
  }

  public double get(int i) {
    return values[i];
  }

  /** A copy of the values. */
  public double[] toArray() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Samples s && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }

  /** Writes a JSON array, NaN as null. */
  static final class Writer extends StdSerializer<Samples> {
    Writer() {
      super(Samples.class);
    }

    @Override
    public void serialize(Samples s, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeStartArray(s, s.values.length);
      for (double v : s.values) {
        if (Double.isNaN(v)) {
          g.writeNull();
        } else {
          g.writeNumber(v);
        }
      }
      g.writeEndArray();
    }
  }

  /** Reads a JSON array of numbers, null as NaN. */
  static final class Reader extends StdDeserializer<Samples> {
    Reader() {
      super(Samples.class);
    }

    @Override
    public Samples deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (Samples) ctxt.handleUnexpectedToken(Samples.class, p);
      }
      double[] values = new double[16];
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (n == values.length) {
          values = Arrays.copyOf(values, n * 2);
        }
        if (t == JsonToken.VALUE_NULL) {
          values[n++] = Double.NaN;
        } else if (t.isNumeric()) {
          values[n++] = p.getDoubleValue();
        } else {
          return (Samples) ctxt.handleUnexpectedToken(Samples.class, p);
        }
      }
      return n == 0 ? EMPTY : new Samples(Arrays.copyOf(values, n));
    }
  }
}
