package dev.condense.cli;

import dev.condense.data.Dataset;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.runtime.CdzRuntime;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * An INT8 (QDQ) model written as {@code .cdz}: int8 weights and int32 biases stored as they are,
 * read back and run by the {@code .cdz} runtime with its Conv and Gemm layers on integers, so the
 * file serves a device without ONNX Runtime. The check compares its predictions with ONNX
 * Runtime's on the same QDQ graph.
 *
 * @param model the model read back from the file
 * @param bytes the file's size
 * @param integerLayers how many layers the runtime runs on integers
 * @param eval the runtime's evaluation on the test split
 */
record Int8Cdz(Model model, long bytes, int integerLayers, Evaluation eval) {

  /** Writes {@code qdq} to {@code out}, reads it back and evaluates it in the .cdz runtime. */
  static Int8Cdz write(Model qdq, Path out, Dataset test, int batch, int threads, Progress progress) {
    CdzFile.Written w = CdzFile.write(qdq, out, CdzFile.Options.defaults());
    Model back = CdzFile.read(out);
    try (CdzRuntime rt = CdzRuntime.of(back, threads)) {
      return new Int8Cdz(back, w.bytes().length, rt.integerLayers().size(), rt.evaluate(test, batch, progress));
    }
  }

  /** The report line, beside ONNX Runtime's evaluation of the same QDQ graph and the INT8 ONNX size. */
  String line(Evaluation ort, int layers, long onnxBytes) {
    return String.format(Locale.ROOT, ".cdz runtime: %d of %d layers on integers, top-1 %.2f%% (ONNX Runtime's "
        + "prediction on %.2f%% of %d samples); %,d bytes (INT8 ONNX %,d)", integerLayers, layers, eval.top1Percent(),
        100 * eval.agreement(ort), eval.samples(), bytes, onnxBytes);
  }

  /** The JSON fields. */
  void put(Map<String, Object> r, Evaluation ort) {
    r.put("cdz_integer_layers", integerLayers);
    r.put("cdz_top1", eval.top1());
    r.put("cdz_ort_agreement", eval.agreement(ort));
    r.put("cdz_bytes", bytes);
  }
}
