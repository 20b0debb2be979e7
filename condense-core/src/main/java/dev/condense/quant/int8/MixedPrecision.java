package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Mixed precision under a top-1 budget: while the INT8 model loses more than {@code maxDrop} on
 * the validation set against the float model, the next layer of the sensitivity table (most
 * costly first) is kept float and the model laid out again (a float layer reads a Dequantize and
 * its output is quantized again, so every other layer still fuses). Greedy, one layer at a time:
 * each step costs one evaluation, and the table's order is what each layer alone costs.
 */
public final class MixedPrecision {
  /** Top-1 is a count over the samples: a drop equal to the budget is within it, whatever the rounding. */
  private static final double ROUNDING = 1e-9;

  private MixedPrecision() {}

  /**
   * A layer kept float and why.
   *
   * @param layer the layer's node name
   * @param alone validation top-1 drop with only this layer quantized (from the table)
   * @param before validation top-1 of the model before it was kept float
   * @param after validation top-1 with it float
   */
  public record Kept(String layer, double alone, double before, double after) {
    /** One line for the report. */
    public String line(double floatTop1) {
      return String.format(Locale.ROOT, "%s stays float: quantized alone it costs %.2f points; the model was %.2f points "
          + "below float, %.2f with it float", layer, 100 * alone, 100 * (floatTop1 - before), 100 * (floatTop1 - after));
    }
  }

  /**
   * The chosen model.
   *
   * @param result the quantized model (its float layers as {@link IntegerKernels#floatLayers})
   * @param floatTop1 the float model's validation top-1
   * @param top1 the chosen model's validation top-1
   * @param kept the layers kept float, in the order chosen
   */
  public record Choice(Int8Quantizer.Result result, double floatTop1, double top1, List<Kept> kept) {}

  /**
   * The INT8 model of {@code model} within {@code maxDrop} (a fraction of top-1) of the float model
   * on {@code validation}, keeping as few layers float as the greedy order needs; an error if even
   * every layer float does not meet it.
   */
  public static Choice choose(Model model, Int8Quantizer quantizer, Int8Quantizer.Result full, QuantSensitivity.Table table,
      double maxDrop, Engine engine, Dataset validation, int batch, Progress progress) {
    if (!(maxDrop >= 0 && maxDrop <= 1)) {
      throw new CondenseException("INT8: the max drop must be in [0, 100] points, got " + 100 * maxDrop);
    }
    OpTable ops = OpTable.standard();
    Model folded = BatchNormFolding.fold(model, ops);
    double floatTop1 = table.floatTop1();
    double top1 = table.int8Top1();
    Int8Quantizer.Result r = full;
    Set<String> floats = new LinkedHashSet<>();
    List<Kept> kept = new ArrayList<>();
    for (QuantSensitivity.Row row : table.rows()) {
      if (floatTop1 - top1 <= maxDrop + ROUNDING) {
        break;
      }
      floats.add(row.layer());
      r = quantizer.assemble(folded, QdqLayout.of(folded.graph(), ops, floats), full.ranges(), full.calibrated());
      double after = QuantSensitivity.top1(engine, r.model(), validation, batch, progress);
      kept.add(new Kept(row.layer(), row.drop(), top1, after));
      top1 = after;
    }
    if (floatTop1 - top1 > maxDrop + ROUNDING) {
      throw new CondenseException(String.format(Locale.ROOT, "INT8: even with every layer float the validation top-1 "
          + "is %.2f points below float (%.2f%%), more than the max drop of %.2f points: the activations' quantization "
          + "costs it", 100 * (floatTop1 - top1), 100 * floatTop1, 100 * maxDrop));
    }
    return new Choice(r, floatTop1, top1, List.copyOf(kept));
  }
}
