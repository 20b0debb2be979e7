package dev.condense.zoo;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;

/**
 * Resolves what a user names as a model: a zoo name ("lenet-5"), the path of an ONNX file, or
 * the path of a {@code .cdz} file.
 */
public final class ModelSource {
  private ModelSource() {}

  /** The zoo model {@code spec} initialised from {@code seed}, or the checked ONNX file at {@code spec}. */
  public static Model load(String spec, long seed) {
    if (Zoo.has(spec)) {
      return Zoo.create(spec, seed);
    }
    if (spec.endsWith(".cdz")) {
      Model m = dev.condense.format.CdzFile.read(Path.of(spec));
      dev.condense.onnx.ModelChecker.check(m, spec);
      return m;
    }
    return OnnxReader.load(Path.of(spec));
  }
}
