package dev.condense.pipeline;

import java.util.List;

/** A named list of compression steps, as a YAML recipe file holds it. */
public record Recipe(String name, String description, List<Step> steps) {
  public Recipe {
    steps = List.copyOf(steps);
  }
}
