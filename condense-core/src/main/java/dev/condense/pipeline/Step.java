package dev.condense.pipeline;

import dev.condense.prune.PruningCriterion;
import java.util.Map;

/** One step of a compression recipe. Steps run in order, each on the previous step's model. */
public sealed interface Step {

  /** A short name for reports ("train", "prune", ...). */
  String name();

  /** Trains (or retrains: pruned weights stay zero once anything was pruned). */
  record Train(TrainSettings settings) implements Step {
    @Override
    public String name() {
      return "train";
    }
  }

  /** Magnitude pruning, once, without retraining. */
  record Prune(PruningCriterion criterion) implements Step {
    @Override
    public String name() {
      return "prune";
    }
  }

  /**
   * Han et al.'s iterative pruning: {@code rounds} of prune → retrain, each round keeping
   * density d^(r/rounds) of each layer, so the last round reaches the target sparsity 1 − d.
   */
  record IterativePrune(Map<String, Double> sparsity, double dflt, int rounds, TrainSettings retrain)
      implements Step {
    public IterativePrune {
      sparsity = Map.copyOf(sparsity);
    }

    @Override
    public String name() {
      return "iterative-prune";
    }
  }

  /**
   * Zhu and Gupta's automated gradual pruning: over {@code train.epochs()} epochs, each epoch
   * starts by pruning to the cubic schedule's sparsity (0 → target), then trains under the masks.
   */
  record GradualPrune(Map<String, Double> sparsity, double dflt, TrainSettings train) implements Step {
    public GradualPrune {
      sparsity = Map.copyOf(sparsity);
    }

    @Override
    public String name() {
      return "gradual-prune";
    }
  }

  /** Removes neurons and channels left without inputs or outputs (Han et al. 2015, §3.5). */
  record RemoveDeadNeurons() implements Step {
    @Override
    public String name() {
      return "remove-dead-neurons";
    }
  }
}
