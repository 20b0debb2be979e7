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
   * With {@code global}, {@code dflt} is the overall sparsity and one magnitude threshold across
   * all layers decides where the weights go.
   */
  record IterativePrune(Map<String, Double> sparsity, double dflt, int rounds, TrainSettings retrain, boolean global)
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
   * With {@code global}, {@code dflt} is the overall sparsity under one threshold.
   */
  record GradualPrune(Map<String, Double> sparsity, double dflt, TrainSettings train, boolean global) implements Step {
    public GradualPrune {
      sparsity = Map.copyOf(sparsity);
    }

    @Override
    public String name() {
      return "gradual-prune";
    }
  }

  /**
   * Deep Compression's weight sharing and trained quantization (§3): each prunable layer's
   * non-zero weights are clustered by 1-D k-means into 2^bits − 1 shared values (the code 0 stays
   * for zero), then the centroids are fine-tuned with the summed gradients of their weights.
   *
   * @param convBits bits for Conv layers without an entry in {@code bitsByLayer} (paper: 8)
   * @param fcBits bits for Gemm/MatMul layers without an entry (paper: 5)
   */
  record Quantize(Map<String, Integer> bitsByLayer, int convBits, int fcBits,
      dev.condense.quant.KMeans1D.Init init, TrainSettings fineTune) implements Step {
    public Quantize {
      bitsByLayer = Map.copyOf(bitsByLayer);
    }

    @Override
    public String name() {
      return "quantize";
    }
  }

  /**
   * Gong et al. 2014's vector quantization of the fully connected layers (and of conv kernels,
   * seen as [filters × rest], when {@code convToo}): each layer coded by {@code quantizer} (or its
   * entry in {@code byLayer}), then optionally the codebooks fine-tuned under fixed codes (beyond
   * Gong: Eq. 3 of Deep Compression applied to every codebook entry). The weights become ONNX
   * subgraphs rebuilding them from codebooks and codes ({@link dev.condense.quant.VqLayer}).
   */
  record VectorQuantize(dev.condense.quant.VectorQuantizer quantizer,
      Map<String, dev.condense.quant.VectorQuantizer> byLayer, boolean convToo, TrainSettings fineTune)
      implements Step {
    public VectorQuantize {
      byLayer = Map.copyOf(byLayer);
    }

    @Override
    public String name() {
      return "vector-quantize";
    }
  }

  /**
   * Hu et al. 2016's Network Trimming: for {@code iterations} rounds, measure every candidate
   * layer's APoZ on {@code samples} training images, take the {@code layersPerIteration} layers of
   * highest mean APoZ, remove their channels whose APoZ exceeds the layer's mean by more than
   * {@code stds} standard deviations, and retrain from the surviving weights.
   *
   * @param layers candidate layers by producer name; empty: every prunable group with a ReLU
   */
  record Trim(java.util.List<String> layers, int layersPerIteration, int iterations, double stds, int samples,
      TrainSettings retrain) implements Step {
    public Trim {
      layers = java.util.List.copyOf(layers);
    }

    @Override
    public String name() {
      return "trim";
    }
  }

  /**
   * Li et al. 2017's filter pruning: in each conv layer, the share {@code ratio} (or its entry in
   * {@code byLayer}) of filters with the smallest L1 norms goes, selected independently or
   * greedily; then retraining. With {@code rounds} > 1, iterative: round r keeps
   * (1 − ratio)^(r/rounds) of each layer and retrains. Residual streams (groups of several
   * layers) are pruned only with {@code streams}; otherwise only the first layer of each block.
   *
   * @param ratio share of filters for layers without an entry; NaN: only the listed layers
   * @param align kept counts are rounded to a multiple of this ({@link
   *     dev.condense.structure.ChannelAlignment}); 1: exact
   */
  record PruneFilters(Map<String, Double> byLayer, double ratio, boolean greedy, boolean streams, int rounds,
      int align, TrainSettings retrain) implements Step {
    public PruneFilters {
      byLayer = Map.copyOf(byLayer);
    }

    @Override
    public String name() {
      return "prune-filters";
    }
  }

  /**
   * Channel pruning through the next layer, front to back ({@link ChannelPruning}): He et al.
   * 2017's LASSO + least squares, ThiNet, L1 or random selection; each candidate layer keeps the
   * share {@code keep} of its channels (or its entry in {@code byLayer}); with {@code speedup} > 0
   * the uniform share is instead chosen so that the model's multiply-adds fall by that factor.
   * With {@code layerEpochs} > 0, that many epochs of fine-tuning (at {@code fineTune}'s settings)
   * follow each pruned layer, as ThiNet does — on {@code layerImages} training images per layer
   * when > 0 (consecutive windows of the training set, so each layer sees different images),
   * else on all of them. Then fine-tuning (none with 0 epochs: the "before fine-tuning" column of
   * He's Table 2). Kept counts are rounded to a multiple of {@code align} (1: exact).
   */
  record ChannelPrune(ChannelPruning.Method method, Map<String, Double> byLayer, double keep, double speedup,
      ChannelPruning.Sampling sampling, int layerEpochs, int layerImages, int align, TrainSettings fineTune)
      implements Step {
    public ChannelPrune {
      byLayer = Map.copyOf(byLayer);
    }

    @Override
    public String name() {
      return "channel-prune";
    }
  }

  /**
   * Replaces the fully connected head by global average pooling and one linear layer (ThiNet's
   * GAP variant, Luo et al. 2017 §4.2; {@link dev.condense.structure.GapHead}), then retrains.
   */
  record GapHead(TrainSettings retrain) implements Step {
    @Override
    public String name() {
      return "gap-head";
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
