package dev.condense.zoo;

import dev.condense.CondenseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A zoo model as a user names it: {@code name[:key=value,...]}, e.g. {@code vgg-16:width=0.25}
 * or {@code resnet-56:shortcut=b}. The options a model takes are listed with it in {@link Zoo}.
 */
public record ZooSpec(String name, Map<String, String> options) {

  public ZooSpec {
    options = Map.copyOf(options);
  }

  /** Parses {@code spec}; an error names the spec when an option is not {@code key=value}. */
  public static ZooSpec parse(String spec) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    Map<String, String> options = new LinkedHashMap<>();
    if (colon >= 0) {
      for (String kv : spec.substring(colon + 1).split(",")) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || eq == kv.length() - 1) {
          throw new CondenseException("zoo model '" + spec + "': option '" + kv + "' is not key=value");
        }
        if (options.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip()) != null) {
          throw new CondenseException("zoo model '" + spec + "': option '" + kv.substring(0, eq) + "' given twice");
        }
      }
    }
    return new ZooSpec(name, options);
  }

  /** Fails on options outside {@code known}, naming them. */
  void allowOnly(Set<String> known) {
    for (String k : options.keySet()) {
      if (!known.contains(k)) {
        throw new CondenseException("zoo model '" + name + "' has no option '" + k + "'"
            + (known.isEmpty() ? "" : " (options: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
      }
    }
  }

  /** A positive width multiplier, default 1. */
  double width() {
    String v = options.getOrDefault("width", "1");
    try {
      double w = Double.parseDouble(v);
      if (w > 0 && w <= 16) {
        return w;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CondenseException("zoo model '" + name + "': width must be a number in (0, 16], got '" + v + "'");
  }

  /** An option from a fixed set of choices. */
  String choice(String key, String dflt, Set<String> choices) {
    String v = options.getOrDefault(key, dflt).toLowerCase(java.util.Locale.ROOT);
    if (!choices.contains(v)) {
      throw new CondenseException("zoo model '" + name + "': " + key + " must be one of "
          + String.join(", ", new java.util.TreeSet<>(choices)) + ", got '" + v + "'");
    }
    return v;
  }
}
