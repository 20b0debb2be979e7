package dev.condense.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.engine.ParameterChoice;
import dev.condense.plan.ChannelFloor;
import dev.condense.plan.Criterion;
import dev.condense.plan.Target;
import dev.condense.quant.KMeans1D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads YAML recipes. Every mistake is one line naming the file, the step (number and kind) and
 * the field: an unknown step or field, a value of the wrong type or range, a missing field.
 * Absent fields take the step's defaults, the same the command line uses (see {@link Step}).
 *
 * <pre>
 * name: han2015-lenet-300-100
 * frozen: [conv1.*]            # optional: overrides of which tensors train, for every step
 * steps:
 *   - train: {epochs: 30, lr: 0.05, batch: 64, schedule: cosine}
 *   - iterative-prune:
 *       rounds: 3
 *       sparsity: {ip1: 0.92, ip2: 0.91, ip3: 0.74}
 *       retrain: {epochs: 10, lr: 0.005}
 *   - remove-dead-neurons: {}
 * </pre>
 *
 * <p>Structured steps: {@code trim: {iterations, layers-per-iteration, stds, samples, layers,
 * retrain}} (Hu et al. 2016) and {@code prune-filters: {ratio: {conv1: 0.5, default: 0.2},
 * selection: independent|greedy, streams, rounds, retrain}} (Li et al. 2017), and
 * {@code channel-prune: {method: he|thinet|l1|random, keep: 0.5 | speedup: 2, images, per-image,
 * layer-epochs, retrain}} (He et al. 2017, Luo et al. 2017), and {@code prune-to-target: {target: macs=0.5,
 * criterion: l1|l2|apoz|taylor|reconstruction, min-keep: 0.1, min-channels: 1, align, rounds, samples, max-drop: 0.5 (points),
 * retrain}} (one target split across layers by a global ranking).
 */
public final class RecipeReader {
  private static final List<String> STEPS = List.of("train", "prune", "iterative-prune", "gradual-prune",
      "trim", "prune-filters", "prune-to-target", "channel-prune", "gap-head", "quantize", "remove-dead-neurons",
      "quantize-int8");

  private final RecipeFields f;

  private RecipeReader(String source) {
    this.f = new RecipeFields(source);
  }

  /** The largest recipe file read; the shipped ones are under 2 KB. */
  public static final long MAX_BYTES = 1 << 20;

  /**
   * Reads a recipe file: a regular file (not a device or FIFO: {@code /dev/zero} would never end)
   * of at most {@link #MAX_BYTES}, checked before reading, in UTF-8.
   */
  public static Recipe read(Path file) {
    if (!Files.exists(file)) {
      throw new CondenseException("recipe " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new CondenseException("recipe " + file + ": not a regular file");
    }
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new CondenseException("recipe " + file + ": " + size + " bytes, more than a recipe can be (at most "
            + MAX_BYTES + ")");
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CondenseException("recipe " + file + ": no such file");
    } catch (IOException e) {
      throw new CondenseException("recipe " + file + ": cannot read (" + dev.condense.IoErrors.reason(e) + ")");
    }
    return parse(text, file.toString());
  }

  public static Recipe parse(String yaml, String source) {
    JsonNode root;
    try {
      // A key given twice ("epochs: 1, epochs: 50") is an error naming it, not last-one-wins.
      root = YAMLMapper.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build().readTree(yaml);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().lines().findFirst().orElse("");
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new CondenseException("recipe " + source + ": not valid YAML" + (line > 0 ? " (line " + line + ")" : "")
          + ": " + msg);
    }
    return new RecipeReader(source).recipe(root);
  }

