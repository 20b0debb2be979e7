package dev.condense.api;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.format.CdzFile;
import dev.condense.format.GatherExport;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.runtime.CdzRuntime;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writing a compressed model and checking what was written: a {@code .cdz} file (Deep
 * Compression's storage) or ONNX — shared weights, when asked, as codebook + uint8 indices rebuilt
 * by {@code Gather}. The file is read back (by the {@code .cdz} decoder or the ONNX reader, which
 * checks the model) and its tensors compared with what was meant to be written; {@link #evaluate}
 * runs a written {@code .cdz} file in the pure-Java runtime, to compare its predictions with the
 * engine's. Outputs are written atomically.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * What was written: the model as the file holds it (for ONNX with {@code gather}, the Gather
   * export), and the name of the reader that can check predictions.
   */
  public record Written(Path file, Model model, boolean cdz) {
    /** "the pure-Java .cdz runtime" or "ONNX Runtime": what compares the file's predictions. */
    public String checkedBy() {
      return cdz ? "the pure-Java .cdz runtime" : "ONNX Runtime";
    }
  }

  /** Whether {@code file} names a {@code .cdz} file, in any case (anything else is written as ONNX). */
  public static boolean isCdz(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".cdz");
  }

  /**
   * Writes {@code m} to {@code file}; with {@code verify}, reads it back and refuses (one
   * {@link CondenseException}) a file whose tensors differ from the model's.
   *
   * @param cdz how a {@code .cdz} file encodes the weights
   * @param gather ONNX only: write shared weights as codebook + indices ({@link GatherExport})
   */
  public static Written write(Model m, Path file, CdzFile.Options cdz, boolean gather, boolean verify) {
    boolean isCdz = isCdz(file);
    Model written = isCdz || !gather ? m : GatherExport.export(m);
    if (isCdz) {
      CdzFile.write(written, file, cdz);
    } else {
      OnnxWriter.write(written, file);
    }
    if (verify) {
      Model back = isCdz ? CdzFile.read(file) : OnnxReader.read(file);
      String diff = firstDifference(written, back);
      if (diff != null) {
        throw new CondenseException(file + ": the written file does not read back as written (" + diff + ")");
      }
    }
    return new Written(file, written, isCdz);
  }

  /** A written {@code .cdz} file run by the pure-Java runtime on {@code test}. */
  public static Evaluation evaluate(Path cdz, Dataset test, int threads) {
    try (CdzRuntime rt = CdzRuntime.open(cdz, threads)) {
      return rt.evaluate(test, 256, Progress.NONE);
    }
  }

  /** The first initializer that differs between {@code a} and {@code b} (0.0 and -0.0 alike), or null. */
  static String firstDifference(Model a, Model b) {
    Map<String, Tensor> x = a.graph().initializers();
    Map<String, Tensor> y = b.graph().initializers();
    if (!x.keySet().equals(y.keySet())) {
      return "initializers " + x.keySet() + " vs " + y.keySet();
    }
    if (a.graph().nodes().size() != b.graph().nodes().size()) {
      return a.graph().nodes().size() + " nodes vs " + b.graph().nodes().size();
    }
    for (Map.Entry<String, Tensor> e : x.entrySet()) {
      if (!same(e.getValue(), y.get(e.getKey()))) {
        return "tensor " + e.getKey();
      }
    }
    return null;
  }

  private static boolean same(Tensor s, Tensor t) {
    if (s.dtype() != DType.FLOAT || t.dtype() != DType.FLOAT) {
      return s.equals(t);
    }
    if (!java.util.Arrays.equals(s.shape(), t.shape())) {
      return false;
    }
    float[] p = s.floats();
    float[] q = t.floats();
    for (int i = 0; i < p.length; i++) {
      if (p[i] != q[i] && !(Float.isNaN(p[i]) && Float.isNaN(q[i]))) {
        return false;
      }
    }
    return true;
  }
}
