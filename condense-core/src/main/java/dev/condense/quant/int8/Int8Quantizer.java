package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training INT8 quantization of a float model into ONNX's QDQ form: BatchNorm folded, the
 * activations the {@link QdqLayout} quantizes observed on the first {@code samples} images of a
 * calibration set through the engine, then Quantize/DequantizeLinear written around them with int8
 * per-channel weights and int32 biases (the graph's input and outputs are observed min-max whatever
 * the method). The result is an ordinary model: the engine runs it as the
 * quantized simulation, ONNX Runtime runs it in integer kernels.
 *
 * @param observers how activation ranges are chosen
 * @param samples calibration images (the first of the set)
 * @param activations UINT8 (ONNX Runtime's x86 kernels) or INT8
 * @param batch the calibration batch size
 */
public record Int8Quantizer(Observer.Factory observers, int samples, DType activations, int batch) {
  /** Calibration images by default. */
  public static final int SAMPLES = 512;
  /** Calibration batch size by default. */
  public static final int BATCH = 64;

  public Int8Quantizer {
    if (samples < 1) {
      throw new CondenseException("INT8: the calibration set must have at least 1 sample, got " + samples);
    }
    if (activations != DType.UINT8 && activations != DType.INT8) {
      throw new CondenseException("INT8: activations are uint8 or int8, got " + activations.label());
    }
    if (batch < 1) {
      throw new CondenseException("INT8: the calibration batch must be at least 1, got " + batch);
    }
  }

  /**
   * The observers a calibration spec names: {@code minmax}, {@code percentile=P} with P in (0, 100],
   * or {@code entropy}; an error naming {@code where} (a recipe field) otherwise.
   */
  public static Observer.Factory observers(String spec, String where) {
    if (spec.equals("minmax")) {
      return MinMaxObserver.factory();
    }
    if (spec.equals("entropy")) {
      return EntropyObserver.factory();
    }
    if (spec.startsWith("percentile=")) {
      try {
        double p = Double.parseDouble(spec.substring("percentile=".length()));
        if (p > 0 && p <= 100) {
          return PercentileObserver.factory(p);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new CondenseException(where + " must be minmax, percentile=P with P in (0, 100], or entropy, got '" + spec + "'");
  }

  /** Min-max calibration on {@link #SAMPLES} images, uint8 activations. */
  public static Int8Quantizer defaults() {
    return new Int8Quantizer(MinMaxObserver.factory(), SAMPLES, DType.UINT8, BATCH);
  }

  /**
   * The quantized model and what calibration found.
   *
   * @param ranges the range chosen for each observed activation
   * @param layerMacs each quantized layer's multiply-adds per sample, by node name
   * @param quantizeNodes the names of the QuantizeLinear nodes added
   * @param dequantizeNodes the names of the DequantizeLinear nodes added (activations, weights, biases)
   * @param integers each quantized float value of the float graph and the name of its integers in {@code model}
   *     (its QuantizeLinear's output, or that of the node computing on the integers), in graph order
   * @param calibrated the calibration samples observed
   */
  public record Result(Model model, Map<String, Range> ranges, Map<String, Long> layerMacs,
      List<String> quantizeNodes, List<String> dequantizeNodes, Map<String, String> integers, int calibrated) {}

  /** Quantizes {@code model} (float) with ranges observed on {@code calibration} through {@code engine}. */
  public Result quantize(Model model, Engine engine, Dataset calibration, Progress progress) {
    return quantize(model, engine, calibration, progress, Set.of());
  }

  /**
   * Quantizes {@code model} with the layers named in {@code floatLayers} left float (mixed
   * precision): each reads a DequantizeLinear and its output is quantized again for the next.
   */
  public Result quantize(Model model, Engine engine, Dataset calibration, Progress progress, Set<String> floatLayers) {
    OpTable table = OpTable.standard();
    Model folded = BatchNormFolding.fold(model, table);
    QdqLayout layout = QdqLayout.of(folded.graph(), table, floatLayers);
    Dataset head = calibration.head(Math.min(samples, calibration.size()));
    Map<String, Observer> watch = new LinkedHashMap<>();
    // The model's input (images, mostly background) and output (logits) keep their whole range:
    // clipping the one saturates the bright pixels, clipping the other ties the largest logits.
    Graph fg = folded.graph();
    layout.observed().forEach(v -> watch.put(v, fg.isGraphOutput(v) || fg.input(v) != null
        ? MinMaxObserver.factory().create() : observers.create()));
    List<String> values = List.copyOf(watch.keySet());
    try (Session s = engine.open(folded)) {
      s.capture(head, batch, values, (n, arrays, shapes, labels) -> {
        for (int i = 0; i < arrays.length; i++) {
          watch.get(values.get(i)).observe(arrays[i], count(shapes[i]));
        }
      }, progress);
    }
    Map<String, Range> ranges = new LinkedHashMap<>();
    watch.forEach((v, o) -> ranges.put(v, o.range()));
    return assemble(folded, layout, ranges, head.size());
  }

  /**
   * The QDQ model of {@code folded} (BatchNorm folded) laid out as {@code layout}, with the
   * {@code ranges} calibration observed (at least those of the layout's observed values).
   */
  Result assemble(Model folded, QdqLayout layout, Map<String, Range> ranges, int calibrated) {
    OpTable table = OpTable.standard();
    Map<String, ActivationParams> params = new LinkedHashMap<>();
    ranges.forEach((v, r) -> params.put(v, ActivationParams.of(r, activations)));
    QdqGraph.Written written = QdqGraph.write(folded.graph(), table, layout, params);
    Model out = folded.withGraph(written.graph());
    if (out.opset() < 13) {
      Map<String, Long> opsets = new LinkedHashMap<>(out.opsetImports());
      opsets.put("", 13L);
      out = new Model(out.graph(), Math.max(out.irVersion(), 7), opsets, out.producerName(), out.producerVersion(),
          out.docString(), out.metadata());
    }
    ShapeInference.Result shapes = ShapeInference.infer(table, folded.graph(), Map.of(), Map.of());
    Map<String, Long> macs = new LinkedHashMap<>();
    layout.layers().forEach(n -> macs.put(n.name(), table.op(n).multiplyAdds(n, shapes)));
    return new Result(out, ranges, macs, written.quantizeNodes(), written.dequantizeNodes(),
        written.integers(), calibrated);
  }

  private static int count(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }
}