  private Recipe recipe(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw f.error("", "expected a mapping with 'name' and 'steps'");
    }
    // A mapping without any recipe key is no recipe at all (a password file, say): refused without
    // echoing any of its content as an "unknown field". A recipe with a typo gets the field named.
    boolean looksLikeARecipe = root.has("steps") || root.has("name") || root.has("description");
    if (looksLikeARecipe) {
      f.checkFields(root, Set.of("name", "description", "preprocess", "augment", "steps", "trainable", "frozen"), "");
    }
    String preprocess = text(root, "preprocess", null);
    String augment = text(root, "augment", null);
    if (augment != null) {
      try {
        dev.condense.data.Augmentation.parse(augment, "augment");
      } catch (dev.condense.CondenseException e) {
        throw f.error("augment", e.getMessage());
      }
    }
    if (preprocess != null) {
      try {
        dev.condense.data.Preprocess.parse(preprocess, "preprocess");
      } catch (dev.condense.CondenseException e) {
        throw f.error("preprocess", e.getMessage());
      }
    }
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw f.error("", "'steps' must be a non-empty list");
    }
    List<Step> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      out.add(step(steps.get(i), i + 1));
    }
    return new Recipe(text(root, "name", "recipe"), text(root, "description", ""), preprocess, augment, out,
        new ParameterChoice(f.patterns(root, "trainable"), f.patterns(root, "frozen")));
  }

  /** A text field; a list or mapping there (which asText would turn into "") is an error naming it. */
  private String text(JsonNode n, String field, String dflt) {
    JsonNode v = n.get(field);
    if (v != null && v.isContainerNode()) {
      throw f.error("", "'" + field + "' must be text, got a " + (v.isArray() ? "list" : "mapping"));
    }
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private static Set<String> trainFieldsAnd(String... more) {
    Set<String> fields = new HashSet<>(RecipeFields.TRAIN_FIELDS);
    fields.addAll(List.of(more));
    return fields;
  }

  private Step step(JsonNode node, int index) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw f.error("step " + index + ": ", "expected one of " + STEPS + " as the single key");
    }
    String kind = node.fieldNames().next();
    JsonNode body = node.get(kind);
    if (body == null || body.isNull()) {
      body = new YAMLMapper().createObjectNode();
    }
    String where = "step " + index + " (" + kind + "): ";
    if (!body.isObject()) {
      throw f.error(where, "expected a mapping of fields");
    }
    int structured = Step.STRUCTURED_RETRAIN_EPOCHS;
    switch (kind) {
      case "train" -> {
        f.checkFields(body, RecipeFields.TRAIN_FIELDS, where);
        return new Step.Train(f.train(body, where, TrainSettings.defaults().epochs()));
      }
      case "prune" -> {
        f.checkFields(body, Set.of("quality", "sparsity", "global"), where);
        return new Step.Prune(f.criterion(body, where));
      }
      case "iterative-prune" -> {
        f.checkFields(body, Set.of("rounds", "sparsity", "global", "retrain"), where);
        int rounds = f.integer(body, "rounds", where, 1, Bounds.MAX_ROUNDS, Step.IterativePrune.ROUNDS);
        return new Step.IterativePrune(f.target(body, where), rounds,
            f.retrain(body, where, Step.IterativePrune.RETRAIN_EPOCHS), body.has("global"));
      }
      case "gradual-prune" -> {
        f.checkFields(body, trainFieldsAnd("sparsity", "global"), where);
        return new Step.GradualPrune(f.target(body, where), f.train(body, where, Step.IterativePrune.RETRAIN_EPOCHS),
            body.has("global"));
      }
      case "trim" -> {
        f.checkFields(body, Set.of("iterations", "layers-per-iteration", "stds", "samples", "layers", "fallback", "strict",
            "retrain"), where);
        List<String> layers = new ArrayList<>();
        if (body.has("layers")) {
          JsonNode l = body.get("layers");
          if (!l.isArray() || l.isEmpty()) {
            throw f.error(where, "field 'layers' must be a non-empty list of layer names");
          }
          l.forEach(x -> layers.add(x.asText()));
        }
        return new Step.Trim(layers,
            f.integer(body, "layers-per-iteration", where, 1, Bounds.MAX_ROUNDS, Step.Trim.LAYERS_PER_ITERATION),
            f.integer(body, "iterations", where, 1, Bounds.MAX_ROUNDS, Step.Trim.ITERATIONS),
            body.has("stds") ? f.number(body.get("stds"), "stds", where, -10, 10) : Step.Trim.STDS,
            f.integer(body, "samples", where, 1, Bounds.MAX_SAMPLES, Step.Trim.SAMPLES),
            body.has("fallback") ? f.number(body.get("fallback"), "fallback", where, 0, 0.999) : Step.Trim.FALLBACK,
            f.bool(body, "strict", where, false), f.retrain(body, where, structured));
      }
      case "prune-filters" -> {
        f.checkFields(body, Set.of("ratio", "selection", "streams", "rounds", "align", "retrain"), where);
        PerLayer<Double> r = f.perLayer(f.require(body, "ratio", where), "ratio", where, 0, 0.999);
        String sel = body.has("selection") ? body.get("selection").asText() : "independent";
        if (!sel.equals("independent") && !sel.equals("greedy")) {
          throw f.error(where, "field 'selection' must be independent or greedy, got '" + sel + "'");
        }
        return new Step.PruneFilters(r, sel.equals("greedy"), f.bool(body, "streams", where, false),
            f.integer(body, "rounds", where, 1, Bounds.MAX_ROUNDS, Step.PruneFilters.ROUNDS),
            f.align(body, where, Step.ALIGN), f.retrain(body, where, structured));
      }
      case "prune-to-target" -> {
        f.checkFields(body, Set.of("target", "criterion", "min-keep", "min-channels", "align", "rounds", "samples",
            "max-drop", "retrain", "latency-table", "latency-batch"), where);
        Target target;
        try {
          target = Target.parse(f.require(body, "target", where).asText(), "field 'target'");
        } catch (CondenseException e) {
          throw f.error(where, e.getMessage());
        }
        String c = body.has("criterion") ? body.get("criterion").asText() : Criterion.L1.key();
        Criterion criterion = Criterion.parse(c);
        if (criterion == null) {
          throw f.error(where, "field 'criterion' must be one of " + Criterion.keys() + ", got '" + c + "'");
        }
        ChannelFloor floor = new ChannelFloor(
            body.has("min-keep") ? f.number(body.get("min-keep"), "min-keep", where, 0, 1) : ChannelFloor.DEFAULT.fraction(),
            f.integer(body, "min-channels", where, 1, 1 << 20, ChannelFloor.DEFAULT.count()), f.align(body, where, Step.ALIGN));
        return new Step.PruneToTarget(target, criterion, floor,
            f.integer(body, "rounds", where, 1, 100, Step.PruneToTarget.ROUNDS),
            f.integer(body, "samples", where, 1, Bounds.MAX_SAMPLES, Step.PruneToTarget.SAMPLES),
            body.has("max-drop") ? f.number(body.get("max-drop"), "max-drop", where, 0, 100) / 100 : Double.NaN,
            f.retrain(body, where, structured), latencyTable(body, where));
      }
      case "channel-prune" -> {
        return channelPrune(body, where);
      }
      case "gap-head" -> {
        f.checkFields(body, Set.of("retrain"), where);
        return new Step.GapHead(f.retrain(body, where, structured));
      }
      case "quantize" -> {
        return quantize(body, where);
      }
      case "quantize-int8" -> {
        f.checkFields(body, Set.of("calibrate", "calibration", "int8-activations", "qat-epochs", "qat", "max-drop"), where);
        String calibrate = body.has("calibrate") ? body.get("calibrate").asText() : Step.QuantizeInt8.CALIBRATE;
        try {
          dev.condense.quant.int8.Int8Quantizer.observers(calibrate, "field 'calibrate'");
        } catch (dev.condense.CondenseException e) {
          throw f.error(where, e.getMessage());
        }
        int samples = f.integer(body, "calibration", where, 1, Bounds.MAX_SAMPLES, dev.condense.quant.int8.Int8Quantizer.SAMPLES);
        boolean int8 = f.bool(body, "int8-activations", where, false);
        double maxDrop = body.has("max-drop") ? f.number(body.get("max-drop"), "max-drop", where, 0, Bounds.MAX_DROP_POINTS) / 100
            : Double.NaN;
        TrainSettings qat = f.qat(body, where);
        if (!Double.isNaN(maxDrop) && qat.epochs() > 0) {
          throw new CondenseException(where + ": give max-drop (some layers float) or qat-epochs (train the all-INT8 model), not both");
        }
        return new Step.QuantizeInt8(calibrate, samples, int8 ? dev.condense.graph.DType.INT8 : dev.condense.graph.DType.UINT8,
            maxDrop, qat);
      }
      case "remove-dead-neurons" -> {
        f.checkFields(body, Set.of(), where);
        return new Step.RemoveDeadNeurons();
      }
      default -> throw f.error("step " + index + ": ", "unknown step '" + kind + "' (known: " + String.join(", ", STEPS) + ")");
    }
  }

  /**
   * prune-to-target's {@code latency-table: true} (and {@code latency-batch}, 1 by default): steer
   * the kept counts by a table timed by the run's layer timer and cached in its directory; null when off.
   */
  private dev.condense.plan.LatencyTableSpec latencyTable(JsonNode body, String where) {
    boolean on = f.bool(body, "latency-table", where, false);
    if (!on && body.has("latency-batch")) {
      throw f.error(where, "field 'latency-batch' needs 'latency-table: true'");
    }
    return on ? new dev.condense.plan.LatencyTableSpec(f.integer(body, "latency-batch", where, 1, Bounds.MAX_BATCH,
        dev.condense.plan.LatencyTableSpec.BATCH), dev.condense.plan.LatencyTableSpec.REACH, null) : null;
  }

  private Step channelPrune(JsonNode body, String where) {
    f.checkFields(body, Set.of("method", "keep", "speedup", "images", "per-image", "layer-epochs", "layer-images", "align",
        "retrain"), where);
    String method = f.require(body, "method", where).asText();
    ChannelPruning.Method m = ChannelPruning.Method.parse(method);
    if (m == null) {
      throw f.error(where, "field 'method' must be he, thinet, l1 or random, got '" + method + "'");
    }
    if (body.has("keep") == body.has("speedup")) {
      throw f.error(where, "give exactly one of 'keep' (share of channels kept) and 'speedup' (factor of fewer multiply-adds)");
    }
    PerLayer<Double> keep = body.has("keep") ? f.perLayer(body.get("keep"), "keep", where, 0.001, 1)
        : PerLayer.only(Map.of());
    double speedup = body.has("speedup") ? f.number(body.get("speedup"), "speedup", where, 1, 1000) : 0;
    ChannelPruning.Sampling sampling = new ChannelPruning.Sampling(
        f.integer(body, "images", where, 1, Bounds.MAX_SAMPLES, Step.ChannelPrune.IMAGES),
        f.integer(body, "per-image", where, 1, 1 << 20, Step.ChannelPrune.PER_IMAGE));
    return new Step.ChannelPrune(m, keep, speedup, sampling,
        f.integer(body, "layer-epochs", where, 0, Bounds.MAX_EPOCHS, Step.ChannelPrune.LAYER_EPOCHS),
        f.integer(body, "layer-images", where, 1, Bounds.MAX_SAMPLES, Step.ChannelPrune.LAYER_IMAGES),
        f.align(body, where, Step.ALIGN), f.retrain(body, where, Step.STRUCTURED_RETRAIN_EPOCHS));
  }

  private Step quantize(JsonNode body, String where) {
    f.checkFields(body, trainFieldsAnd("bits", "conv-bits", "fc-bits", "init"), where);
    int conv = f.integer(body, "conv-bits", where, 1, 16, Step.Quantize.CONV_BITS);
    int fc = f.integer(body, "fc-bits", where, 1, 16, Step.Quantize.FC_BITS);
    Map<String, Integer> bits = new LinkedHashMap<>();
    if (body.has("bits")) {
      PerLayer<Double> b = f.perLayer(body.get("bits"), "bits", where, 1, 16);
      if (b.hasDefault()) {
        conv = fc = (int) (double) b.dflt();
      }
      b.byLayer().forEach((k, v) -> bits.put(k, (int) Math.round(v)));
    }
    KMeans1D.Init init = f.choice(body, "init", where,
        new KMeans1D.Init[] {KMeans1D.Init.LINEAR, KMeans1D.Init.DENSITY, KMeans1D.Init.RANDOM}, Step.Quantize.INIT);
    // Without 'epochs', k-means only: the centroids are not fine-tuned.
    return new Step.Quantize(bits, conv, fc, init, f.train(body, where, 0));
  }
}
