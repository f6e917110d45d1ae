package dev.superfactory.workload;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import dev.superfactory.workload.openb.OpenbTraceFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of trace formats by the names {@code FORMAT:PATH} uses. A new format is one line here. */
public final class TraceFormats {
  private static final Map<String, TraceFormat> REGISTRY = new LinkedHashMap<>();

  static {
    register(NativeTraceFormat::new);
    register(OpenbTraceFormat::new);
  }

  private TraceFormats() {}

  private static void register(Supplier<TraceFormat> constructor) {
    TraceFormat format = constructor.get();
    if (REGISTRY.putIfAbsent(format.name(), format) != null) {
      throw new IllegalStateException("two trace formats named '" + format.name() + "'");
    }
  }

  /** The registered names, in registration order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** The registered formats, in registration order. */
  public static List<TraceFormat> all() {
    return List.copyOf(REGISTRY.values());
  }

  /** The named format; {@link InputException} naming the known ones (and the nearest) if unknown. */
  public static TraceFormat get(String name) {
    TraceFormat format = REGISTRY.get(name);
    if (format == null) {
      String nearest = Suggest.nearest(name, REGISTRY.keySet());
      throw new InputException("unknown trace format '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", REGISTRY.keySet()) + ")");
    }
    return format;
  }
}
