package dev.condense.quant.int4;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weight-only block-wise 4-bit quantization of a float model's Gemm and MatMul layers (as
 * ONNX Runtime's MatMulNBits computes: activations stay float). Each layer's weight [N, K] gets a
 * scale (and, asymmetric, a zero point) per block of {@code block} inputs; a K that
 * {@code block} does not divide gets a shorter last block (both written forms allow it). Codes
 * are rounded to nearest, or by GPTQ with the Hessian of each layer's inputs on the first
 * {@code samples} calibration images of the float model (each layer's inputs are the float
 * model's, not those of the layers already quantized). With calibration data, each layer's
 * relative output error on those inputs is reported for either rounding.
 *
 * @param block weights per block along the input dimension: 32, 64 or 128
 * @param symmetric int4 with zero point 0, or uint4 with a zero point per block
 * @param rounding RTN or GPTQ
 * @param samples calibration images for GPTQ (unused by RTN)
 * @param batch the calibration batch size
 */
public record Int4Quantizer(int block, boolean symmetric, Int4Rounding rounding, int samples, int batch) {
  /** The block sizes MatMulNBits' CPU kernels take that Condense offers. */
  public static final List<Integer> BLOCKS = List.of(32, 64, 128);
  /** Block size by default (ONNX Runtime's quantizer's default). */
  public static final int BLOCK = 32;
  /** Calibration images by default for GPTQ. */
  public static final int SAMPLES = 512;
  /** Calibration batch size by default. */
  public static final int BATCH = 64;
  /** The opset the DequantizeLinear form needs (int4 and block_size: DequantizeLinear-21). */
  public static final long OPSET = 21;
  /** The IR version int4 tensors need (ONNX IR 10). */
  public static final long IR_VERSION = 10;

  public Int4Quantizer {
    if (!BLOCKS.contains(block)) {
      throw new CondenseException("4-bit: the block size must be one of " + BLOCKS + ", got " + block);
    }
    if (samples < 1 || batch < 1) {
      throw new CondenseException("4-bit: calibration samples and batch must be at least 1");
    }
  }

  /**
   * The quantized model in both forms.
   *
   * @param qdq DequantizeLinear → MatMul (opset 21): what the engine runs as the simulation
   * @param matMulNBits the same codes as MatMulNBits nodes; write it with {@link #matMulNBitsBytes}
   * @param weights each layer's 4-bit weight, by node name
   * @param outputError each layer's relative output error {@code ||X(W − Ŵ)ᵀ|| / ||XWᵀ||} on the
   *     calibration inputs, by node name (empty without calibration data)
   * @param calibrated calibration samples seen (0 without calibration data)
   */
  public record Result(Model qdq, Model matMulNBits, Map<String, BlockWeights> weights, Map<String, Double> outputError,
      int calibrated) {
    /** The MatMulNBits model as ONNX bytes, its layers in ONNX Runtime's contrib domain. */
    public byte[] matMulNBitsBytes() {
      Set<String> contrib = Int4Graph.contribNodes(weights);
      return OnnxWriter.toBytes(matMulNBits, n -> contrib.contains(n.name()) ? Int4Graph.CONTRIB : "");
    }

    /** The model in {@code format} as ONNX bytes. */
    public byte[] bytes(Int4Format format) {
      return format == Int4Format.MATMULNBITS ? matMulNBitsBytes() : OnnxWriter.toBytes(qdq);
    }
  }

  /**
   * Quantizes {@code model}'s layers; {@code calibration} (GPTQ only; may be null for RTN) runs
   * through {@code engine}.
   */
  public Result quantize(Model model, Engine engine, Dataset calibration, Progress progress) {
    return quantize(model, Set.of(), engine, calibration, progress);
  }

  /**
   * As {@link #quantize(Model, Engine, Dataset, Progress)}, only the layers named in
   * {@code only} (node names; all layers where it is empty); a name that is no such layer is an
   * error naming it. The other layers keep their float weights.
   */
  public Result quantize(Model model, Set<String> only, Engine engine, Dataset calibration, Progress progress) {
    OpTable table = OpTable.standard();
    Map<String, Int4Layer> layers = new LinkedHashMap<>();
    Int4Layer.of(model.graph(), table, only, "model " + model.graph().name()).forEach(l -> layers.put(l.node().name(), l));
    Map<String, Hessian> hessians = new LinkedHashMap<>();
    int calibrated = 0;
    if (rounding == Int4Rounding.GPTQ && (calibration == null || calibration.size() == 0)) {
      throw new CondenseException("4-bit GPTQ needs calibration data");
    }
    if (calibration != null && calibration.size() > 0) {
      Dataset head = calibration.head(Math.min(samples, calibration.size()));
      calibrated = head.size();
      List<String> inputs = new ArrayList<>();
      for (Int4Layer l : layers.values()) {
        hessians.put(l.node().name(), new Hessian(l.cols()));
        if (!inputs.contains(l.input())) {
          inputs.add(l.input());
        }
      }
      try (Session s = engine.open(model)) {
        s.capture(head, batch, inputs, (n, arrays, shapes, labels) -> {
          for (Int4Layer l : layers.values()) {
            float[] x = arrays[inputs.indexOf(l.input())];
            hessians.get(l.node().name()).add(x, x.length / l.cols());
          }
        }, progress);
      }
    }
    Map<String, BlockWeights> weights = new LinkedHashMap<>();
    Map<String, Double> errors = new LinkedHashMap<>();
    for (Int4Layer l : layers.values()) {
      String name = l.node().name();
      BlockWeights q = rounding == Int4Rounding.GPTQ
          ? Gptq.quantize(l.weight(), l.rows(), l.cols(), hessians.get(name).matrix(), block, symmetric, name)
          : RoundToNearest.quantize(l.weight(), l.rows(), l.cols(), block, symmetric);
      weights.put(name, q);
      if (hessians.containsKey(name)) {
        errors.put(name, hessians.get(name).relativeError(l.weight(), q.dequantized(), l.rows()));
      }
    }
    Map<String, Long> qdqOpsets = new LinkedHashMap<>(model.opsetImports());
    qdqOpsets.put("", Math.max(OPSET, model.opset()));
    qdqOpsets.remove("ai.onnx");
    Model qdq = new Model(Int4Graph.dequantizeMatMul(model.graph(), layers, weights),
        Math.max(model.irVersion(), IR_VERSION), qdqOpsets, model.producerName(), model.producerVersion(),
        model.docString(), model.metadata());
    Map<String, Long> nbitsOpsets = new LinkedHashMap<>(model.opsetImports());
    nbitsOpsets.put(Int4Graph.CONTRIB, 1L);
    Model nbits = new Model(Int4Graph.matMulNBits(model.graph(), layers, weights), model.irVersion(), nbitsOpsets,
        model.producerName(), model.producerVersion(), model.docString(), model.metadata());
    return new Result(qdq, nbits, weights, errors, calibrated);
  }
}
