package dev.condense.pipeline;

import dev.condense.OrderedCopy;
import dev.condense.PerLayer;
import dev.condense.graph.Model;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.KMeans1D;
import dev.condense.quant.VectorQuantizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One step of a compression recipe, and its executor: {@link #apply} transforms a model within a
 * run's {@link StepContext}. Steps run in order, each on the previous step's model. Each step's
 * defaults (its static fields) are the ones the recipe reader and the command line both use.
 */
public sealed interface Step {

  /** What a step does to a model, for the reference point and the reports. */
  enum Kind {
    /** Trains or cleans up; leaves the compression as it is. */
    NONE,
    /** Sets weights to zero by magnitude (Han et al. 2015). */
    MAGNITUDE,
    /** Removes channels or neurons for real, or replaces the head. */
    STRUCTURE,
    /** Shares weights in per-layer codebooks (Deep Compression §3). */
    WEIGHT_SHARING,
    /** Codes weight vectors by codebooks (Gong et al. 2014). */
    VECTOR_QUANTIZATION,
    /** Linear 8-bit quantization to ONNX QDQ (int8 weights, calibrated activations). */
    INT8
  }

  /** Retraining epochs of steps that remove channels (trim, prune-filters, channel-prune, gap-head). */
  int STRUCTURED_RETRAIN_EPOCHS = 5;

  /** Kept channel counts of the steps that remove channels are exact unless asked to round them (8, 16). */
  int ALIGN = 1;

  /** A short name for reports ("train", "prune", ...). */
  String name();

  /** What the step does. */
  Kind kind();

  /** Whether it prunes, thins or quantizes: the model before the first such step is the run's reference. */
  default boolean compresses() {
    return kind() != Kind.NONE;
  }

  /** Whether it trains or measures, and so needs an engine and data. */
  boolean needsData();

  /** A few words on the step's settings, for the stage table. */
  String detail();

  /** The model after this step. */
  Model apply(Model m, StepContext ctx);

  /** Trains (or retrains: pruned weights stay zero once anything was pruned). */
  record Train(TrainSettings settings) implements Step {
    public String name() { return "train"; }
    public Kind kind() { return Kind.NONE; }
    public boolean needsData() { return true; }
    public String detail() { return settings.epochs() + " epochs"; }
    public Model apply(Model m, StepContext ctx) {
      ctx.requireData(this);
      return ctx.train(m, settings, settings.epochs());
    }
  }

  /** Magnitude pruning, once, without retraining. */
  record Prune(PruningCriterion criterion) implements Step {
    public String name() { return "prune"; }
    public Kind kind() { return Kind.MAGNITUDE; }
    public boolean needsData() { return false; }
    public String detail() { return criterion.describe(); }
    public Model apply(Model m, StepContext ctx) { return MagnitudeSteps.prune(m, criterion, ctx); }
  }

  /**
   * Han et al.'s iterative pruning: {@code rounds} of prune → retrain, each round keeping
   * density d^(r/rounds) of each layer, so the last round reaches the target sparsity 1 − d.
   * With {@code global}, {@code sparsity}'s default is the overall sparsity and one magnitude
   * threshold across all layers decides where the weights go.
   */
  record IterativePrune(PerLayer<Double> sparsity, int rounds, TrainSettings retrain, boolean global) implements Step {
    /** One round: one-shot pruning, then retraining. */
    public static final int ROUNDS = 1;
    /** Retraining epochs per round. */
    public static final int RETRAIN_EPOCHS = 10;

    public String name() { return "iterative-prune"; }
    public Kind kind() { return Kind.MAGNITUDE; }
    public boolean needsData() { return true; }
    public String detail() { return rounds + " rounds"; }
    public Model apply(Model m, StepContext ctx) { return MagnitudeSteps.iterative(m, this, ctx); }
  }

  /**
   * Zhu and Gupta's automated gradual pruning: over {@code train.epochs()} epochs, each epoch
   * starts by pruning to the cubic schedule's sparsity (0 → target), then trains under the masks.
   * With {@code global}, {@code sparsity}'s default is the overall sparsity under one threshold.
   */
  record GradualPrune(PerLayer<Double> sparsity, TrainSettings train, boolean global) implements Step {
    public String name() { return "gradual-prune"; }
    public Kind kind() { return Kind.MAGNITUDE; }
    public boolean needsData() { return true; }
    public String detail() { return train.epochs() + " epochs"; }
    public Model apply(Model m, StepContext ctx) { return MagnitudeSteps.gradual(m, this, ctx); }
  }

  /**
   * Deep Compression's weight sharing and trained quantization (§3): each prunable layer's
   * non-zero weights are clustered by 1-D k-means into 2^bits − 1 shared values (the code 0 stays
   * for zero), then the centroids are fine-tuned with the summed gradients of their weights.
   *
   * @param convBits bits for Conv layers without an entry in {@code bitsByLayer} (paper: 8)
   * @param fcBits bits for Gemm/MatMul layers without an entry (paper: 5)
   * @param fineTune the centroids' training; 0 epochs: k-means only
   */
  record Quantize(Map<String, Integer> bitsByLayer, int convBits, int fcBits, KMeans1D.Init init,
      TrainSettings fineTune) implements Step {
    public static final int CONV_BITS = 8;
    public static final int FC_BITS = 5;
    public static final KMeans1D.Init INIT = KMeans1D.Init.LINEAR;

    public Quantize {
      bitsByLayer = OrderedCopy.of(bitsByLayer);
    }

    public String name() { return "quantize"; }
    public Kind kind() { return Kind.WEIGHT_SHARING; }
    public boolean needsData() { return fineTune.epochs() > 0; }
    public String detail() {
      return "fc " + fcBits + " bits, conv " + convBits + (bitsByLayer.isEmpty() ? "" : ", " + bitsByLayer);
    }
    public Model apply(Model m, StepContext ctx) { return QuantizationSteps.quantize(m, this, ctx); }
  }

  /**
   * Gong et al. 2014's vector quantization of the fully connected layers (and of conv kernels,
   * seen as [filters × rest], when {@code convToo}): each layer coded by {@code quantizer}'s value
   * for it, then optionally the codebooks fine-tuned under fixed codes (beyond Gong: Eq. 3 of Deep
   * Compression applied to every codebook entry). The weights become ONNX subgraphs rebuilding
   * them from codebooks and codes ({@link dev.condense.quant.VqLayer}).
   */
  record VectorQuantize(PerLayer<VectorQuantizer> quantizer, boolean convToo, TrainSettings fineTune)
      implements Step {
    public static final int FINE_TUNE_EPOCHS = 0;
    public static final double FINE_TUNE_LR = 0.0005;
    public static final int FINE_TUNE_BATCH = 32;
    /** The codebooks' fine-tuning: none (0 epochs), else at lr 5e-4, batch 32, no weight decay. */
    public static final TrainSettings FINE_TUNE = TrainSettings.defaults().withEpochs(FINE_TUNE_EPOCHS)
        .withLr(FINE_TUNE_LR).withBatch(FINE_TUNE_BATCH).withWeightDecay(0);

    public String name() { return "vector-quantize"; }
    public Kind kind() { return Kind.VECTOR_QUANTIZATION; }
    public boolean needsData() { return fineTune.epochs() > 0; }
    public String detail() {
      return quantizer.dflt().label() + (fineTune.epochs() > 0 ? ", codebooks fine-tuned" : "");
    }
    public Model apply(Model m, StepContext ctx) { return QuantizationSteps.vectorQuantize(m, this, ctx); }

    /** The quantizer for {@code w}: its own, else the default unless it is a conv kernel without {@code convToo}; null: none. */
    public VectorQuantizer quantizerFor(dev.condense.ops.PrunableWeight w) {
      VectorQuantizer own = quantizer.byLayer().get(w.layer());
      return own != null ? own : w.isConv() && !convToo ? null : quantizer.dflt();
    }
  }

  /**
   * Hu et al. 2016's Network Trimming: for {@code iterations} rounds, measure every candidate
   * layer's APoZ on {@code samples} training images, take the {@code layersPerIteration} layers of
   * highest mean APoZ, remove their channels whose APoZ exceeds the layer's mean by more than
   * {@code stds} standard deviations, and retrain from the surviving weights. When no channel of a
   * chosen layer is above its threshold (mean + stds·std can exceed 100%), the layer's
   * {@code fallback} share of highest-APoZ channels goes instead, said in the log — or, with
   * {@code strict}, the run stops with an error rather than write a model it did not trim.
   *
   * @param layers candidate layers by producer name; empty: every prunable group with a ReLU
   */
  record Trim(List<String> layers, int layersPerIteration, int iterations, double stds, int samples,
      double fallback, boolean strict, TrainSettings retrain) implements Step {
    public static final int LAYERS_PER_ITERATION = 1;
    /** The share of a layer trimmed by APoZ rank when its threshold selects nothing. */
    public static final double FALLBACK = 0.1;
    public static final int ITERATIONS = 3;
    public static final double STDS = 1;
    public static final int SAMPLES = 2000;

    public Trim {
      layers = List.copyOf(layers);
    }

    public String name() { return "trim"; }
    public Kind kind() { return Kind.STRUCTURE; }
    public boolean needsData() { return true; }
    public String detail() { return iterations + " iterations"; }
    public Model apply(Model m, StepContext ctx) { return StructuredSteps.trim(m, this, ctx); }
  }

  /**
   * Li et al. 2017's filter pruning: in each conv layer, the share {@code ratio} gives (its
   * per-layer value, else its default; layers without either are left alone) of filters with the
   * smallest L1 norms goes, selected independently or greedily; then retraining. With
   * {@code rounds} > 1, iterative: round r keeps (1 − ratio)^(r/rounds) of each layer and
   * retrains. Residual streams (groups of several layers) are pruned only with {@code streams};
   * otherwise only the first layer of each block.
   *
   * @param align kept counts are rounded to a multiple of this ({@link
   *     dev.condense.structure.ChannelAlignment}); 1: exact
   */
  record PruneFilters(PerLayer<Double> ratio, boolean greedy, boolean streams, int rounds, int align,
      TrainSettings retrain) implements Step {
    public static final int ROUNDS = 1;

    public String name() { return "prune-filters"; }
    public Kind kind() { return Kind.STRUCTURE; }
    public boolean needsData() { return retrain.epochs() > 0; }
    public String detail() {
      return (ratio.byLayer().isEmpty() ? "ratio " + ratio.dflt() : ratio.byLayer().toString()) + (greedy ? ", greedy" : "");
    }
    public Model apply(Model m, StepContext ctx) { return StructuredSteps.pruneFilters(m, this, ctx); }
  }

  /**
   * Magnitude pruning to a size target without per-layer numbers
   * ({@link dev.condense.plan.SensitivityAllocation}): each prunable layer's sensitivity curve is
   * measured on {@code samples} training (calibration) images, the per-layer sparsities that meet
   * {@code target} at the least per-layer accuracy loss are chosen, and then pruned as
   * {@link IterativePrune} does. A params target counts the kept weights; a size target counts
   * their bits as written — {@code convBits}/{@code fcBits} per codebook index plus the sparse
   * format's gap bits when a quantize step follows (Deep Compression), else 32-bit floats.
   */
  record AllocatePrune(dev.condense.plan.Target target, int convBits, int fcBits, int gapBits, int samples,
      int rounds, TrainSettings retrain) implements Step {
    public static final int SAMPLES = 2000;

    public String name() { return "allocate-prune"; }
    public Kind kind() { return Kind.MAGNITUDE; }
    public boolean needsData() { return true; }
    public String detail() { return target + " by sensitivity, " + rounds + " rounds"; }
    public Model apply(Model m, StepContext ctx) { return MagnitudeSteps.allocate(m, this, ctx); }
  }

  /**
   * Structured pruning to a target without per-layer ratios ({@link dev.condense.plan.GlobalChannelPlan}):
   * every prunable group's channels are ranked together by {@code criterion}, normalised per
   * group, and the fewest that meet {@code target} go, no group below {@code floor}. With
   * {@code rounds} > 1, iterative: round r reaches target^(r/rounds) of the original's cost,
   * re-ranks on the retrained model and retrains (Torch-Pruning's iterative steps). With a
   * {@code maxDrop} and a validation set, a round whose retrained model loses more than
   * {@code maxDrop} (top-1, as a fraction) on the validation set against the model the step began
   * with is undone and the step stops there: the best model found within the drop.
   *
   * @param samples calibration images for a criterion that measures activations (APoZ)
   * @param maxDrop the validation top-1 the step may lose (a fraction), or NaN for no limit
   * @param latencyTable with a spec, each round's kept counts are steered by a per-layer
   *     {@link dev.condense.plan.LatencyTable} timed by the run's layer timer; null: not
   */
  record PruneToTarget(dev.condense.plan.Target target, dev.condense.plan.Criterion criterion,
      dev.condense.plan.ChannelFloor floor, int rounds, int samples, double maxDrop, TrainSettings retrain,
      dev.condense.plan.LatencyTableSpec latencyTable) implements Step {
    public static final int ROUNDS = 1;
    public static final int SAMPLES = 2000;

    public String name() { return "prune-to-target"; }
    public Kind kind() { return Kind.STRUCTURE; }
    public boolean needsData() { return retrain.epochs() > 0 || criterion.needsData() || !Double.isNaN(maxDrop); }
    public String detail() {
      return target + ", " + criterion.key() + (rounds > 1 ? ", " + rounds + " rounds" : "")
          + (Double.isNaN(maxDrop) ? "" : String.format(Locale.ROOT, ", max drop %.2f points", 100 * maxDrop))
          + (latencyTable == null ? "" : ", latency table");
    }
    public Model apply(Model m, StepContext ctx) { return StructuredSteps.pruneToTarget(m, this, ctx); }
  }

  /**
   * Channel pruning through the next layer, front to back ({@link ChannelPruning}): He et al.
   * 2017's LASSO + least squares, ThiNet, L1 or random selection; each candidate layer keeps the
   * share {@code keep} gives it; with {@code speedup} > 0 the uniform share is instead chosen so
   * that the model's multiply-adds fall by that factor. With {@code layerEpochs} > 0, that many
   * epochs of fine-tuning (at {@code fineTune}'s settings) follow each pruned layer, as ThiNet
   * does — on {@code layerImages} training images per layer when > 0 (consecutive windows of the
   * training set, so each layer sees different images), else on all of them. Then fine-tuning
   * (none with 0 epochs: the "before fine-tuning" column of He's Table 2). Kept counts are
   * rounded to a multiple of {@code align} (1: exact).
   */
  record ChannelPrune(ChannelPruning.Method method, PerLayer<Double> keep, double speedup,
      ChannelPruning.Sampling sampling, int layerEpochs, int layerImages, int align, TrainSettings fineTune)
      implements Step {
    public static final int IMAGES = 500;
    public static final int PER_IMAGE = 10;
    public static final int LAYER_EPOCHS = 0;
    /** 0: each layer's fine-tuning runs on the whole training set. */
    public static final int LAYER_IMAGES = 0;

    public String name() { return "channel-prune"; }
    public Kind kind() { return Kind.STRUCTURE; }
    public boolean needsData() { return true; }
    public String detail() {
      return method.name().toLowerCase(Locale.ROOT)
          + (speedup > 0 ? ", " + speedup + "x fewer MACs" : ", keep " + (keep.byLayer().isEmpty() ? keep.dflt() : keep.byLayer()));
    }
    public Model apply(Model m, StepContext ctx) { return StructuredSteps.channelPrune(m, this, ctx); }
  }

  /**
   * Replaces the fully connected head by global average pooling and one linear layer (ThiNet's
   * GAP variant, Luo et al. 2017 §4.2; {@link dev.condense.structure.GapHead}), then retrains.
   */
  record GapHead(TrainSettings retrain) implements Step {
    public String name() { return "gap-head"; }
    public Kind kind() { return Kind.STRUCTURE; }
    public boolean needsData() { return retrain.epochs() > 0; }
    public String detail() { return "global average pooling + one linear layer"; }
    public Model apply(Model m, StepContext ctx) { return StructuredSteps.gapHead(m, this, ctx); }
  }

  /**
   * INT8 post-training quantization to ONNX's QDQ form ({@link dev.condense.quant.int8.Int8Quantizer}):
   * ranges by {@code calibrate} (minmax, percentile=P, entropy) on {@code samples} training images.
   * With a {@code maxDrop} (top-1, a fraction; NaN: none) the layers whose quantization costs most
   * stay float until the model is within it on a validation set ({@link dev.condense.quant.int8.MixedPrecision});
   * else {@code qat.epochs()} epochs of quantization-aware training follow
   * ({@link dev.condense.quant.int8.QuantizationAwareTraining}; 0: none).
   */
  record QuantizeInt8(String calibrate, int samples, dev.condense.graph.DType activations, double maxDrop,
      TrainSettings qat) implements Step {
    public static final String CALIBRATE = "minmax";

    /** Every layer INT8, post-training quantization alone. */
    public QuantizeInt8(String calibrate, int samples, dev.condense.graph.DType activations) {
      this(calibrate, samples, activations, Double.NaN, TrainSettings.defaults().withEpochs(0));
    }

    public String name() { return "quantize-int8"; }
    public Kind kind() { return Kind.INT8; }
    public boolean needsData() { return true; }
    public String detail() {
      return calibrate + ", " + samples + " calibration images, " + activations.label() + " activations"
          + (Double.isNaN(maxDrop) ? "" : String.format(Locale.ROOT, ", max drop %.2f points", 100 * maxDrop))
          + (qat.epochs() > 0 ? ", " + qat.epochs() + " QAT epoch" + (qat.epochs() == 1 ? "" : "s") : "");
    }
    public Model apply(Model m, StepContext ctx) { return QuantizationSteps.int8(m, this, ctx); }
  }

  /** Removes neurons and channels left without inputs or outputs (Han et al. 2015, §3.5). */
  record RemoveDeadNeurons() implements Step {
    public String name() { return "remove-dead-neurons"; }
    public Kind kind() { return Kind.NONE; }
    public boolean needsData() { return false; }
    public String detail() { return ""; }
    public Model apply(Model m, StepContext ctx) { return MagnitudeSteps.removeDeadNeurons(m, ctx); }
  }
}
