package dev.condense.pipeline;

import dev.condense.data.Dataset;
import dev.condense.graph.Model;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.MixedPrecision;
import dev.condense.quant.int8.QuantSensitivity;
import java.util.Locale;

/**
 * The mixed-precision half of the recipe step quantize-int8 with a max drop: the per-layer
 * sensitivity table on the validation set, then the costliest layers kept float until the INT8
 * model is within the drop ({@link MixedPrecision}), both logged.
 */
final class Int8MixedPrecision {
  /** The most training images held out as validation when the run has no validation set. */
  static final int VALIDATION = 5000;
  /** Calibration images the per-layer output errors are measured on. */
  static final int ERROR_SAMPLES = 256;

  private Int8MixedPrecision() {}

  static Model choose(Model m, double maxDrop, Int8Quantizer quantizer, Int8Quantizer.Result full, Dataset calibration,
      Dataset validation, StepContext ctx) {
    Dataset errors = calibration.head(Math.min(ERROR_SAMPLES, calibration.size()));
    QuantSensitivity.Table t = QuantSensitivity.measure(m, quantizer, full, ctx.engine(), validation, errors, 256,
        ctx.progress());
    t.lines().forEach(l -> ctx.log("  " + l));
    MixedPrecision.Choice c = MixedPrecision.choose(m, quantizer, full, t, maxDrop, ctx.engine(), validation, 256,
        ctx.progress());
    ctx.log(String.format(Locale.ROOT, "  INT8: %d layer(s) float, validation top-1 %.2f%% (float %.2f%%, max drop %.2f "
        + "points)", c.kept().size(), 100 * c.top1(), 100 * c.floatTop1(), 100 * maxDrop));
    c.kept().forEach(k -> ctx.log("  " + k.line(c.floatTop1())));
    return c.result().model();
  }
}
