package dev.condense.cli;

import dev.condense.AtomicFile;
import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.graph.Annotations;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.IntegerKernels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The INT8 ONNX file {@code compress --int8-out} writes beside the compressed model, from the same
 * run's final model: the compressed file (a pruned and k-means-shared {@code .cdz}, Deep
 * Compression) is the small one, this QDQ file (the same weights linearly quantized to int8 per
 * channel, min-max calibration on {@link Int8Quantizer#SAMPLES} training images) is the one ONNX
 * Runtime runs fast. It is read back and checked in ONNX Runtime: top-1, agreement with the
 * compressed model's predictions, and the share of multiply-adds in integer kernels.
 *
 * @param out the file
 * @param bytes its size
 * @param ort its evaluation in ONNX Runtime on the test split
 * @param agreement how often ONNX Runtime gives the compressed model's prediction
 * @param kernels what ONNX Runtime runs in integer kernels
 */
record Int8Companion(Path out, long bytes, Evaluation ort, double agreement, IntegerKernels kernels) {

  /** Quantizes {@code model} (the run's final, float) with {@code engine}, writes {@code out} and checks it. */
  static Int8Companion write(Model model, Evaluation compressed, Engine engine, DataSplit data, Path out, long seed,
      int threads, Progress progress) {
    DataSplit d = data.calibrationImages() > 0 ? data
        : data.withCalibration(Math.min(Int8Quantizer.SAMPLES, data.train().size()), seed);
    Dataset calibration = d.calibration(d.train());
    // masks and codebooks describe the float weights; the int8 tensors carry their own values
    Int8Quantizer.Result q = Int8Quantizer.defaults().quantize(model.withAnnotations(Annotations.NONE), engine,
        calibration, progress);
    byte[] bytes = OnnxWriter.toBytes(q.model());
    AtomicFile.write(out, bytes);
    Model back = OnnxReader.read(bytes, out.toString());
    Evaluation ort = OrtEvaluator.evaluate(back, data.test(), 256, threads, progress);
    IntegerKernels k = IntegerKernels.of(q, back.graph().inputs().stream().map(v -> v.name()).toList(),
        OrtOptimizedGraph.of(bytes, threads));
    return new Int8Companion(out, bytes.length, ort, compressed.agreement(ort), k);
  }

  /** The report section (Markdown). */
  String markdown() {
    return String.format(Locale.ROOT, "%n## INT8 ONNX for speed (--int8-out)%n%n- %s: %,d bytes, top-1 in ONNX Runtime "
        + "%.2f%% (the compressed model's prediction on %.2f%% of %d test images)%n- %s%n", out.getFileName(), bytes,
        ort.top1Percent(), 100 * agreement, ort.samples(), kernels.line());
  }

  /** The JSON fields. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("out", out.toString());
    m.put("bytes", bytes);
    m.put("ort_top1", ort.top1());
    m.put("agreement", agreement);
    m.put("integer_mac_share", kernels.share());
    m.put("macs", kernels.totalMacs());
    m.put("float_nodes", kernels.floatNodes());
    return m;
  }
}
