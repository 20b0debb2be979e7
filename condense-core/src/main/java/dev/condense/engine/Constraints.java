package dev.condense.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** The constraints of a training run, by initializer name. */
public record Constraints(Map<String, Constraint> byWeight) {

  public Constraints {
    byWeight = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byWeight));
  }

  public static final Constraints NONE = new Constraints(Map.of());

  public Constraint get(String weight) {
    return byWeight.get(weight);
  }

  /** A copy with one more constraint. */
  public Constraints with(String weight, Constraint c) {
    Map<String, Constraint> m = new LinkedHashMap<>(byWeight);
    m.put(weight, c);
    return new Constraints(m);
  }
}
