package dev.condense.zoo;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import java.util.List;

/** The built-in reference models by name, for the CLI and recipes. */
public final class Zoo {
  private Zoo() {}

  /** Names accepted by {@link #create}. */
  public static final List<String> NAMES = List.of("lenet-300-100", "lenet-5");

  public static boolean has(String name) {
    return NAMES.contains(name);
  }

  /** A freshly initialised model (same seed, same weights). */
  public static Model create(String name, long seed) {
    return Model.of(switch (name) {
      case "lenet-300-100" -> LeNet.lenet300100(seed);
      case "lenet-5" -> LeNet.lenet5(seed);
      default -> throw new CondenseException("unknown zoo model '" + name + "' (available: "
          + String.join(", ", NAMES) + ")");
    });
  }
}
