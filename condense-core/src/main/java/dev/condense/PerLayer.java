package dev.condense;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A setting given per layer: values for named layers, and a value for every other layer or none
 * ({@link #hasDefault()} false: the other layers are left alone). Replaces the pairs of a map and
 * a NaN default that recipe steps and pruning criteria used to carry.
 *
 * @param byLayer values by layer (node) name
 * @param dflt the value for layers without an entry; {@code null} exactly when there is none
 */
public record PerLayer<T>(Map<String, T> byLayer, T dflt) {
  public PerLayer {
    byLayer = OrderedCopy.of(byLayer); // the order given, in every JVM (reports list the layers so)
  }

  /** One value for every layer. */
  public static <T> PerLayer<T> all(T value) {
    return new PerLayer<>(Map.of(), Objects.requireNonNull(value));
  }

  /** Values for the listed layers only; the others are left alone. */
  public static <T> PerLayer<T> only(Map<String, T> byLayer) {
    return new PerLayer<>(byLayer, null);
  }

  /** Values for the listed layers and {@code dflt} for the rest. */
  public static <T> PerLayer<T> of(Map<String, T> byLayer, T dflt) {
    return new PerLayer<>(byLayer, Objects.requireNonNull(dflt));
  }

  /** Whether layers without an entry get a value. */
  public boolean hasDefault() {
    return dflt != null;
  }

  /** The value for {@code layer}: its entry, else the default, else none. */
  public Optional<T> get(String layer) {
    T v = byLayer.get(layer);
    return Optional.ofNullable(v != null ? v : dflt);
  }

  /** The same layers with {@code f} applied to every value. */
  public <R> PerLayer<R> map(Function<T, R> f) {
    Map<String, R> m = new LinkedHashMap<>();
    byLayer.forEach((k, v) -> m.put(k, f.apply(v)));
    return new PerLayer<>(m, dflt == null ? null : f.apply(dflt));
  }

  /** For reports: the one value when no layer has its own, else the per-layer entries. */
  public String describe() {
    return byLayer.isEmpty() ? String.valueOf(dflt) : byLayer.toString();
  }
}
