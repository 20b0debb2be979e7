package dev.condense.api;

import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.StepContext;
import java.util.List;

/**
 * A compression method as a transformation of a model: one or more recipe steps, run by the
 * steps' own executors ({@link dev.condense.pipeline.Step#apply}). Methods that need no data
 * (magnitude or L1 filter pruning without retraining, k-means weight sharing without
 * fine-tuning) run with {@link #apply(Model)}; the others take data, and an engine to train and
 * measure on (by default {@link Condense#engine()}). Random choices use seed 1 unless a context
 * says otherwise.
 */
public interface Transformation {
  /** The steps this transformation runs, in order. */
  Recipe recipe();

  /** The transformed model, without engine or data; a step that needs them says so. */
  default Model apply(Model m) {
    return apply(m, StepContext.withoutData(m, Condense.SEED));
  }

  /**
   * The transformed model, training and measuring on {@code data} with a pure-Java engine of
   * {@link Condense#engine()} that lives for this call (its worker threads stop at the end).
   */
  default Model apply(Model m, DataSplit data) {
    try (Engine engine = Condense.engine()) {
      return apply(m, engine, data);
    }
  }

  /** The transformed model, training and measuring on {@code data} with {@code engine}. */
  default Model apply(Model m, Engine engine, DataSplit data) {
    return apply(m, StepContext.of(m, engine, data, Condense.SEED, Progress.NONE, line -> { }));
  }

  /**
   * This transformation with {@code p} overriding, in every training it runs, which tensors train
   * (by default the parameters only: see {@code docs/training.md}).
   */
  default Transformation training(ParameterChoice p) {
    Recipe r = recipe().withParameters(p);
    return () -> r;
  }

  /** Also trains the float initializers named or matched (globs) by {@code patterns}, which the rule freezes. */
  default Transformation trainable(String... patterns) {
    return training(new ParameterChoice(List.of(patterns), List.of()));
  }

  /** Keeps the float initializers named or matched (globs) by {@code patterns} fixed in every training. */
  default Transformation frozen(String... patterns) {
    return training(new ParameterChoice(List.of(), List.of(patterns)));
  }

  /** The transformed model in a context of one's own (seed, progress, log). */
  default Model apply(Model m, StepContext ctx) {
    return recipe().apply(m, ctx);
  }
}
