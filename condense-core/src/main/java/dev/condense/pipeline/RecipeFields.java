package dev.condense.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.TrainConfig;
import dev.condense.prune.PruningCriterion;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field readers of {@link RecipeReader}: numbers in range, per-layer values, training
 * settings, each mistake one line naming the recipe, the step and the field. Absent fields take
 * the defaults of {@link TrainConfig}, {@link TrainSettings} and the step records.
 */
final class RecipeFields {
  static final Set<String> TRAIN_FIELDS = Set.of("epochs", "lr", "batch", "momentum", "weight-decay",
      "schedule", "freeze", "distill");

  private final String source;

  RecipeFields(String source) {
    this.source = source;
  }

  CondenseException error(String where, String what) {
    // values are echoed from the recipe: their newlines must not break the one-line message
    return new CondenseException(dev.condense.OneLine.of("recipe " + source + ": " + where + what));
  }

  void checkFields(JsonNode body, Set<String> known, String where) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw error(where, "unknown field '" + f + "'" + (known.isEmpty() ? " (this step takes none)"
            : " (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
      }
    }
  }

  JsonNode require(JsonNode body, String field, String where) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw error(where, "missing field '" + field + "'");
    }
    return v;
  }

  /** The optional whole number {@code field}, at least {@code min}, else {@code dflt}. */
  int integer(JsonNode b, String field, String where, int min, Integer max, int dflt) {
    return b.has(field) ? integer(b, field, where, min, max) : dflt;
  }

  int integer(JsonNode b, String field, String where, int min, Integer max) {
    JsonNode v = b.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || (max != null && v.asInt() > max)) {
      throw error(where, "field '" + field + "' must be a whole number " + (max == null ? "≥ " + min
          : String.format("in [%,d, %,d]", min, max)) + ", got '" + (v == null ? "" : v.asText()) + "'");
    }
    return v.asInt();
  }

  double number(JsonNode v, String field, String where, double min, double max) {
    if (v == null || !v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
      throw error(where, "field '" + field + "' must be a number in [" + min + ", " + max + "], got '"
          + (v == null ? "" : v.asText()) + "'");
    }
    return v.asDouble();
  }

  /** A number for every layer, or a mapping of layer name → number (key "default" for the rest). */
  PerLayer<Double> perLayer(JsonNode v, String field, String where, double min, double max) {
    if (v.isNumber()) {
      return PerLayer.all(number(v, field, where, min, max));
    }
    if (!v.isObject()) {
      throw error(where, "field '" + field + "' must be a number or a mapping of layer → number, got '" + v.asText() + "'");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    Double dflt = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      double x = number(e.getValue(), field + "." + e.getKey(), where, min, max);
      if (e.getKey().equals("default")) {
        dflt = x;
      } else {
        m.put(e.getKey(), x);
      }
    }
    return new PerLayer<>(m, dflt);
  }

  /** A schedule's target: 'sparsity' (number or per layer) or 'global' (one overall sparsity). */
  PerLayer<Double> target(JsonNode body, String where) {
    if (body.has("sparsity") == body.has("global")) {
      throw error(where, "give exactly one of 'sparsity', 'global'");
    }
    if (body.has("global")) {
      return PerLayer.all(number(body.get("global"), "global", where, 0, 0.9999));
    }
    return perLayer(body.get("sparsity"), "sparsity", where, 0, 0.9999);
  }

  PruningCriterion criterion(JsonNode b, String where) {
    if (b.size() != 1) {
      throw error(where, "give exactly one of 'quality', 'sparsity', 'global'");
    }
    if (b.has("quality")) {
      return new PruningCriterion.Quality(perLayer(b.get("quality"), "quality", where, 0, 100));
    }
    if (b.has("sparsity")) {
      return new PruningCriterion.Sparsity(perLayer(b.get("sparsity"), "sparsity", where, 0, 1));
    }
    return new PruningCriterion.GlobalSparsity(number(b.get("global"), "global", where, 0, 1));
  }

  /**
   * The optional field naming one of {@code options} in lower case ("conv" for CONV), else
   * {@code dflt}.
   */
  <E extends Enum<E>> E choice(JsonNode b, String field, String where, E[] options, E dflt) {
    if (!b.has(field)) {
      return dflt;
    }
    String v = b.get(field).asText();
    java.util.List<String> names = new java.util.ArrayList<>();
    for (E e : options) {
      String name = e.name().toLowerCase(java.util.Locale.ROOT);
      if (name.equals(v)) {
        return e;
      }
      names.add(name);
    }
    throw error(where, "field '" + field + "' must be " + String.join(", ", names.subList(0, names.size() - 1))
        + " or " + names.get(names.size() - 1) + ", got '" + v + "'");
  }

  /**
   * The optional top-level field {@code field} ('trainable', 'frozen'): initializer names or glob
   * patterns, as a list of strings or one comma-separated string; none when absent.
   */
  java.util.List<String> patterns(JsonNode root, String field) {
    java.util.List<String> r = new java.util.ArrayList<>();
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return r;
    }
    if (v.isTextual()) {
      for (String p : v.asText().split(",", -1)) {
        r.add(p.strip());
      }
    } else if (v.isArray()) {
      for (JsonNode p : v) {
        if (!p.isTextual()) {
          throw error("", "field '" + field + "' must list initializer names or patterns, got '" + p.asText() + "'");
        }
        r.add(p.asText().strip());
      }
    } else {
      throw error("", "field '" + field + "' must be a list of initializer names or patterns, got '" + v.asText() + "'");
    }
    if (r.stream().anyMatch(String::isEmpty)) {
      throw error("", "field '" + field + "' has an empty pattern");
    }
    return r;
  }

  /** The optional boolean {@code field}; {@code dflt} when absent. */
  boolean bool(JsonNode body, String field, String where, boolean dflt) {
    JsonNode v = body.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw error(where, "field '" + field + "' must be true or false, got '" + v.asText() + "'");
    }
    return v.asBoolean();
  }

  /** The optional 'align' field: kept channel counts rounded to a multiple of it. */
  int align(JsonNode body, String where, int dflt) {
    return integer(body, "align", where, 1, Bounds.MAX_ALIGN, dflt);
  }

  /** The step's required 'retrain' mapping of training fields; {@code epochs} when it gives none. */
  TrainSettings retrain(JsonNode body, String where, int epochs) {
    JsonNode retrain = require(body, "retrain", where);
    if (!retrain.isObject()) {
      throw error(where, "field 'retrain' must be a mapping of training fields");
    }
    checkFields(retrain, TRAIN_FIELDS, where + "retrain: ");
    return train(retrain, where + "retrain: ", epochs);
  }

  /** Training fields; absent ones take {@link TrainSettings#defaults()}, epochs {@code epochs}. */
  TrainSettings train(JsonNode b, String where, int epochs) {
    TrainConfig d = TrainConfig.defaults();
    int e = integer(b, "epochs", where, 0, Bounds.MAX_EPOCHS, epochs);
    Double lr = b.has("lr") ? number(b.get("lr"), "lr", where, 1e-12, Bounds.MAX_LR) : null;
    TrainConfig c = d.withEpochs(e)
        .withBatchSize(integer(b, "batch", where, 1, Bounds.MAX_BATCH, d.batchSize()))
        .withMomentum(b.has("momentum") ? number(b.get("momentum"), "momentum", where, 0, 0.999999) : d.momentum())
        .withWeightDecay(b.has("weight-decay") ? number(b.get("weight-decay"), "weight-decay", where, 0, Bounds.MAX_WEIGHT_DECAY) : d.weightDecay());
    if (b.has("schedule")) {
      LrSchedule schedule = LrSchedule.parse(b.get("schedule").asText());
      if (schedule == null || !b.get("schedule").isTextual()) {
        throw error(where, "field 'schedule' must be constant, cosine or step:EVERY:GAMMA, got '"
            + b.get("schedule").asText() + "'");
      }
      c = c.withSchedule(schedule);
    }
    TrainSettings.Freeze freeze = choice(b, "freeze", where, TrainSettings.Freeze.values(), TrainSettings.Freeze.NONE);
    return new TrainSettings(c, true, freeze, distill(b, where)).withLr(lr);
  }

  /**
   * Quantization-aware training of quantize-int8: 'qat-epochs' (default 0: none) and an optional
   * 'qat' mapping of the other training fields (lr, batch, momentum, weight-decay, schedule, distill).
   */
  TrainSettings qat(JsonNode body, String where) {
    int epochs = integer(body, "qat-epochs", where, 0, Bounds.MAX_EPOCHS, 0);
    if (!body.has("qat")) {
      return TrainSettings.defaults().withEpochs(epochs);
    }
    JsonNode t = body.get("qat");
    if (!t.isObject()) {
      throw error(where, "field 'qat' must be a mapping of training fields (lr, batch, momentum, weight-decay, schedule, distill)");
    }
    checkFields(t, Set.of("lr", "batch", "momentum", "weight-decay", "schedule", "distill"), where + "qat: ");
    return train(t, where + "qat: ", epochs);
  }

  /** The optional 'distill' mapping: {temperature: T, alpha: A} (defaults {@link TrainSettings.Distill}'s). */
  private TrainSettings.Distill distill(JsonNode b, String where) {
    if (!b.has("distill")) {
      return null;
    }
    JsonNode d = b.get("distill");
    if (!d.isObject()) {
      throw error(where, "field 'distill' must be a mapping {temperature: T, alpha: A}");
    }
    checkFields(d, Set.of("temperature", "alpha"), where + "distill: ");
    double t = d.has("temperature") ? number(d.get("temperature"), "temperature", where + "distill: ", 1e-3, 100)
        : TrainSettings.Distill.TEMPERATURE;
    double a = d.has("alpha") ? number(d.get("alpha"), "alpha", where + "distill: ", 0, 1) : TrainSettings.Distill.ALPHA;
    return new TrainSettings.Distill(t, a);
  }
}
