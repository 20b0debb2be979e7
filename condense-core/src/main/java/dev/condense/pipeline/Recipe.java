package dev.condense.pipeline;

import dev.condense.engine.ParameterChoice;
import dev.condense.graph.Model;
import java.util.List;

/**
 * A named list of compression steps, as a YAML recipe file holds it; applied, a transformation of
 * a model. {@code parameters} overrides, for every training of the recipe, which tensors train
 * (the recipe's {@code trainable} and {@code frozen} fields). {@code preprocess} is the recipe's
 * input transform in {@link dev.condense.data.Preprocess}'s text form (null: the model's own), for
 * recipes written for one kind of data; {@code augment} the training-time transform of every
 * training step ({@link dev.condense.data.Augmentation}; null: none).
 */
public record Recipe(String name, String description, String preprocess, String augment, List<Step> steps,
    ParameterChoice parameters) {
  public Recipe {
    steps = List.copyOf(steps);
    parameters = parameters == null ? ParameterChoice.NONE : parameters;
  }

  /** A recipe whose trainings follow the default rule of what trains. */
  public Recipe(String name, String description, List<Step> steps) {
    this(name, description, null, null, steps, ParameterChoice.NONE);
  }

  /** The same steps, with {@code p} added to the overrides of which tensors train. */
  public Recipe withParameters(ParameterChoice p) {
    return new Recipe(name, description, preprocess, augment, steps, parameters.and(p));
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
    ctx.addParameters(parameters);
    for (Step step : steps) {
      ctx.enter(step, m);
      m = step.apply(m, ctx);
    }
    return m;
  }
}
