package dev.condense.quant.int8;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Per-layer quantization sensitivity: for each layer (Conv, Gemm, MatMul) the model with only that
 * layer quantized — its data input, int8 weights, int32 bias and output, with the parameters of the
 * full INT8 model — and the rest float. Its top-1 on a validation set (held-out training images,
 * never the test set: the table decides which layers stay float) says what the layer costs; the
 * relative L2 error of its output against the float model's, on a calibration batch, says how
 * much its quantization disturbs it. Rows are sorted most costly first.
 */
public final class QuantSensitivity {
  private QuantSensitivity() {}

  /**
   * One layer's cost.
   *
   * @param layer the layer's node name
   * @param opType Conv, Gemm or MatMul
   * @param macs its multiply-adds per sample
   * @param top1 validation top-1 with only this layer quantized, in [0, 1]
   * @param drop the float model's validation top-1 minus {@code top1} (a fraction; negative: it gained)
   * @param outputError ‖y_q − y‖ / ‖y‖ of the layer's output (after the Relu it absorbs)
   */
  public record Row(String layer, String opType, long macs, double top1, double drop, double outputError) {}

  /**
   * The table.
   *
   * @param floatTop1 the float model's validation top-1
   * @param int8Top1 the full INT8 model's validation top-1
   * @param samples validation samples
   * @param errorSamples calibration samples the output errors are measured on
   * @param rows the layers, largest drop first (then largest output error)
   */
  public record Table(double floatTop1, double int8Top1, int samples, int errorSamples, List<Row> rows) {
    /** The report's lines: a header, then one per layer. */
    public List<String> lines() {
      List<String> r = new ArrayList<>();
      r.add(String.format(Locale.ROOT, "sensitivity (validation top-1 on %d held-out training samples with only that "
          + "layer quantized; float %.2f%%, all INT8 %.2f%%; output error on %d calibration samples):", samples,
          100 * floatTop1, 100 * int8Top1, errorSamples));
      r.add(String.format(Locale.ROOT, "  %-32s %-7s %14s %9s %8s %10s", "layer", "op", "MACs", "top-1", "drop",
          "out error"));
      for (Row row : rows) {
        r.add(String.format(Locale.ROOT, "  %-32s %-7s %,14d %8.2f%% %+8.2f %9.3f%%", row.layer(), row.opType(), row.macs(),
            100 * row.top1(), 100 * row.drop(), 100 * row.outputError()));
      }
      return r;
    }
  }

  /**
   * The sensitivity of every layer of {@code model} (float), quantized as {@code full} was by
   * {@code quantizer}.
   *
   * @param validation held-out images the accuracies are measured on
   * @param errorBatch calibration images the output errors are measured on
   * @param batch the evaluation batch size
   */
  public static Table measure(Model model, Int8Quantizer quantizer, Int8Quantizer.Result full, Engine engine,
      Dataset validation, Dataset errorBatch, int batch, Progress progress) {
    OpTable table = OpTable.standard();
    Model folded = BatchNormFolding.fold(model, table);
    Graph g = folded.graph();
    QdqLayout layout = QdqLayout.of(g, table);
    double floatTop1 = top1(engine, folded, validation, batch, progress);
    double int8Top1 = top1(engine, full.model(), validation, batch, progress);
    List<Row> rows = new ArrayList<>();
    for (Node layer : layout.layers()) {
      QdqLayout only = layout.only(layer, g);
      Int8Quantizer.Result aloneQ = quantizer.assemble(folded, only, full.ranges(), full.calibrated());
      Model alone = aloneQ.model();
      double top1 = top1(engine, alone, validation, batch, progress);
      String out = only.quantized().stream().filter(v -> !v.equals(layer.input(0))).findFirst().orElseThrow();
      ActivationParams p = ActivationParams.of(full.ranges().get(only.source(out)), quantizer.activations());
      float[] y = capture(engine, folded, out, errorBatch, batch, progress);
      float[] q = capture(engine, alone, aloneQ.integers().get(out), errorBatch, batch, progress);
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < y.length; i++) {
        double d = (q[i] - p.zeroPoint()) * (double) p.scale() - y[i];
        diff += d * d;
        norm += (double) y[i] * y[i];
      }
      double error = norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
      rows.add(new Row(layer.name(), layer.opType(), full.layerMacs().get(layer.name()), top1, floatTop1 - top1, error));
    }
    rows.sort(Comparator.comparingDouble(Row::drop).thenComparingDouble(Row::outputError).reversed());
    return new Table(floatTop1, int8Top1, validation.size(), errorBatch.size(), List.copyOf(rows));
  }

  static double top1(Engine engine, Model m, Dataset data, int batch, Progress progress) {
    try (Session s = engine.open(m)) {
      return s.evaluate(data, batch, progress).top1();
    }
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Value {@code v} of {@code m} on all of {@code data}, the batches one after another. */
  private static float[] capture(Engine engine, Model m, String v, Dataset data, int batch, Progress progress) {
    List<float[]> parts = new ArrayList<>();
    try (Session s = engine.open(m)) {
      s.capture(data, batch, List.of(v), (n, arrays, shapes, labels) -> parts.add(Arrays.copyOf(arrays[0], size(shapes[0]))), progress);
    }
    int total = parts.stream().mapToInt(a -> a.length).sum();
    float[] r = new float[total];
    int at = 0;
    for (float[] a : parts) {
      System.arraycopy(a, 0, r, at, a.length);
      at += a.length;
    }
    return r;
  }
}
