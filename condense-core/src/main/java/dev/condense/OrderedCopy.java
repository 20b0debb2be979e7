package dev.condense;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Unmodifiable copies that iterate in the order of the original. {@code Map.of} and
 * {@code Map.copyOf} iterate in an order drawn afresh in every JVM, so whatever walks such a
 * map — a report's per-layer settings, the first of several entries that match a layer — would
 * differ from one run of the same command to the next.
 */
public final class OrderedCopy {
  private OrderedCopy() {}

  /** {@code m}'s entries in its iteration order; like {@code Map.copyOf}, refuses null keys and values. */
  public static <K, V> Map<K, V> of(Map<K, V> m) {
    Map<K, V> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "null key"), Objects.requireNonNull(v, "null value")));
    return Collections.unmodifiableMap(copy);
  }
}
