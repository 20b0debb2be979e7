package dev.condense.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.condense.CondenseException;
import dev.condense.engine.LrSchedule;
import dev.condense.prune.PruningCriterion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads YAML recipes. Every mistake is one line naming the file, the step (number and kind) and
 * the field: an unknown step or field, a value of the wrong type or range, a missing field.
 *
 * <pre>
 * name: han2015-lenet-300-100
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
 * layer-epochs, retrain}} (He et al. 2017, Luo et al. 2017).
 */
public final class RecipeReader {
  private static final List<String> STEPS = List.of("train", "prune", "iterative-prune", "gradual-prune",
      "trim", "prune-filters", "channel-prune", "gap-head", "quantize", "remove-dead-neurons");
  private static final Set<String> TRAIN_FIELDS = Set.of("epochs", "lr", "batch", "momentum", "weight-decay",
      "schedule", "freeze", "distill");

  private final String source;

  private RecipeReader(String source) {
    this.source = source;
  }

  public static Recipe read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CondenseException("recipe " + file + ": no such file");
    } catch (IOException e) {
      throw new CondenseException("recipe " + file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(text, file.toString());
  }

  public static Recipe parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().lines().findFirst().orElse("");
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new CondenseException("recipe " + source + ": not valid YAML" + (line > 0 ? " (line " + line + ")" : "")
          + ": " + msg);
    }
    return new RecipeReader(source).recipe(root);
  }

  private CondenseException error(String where, String what) {
    return new CondenseException("recipe " + source + ": " + where + what);
  }

  private Recipe recipe(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("", "expected a mapping with 'name' and 'steps'");
    }
    checkFields(root, Set.of("name", "description", "steps"), "");
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw error("", "'steps' must be a non-empty list");
    }
    List<Step> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      out.add(step(steps.get(i), i + 1));
    }
    return new Recipe(text(root, "name", "recipe"), text(root, "description", ""), out);
  }

  private static String text(JsonNode n, String field, String dflt) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private Step step(JsonNode node, int index) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw error("step " + index + ": ", "expected one of " + STEPS + " as the single key");
    }
    String kind = node.fieldNames().next();
    JsonNode body = node.get(kind);
    if (body == null || body.isNull()) {
      body = new YAMLMapper().createObjectNode();
    }
    String where = "step " + index + " (" + kind + "): ";
    if (!body.isObject()) {
      throw error(where, "expected a mapping of fields");
    }
    switch (kind) {
      case "train" -> {
        checkFields(body, TRAIN_FIELDS, where);
        return new Step.Train(train(body, where, false));
      }
      case "prune" -> {
        checkFields(body, Set.of("quality", "sparsity", "global"), where);
        return new Step.Prune(criterion(body, where));
      }
      case "iterative-prune" -> {
        checkFields(body, Set.of("rounds", "sparsity", "global", "retrain"), where);
        int rounds = integer(body, "rounds", where, 1, null);
        PerLayer s = target(body, where);
        return new Step.IterativePrune(s.byLayer(), s.dflt(), rounds, retrain(body, where), body.has("global"));
      }
      case "trim" -> {
        checkFields(body, Set.of("iterations", "layers-per-iteration", "stds", "samples", "layers", "retrain"), where);
        List<String> layers = new ArrayList<>();
        if (body.has("layers")) {
          JsonNode l = body.get("layers");
          if (!l.isArray() || l.isEmpty()) {
            throw error(where, "field 'layers' must be a non-empty list of layer names");
          }
          l.forEach(x -> layers.add(x.asText()));
        }
        return new Step.Trim(layers,
            body.has("layers-per-iteration") ? integer(body, "layers-per-iteration", where, 1, null) : 1,
            body.has("iterations") ? integer(body, "iterations", where, 1, null) : 1,
            body.has("stds") ? number(body.get("stds"), "stds", where, -10, 10) : 1.0,
            body.has("samples") ? integer(body, "samples", where, 1, null) : 2000, retrain(body, where));
      }
      case "channel-prune" -> {
        checkFields(body, Set.of("method", "keep", "speedup", "images", "per-image", "layer-epochs", "layer-images", "align",
            "retrain"), where);
        String method = require(body, "method", where).asText();
        ChannelPruning.Method m = ChannelPruning.Method.parse(method);
        if (m == null) {
          throw error(where, "field 'method' must be he, thinet, l1 or random, got '" + method + "'");
        }
        if (body.has("keep") == body.has("speedup")) {
          throw error(where, "give exactly one of 'keep' (share of channels kept) and 'speedup' (factor of fewer multiply-adds)");
        }
        PerLayer keep = body.has("keep") ? perLayer(body.get("keep"), "keep", where, 0.001, 1) : new PerLayer(Map.of(), Double.NaN);
        double speedup = body.has("speedup") ? number(body.get("speedup"), "speedup", where, 1, 1000) : 0;
        ChannelPruning.Sampling sampling = new ChannelPruning.Sampling(
            body.has("images") ? integer(body, "images", where, 1, null) : 500,
            body.has("per-image") ? integer(body, "per-image", where, 1, null) : 10);
        int layerEpochs = body.has("layer-epochs") ? integer(body, "layer-epochs", where, 0, null) : 0;
        int layerImages = body.has("layer-images") ? integer(body, "layer-images", where, 1, null) : 0;
        return new Step.ChannelPrune(m, keep.byLayer(), keep.dflt(), speedup, sampling, layerEpochs, layerImages,
            align(body, where), retrain(body, where));
      }
      case "gap-head" -> {
        checkFields(body, Set.of("retrain"), where);
        return new Step.GapHead(retrain(body, where));
      }
      case "prune-filters" -> {
        checkFields(body, Set.of("ratio", "selection", "streams", "rounds", "align", "retrain"), where);
        PerLayer r = perLayer(require(body, "ratio", where), "ratio", where, 0, 0.999);
        String sel = body.has("selection") ? body.get("selection").asText() : "independent";
        if (!sel.equals("independent") && !sel.equals("greedy")) {
          throw error(where, "field 'selection' must be independent or greedy, got '" + sel + "'");
        }
        JsonNode streams = body.get("streams");
        if (streams != null && !streams.isBoolean()) {
          throw error(where, "field 'streams' must be true or false, got '" + streams.asText() + "'");
        }
        return new Step.PruneFilters(r.byLayer(), r.dflt(), sel.equals("greedy"), streams != null && streams.asBoolean(),
            body.has("rounds") ? integer(body, "rounds", where, 1, null) : 1, align(body, where), retrain(body, where));
      }
      case "gradual-prune" -> {
        Set<String> fields = new java.util.HashSet<>(TRAIN_FIELDS);
        fields.add("sparsity");
        fields.add("global");
        checkFields(body, fields, where);
        PerLayer s = target(body, where);
        return new Step.GradualPrune(s.byLayer(), s.dflt(), train(body, where, true), body.has("global"));
      }
      case "quantize" -> {
        Set<String> fields = new java.util.HashSet<>(TRAIN_FIELDS);
        fields.addAll(Set.of("bits", "conv-bits", "fc-bits", "init"));
        checkFields(body, fields, where);
        int conv = body.has("conv-bits") ? integer(body, "conv-bits", where, 1, 16) : 8;
        int fc = body.has("fc-bits") ? integer(body, "fc-bits", where, 1, 16) : 5;
        Map<String, Integer> bits = new LinkedHashMap<>();
        if (body.has("bits")) {
          PerLayer b = perLayer(body.get("bits"), "bits", where, 1, 16);
          if (!Double.isNaN(b.dflt())) {
            conv = fc = (int) b.dflt();
          }
          b.byLayer().forEach((k, v) -> bits.put(k, (int) Math.round(v)));
        }
        dev.condense.quant.KMeans1D.Init init = dev.condense.quant.KMeans1D.Init.LINEAR;
        if (body.has("init")) {
          String i = body.get("init").asText();
          init = switch (i) {
            case "linear" -> dev.condense.quant.KMeans1D.Init.LINEAR;
            case "density" -> dev.condense.quant.KMeans1D.Init.DENSITY;
            case "random" -> dev.condense.quant.KMeans1D.Init.RANDOM;
            default -> throw error(where, "field 'init' must be linear, density or random, got '" + i + "'");
          };
        }
        TrainSettings t = train(body, where, true);
        if (!body.has("epochs")) {
          t = t.withEpochs(0);
        }
        return new Step.Quantize(bits, conv, fc, init, t);
      }
      case "remove-dead-neurons" -> {
        checkFields(body, Set.of(), where);
        return new Step.RemoveDeadNeurons();
      }
      default -> throw error("step " + index + ": ", "unknown step '" + kind + "' (known: " + String.join(", ", STEPS) + ")");
    }
  }

  private void checkFields(JsonNode body, Set<String> known, String where) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw error(where, "unknown field '" + f + "'" + (known.isEmpty() ? " (this step takes none)"
            : " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
      }
    }
  }

  private JsonNode require(JsonNode body, String field, String where) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw error(where, "missing field '" + field + "'");
    }
    return v;
  }

  /** The optional 'align' field: kept channel counts rounded to a multiple of it (default 1: exact). */
  private int align(JsonNode body, String where) {
    return body.has("align") ? integer(body, "align", where, 1, null) : 1;
  }

  /** The step's required 'retrain' mapping of training fields. */
  private TrainSettings retrain(JsonNode body, String where) {
    JsonNode retrain = require(body, "retrain", where);
    if (!retrain.isObject()) {
      throw error(where, "field 'retrain' must be a mapping of training fields");
    }
    checkFields(retrain, TRAIN_FIELDS, where + "retrain: ");
    return train(retrain, where + "retrain: ", true);
  }

  private TrainSettings train(JsonNode b, String where, boolean retraining) {
    TrainSettings d = TrainSettings.defaults();
    int epochs = b.has("epochs") ? integer(b, "epochs", where, 0, null) : d.epochs();
    Double lr = b.has("lr") ? number(b.get("lr"), "lr", where, 1e-12, 1e6) : null;
    int batch = b.has("batch") ? integer(b, "batch", where, 1, null) : d.batch();
    double momentum = b.has("momentum") ? number(b.get("momentum"), "momentum", where, 0, 0.999999) : d.momentum();
    double wd = b.has("weight-decay") ? number(b.get("weight-decay"), "weight-decay", where, 0, 1) : d.weightDecay();
    LrSchedule schedule = d.schedule();
    if (b.has("schedule")) {
      schedule = LrSchedule.parse(b.get("schedule").asText());
      if (schedule == null || !b.get("schedule").isTextual()) {
        throw error(where, "field 'schedule' must be constant, cosine or step:EVERY:GAMMA, got '"
            + b.get("schedule").asText() + "'");
      }
    }
    TrainSettings.Freeze freeze = TrainSettings.Freeze.NONE;
    if (b.has("freeze")) {
      String f = b.get("freeze").asText();
      freeze = switch (f) {
        case "none" -> TrainSettings.Freeze.NONE;
        case "conv" -> TrainSettings.Freeze.CONV;
        case "fc" -> TrainSettings.Freeze.FC;
        default -> throw error(where, "field 'freeze' must be none, conv or fc, got '" + f + "'");
      };
    }
    return new TrainSettings(epochs, lr, batch, momentum, wd, schedule, freeze, distill(b, where));
  }

  /** The optional 'distill' mapping: {temperature: T, alpha: A} (defaults 4 and 0.9). */
  private TrainSettings.Distill distill(JsonNode b, String where) {
    if (!b.has("distill")) {
      return null;
    }
    JsonNode d = b.get("distill");
    if (!d.isObject()) {
      throw error(where, "field 'distill' must be a mapping {temperature: T, alpha: A}");
    }
    checkFields(d, Set.of("temperature", "alpha"), where + "distill: ");
    double t = d.has("temperature") ? number(d.get("temperature"), "temperature", where + "distill: ", 1e-3, 100) : 4;
    double a = d.has("alpha") ? number(d.get("alpha"), "alpha", where + "distill: ", 0, 1) : 0.9;
    return new TrainSettings.Distill(t, a);
  }

  private int integer(JsonNode b, String field, String where, int min, Integer max) {
    JsonNode v = b.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || (max != null && v.asInt() > max)) {
      throw error(where, "field '" + field + "' must be a whole number ≥ " + min + ", got '"
          + (v == null ? "" : v.asText()) + "'");
    }
    return v.asInt();
  }

  private double number(JsonNode v, String field, String where, double min, double max) {
    if (v == null || !v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
      throw error(where, "field '" + field + "' must be a number in [" + min + ", " + max + "], got '"
          + (v == null ? "" : v.asText()) + "'");
    }
    return v.asDouble();
  }

  private record PerLayer(Map<String, Double> byLayer, double dflt) {}

  /** A number for every layer, or a mapping of layer name → number (key "default" for the rest). */
  private PerLayer perLayer(JsonNode v, String field, String where, double min, double max) {
    if (v.isNumber()) {
      return new PerLayer(Map.of(), number(v, field, where, min, max));
    }
    if (!v.isObject()) {
      throw error(where, "field '" + field + "' must be a number or a mapping of layer → number, got '" + v.asText() + "'");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    double dflt = Double.NaN;
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      double x = number(e.getValue(), field + "." + e.getKey(), where, min, max);
      if (e.getKey().equals("default")) {
        dflt = x;
      } else {
        m.put(e.getKey(), x);
      }
    }
    return new PerLayer(m, dflt);
  }

  /** A schedule's target: 'sparsity' (number or per layer) or 'global' (one overall sparsity). */
  private PerLayer target(JsonNode body, String where) {
    if (body.has("sparsity") == body.has("global")) {
      throw error(where, "give exactly one of 'sparsity', 'global'");
    }
    if (body.has("global")) {
      return new PerLayer(Map.of(), number(body.get("global"), "global", where, 0, 0.9999));
    }
    return perLayer(body.get("sparsity"), "sparsity", where, 0, 0.9999);
  }

  private PruningCriterion criterion(JsonNode b, String where) {
    if (b.size() != 1) {
      throw error(where, "give exactly one of 'quality', 'sparsity', 'global'");
    }
    if (b.has("quality")) {
      PerLayer q = perLayer(b.get("quality"), "quality", where, 0, 100);
      return new PruningCriterion.Quality(q.byLayer(), q.dflt());
    }
    if (b.has("sparsity")) {
      PerLayer s = perLayer(b.get("sparsity"), "sparsity", where, 0, 1);
      return new PruningCriterion.Sparsity(s.byLayer(), s.dflt());
    }
    return new PruningCriterion.GlobalSparsity(number(b.get("global"), "global", where, 0, 1));
  }
}
