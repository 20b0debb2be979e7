package dev.condense.pipeline;

import dev.condense.graph.Model;
import java.util.List;

/** A named list of compression steps, as a YAML recipe file holds it; applied, a transformation of a model. */
public record Recipe(String name, String description, List<Step> steps) {
  public Recipe {
    steps = List.copyOf(steps);
  }

  /** Steps without a name, as one transformation. */
  public static Recipe of(Step... steps) {
    return new Recipe("steps", "", List.of(steps));
  }

  /**
   * The model after every step in order, in {@code ctx} (see {@link Pipeline} for a run that
   * also evaluates each stage).
   */
  public Model apply(Model m, StepContext ctx) {
    for (Step step : steps) {
      ctx.enter(step, m);
      m = step.apply(m, ctx);
    }
    return m;
  }
}
