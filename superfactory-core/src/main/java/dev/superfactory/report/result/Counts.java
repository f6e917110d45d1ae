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
 * An immutable series of whole numbers (pending jobs per sample, failure events per day): an
 * array of integers in {@code result.json}. Equal by content. Cost: {@link #get} O(1);
 * {@link #toDoubles} copies.
 */
@JsonSerialize(using = Counts.Writer.class)
@JsonDeserialize(using = Counts.Reader.class)
public final class Counts {
  private static final Counts EMPTY = new Counts(new long[0]);

  private final long[] values;

  private Counts(long[] values) {
    this.values = values;
  }

  public static Counts of(long... values) {
    return values.length == 0 ? EMPTY : new Counts(values.clone());
  }

  public static Counts empty() {
    return EMPTY;
  }

  /** {@code counts}, or no counts when null (a series missing from a file). */
  static Counts orEmpty(Counts counts) {
    return counts == null ? EMPTY : counts;
  }

  public int size() {
    return values.length;
  }

  public boolean isEmpty() {
    return values.length == 0;
  }

  public long get(int i) {
    return values[i];
  }

  /** The counts as doubles, for charts. */
  public double[] toDoubles() {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Counts c && Arrays.equals(values, c.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }

  /** Writes a JSON array of integers. */
  static final class Writer extends StdSerializer<Counts> {
    Writer() {
      super(Counts.class);
    }

    @Override
    public void serialize(Counts c, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeStartArray(c, c.values.length);
      for (long v : c.values) {
        g.writeNumber(v);
      }
      g.writeEndArray();
    }
  }

  /** Reads a JSON array of integers; anything else is an error naming where it is. */
  static final class Reader extends StdDeserializer<Counts> {
    Reader() {
      super(Counts.class);
    }

    @Override
    public Counts deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (Counts) ctxt.handleUnexpectedToken(Counts.class, p);
      }
      long[] values = new long[16];
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_NUMBER_INT) {
          return (Counts) ctxt.handleUnexpectedToken(Counts.class, p);
        }
        if (n == values.length) {
          values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = p.getLongValue();
      }
      return n == 0 ? EMPTY : new Counts(Arrays.copyOf(values, n));
    }
  }
}
