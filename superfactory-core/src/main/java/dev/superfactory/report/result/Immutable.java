package dev.superfactory.report.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for the result records: in order, unmodifiable, never null (a missing map or list is empty). */
final class Immutable {
  private Immutable() {}

  static <V> Map<String, V> map(Map<String, V> map) {
    return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
