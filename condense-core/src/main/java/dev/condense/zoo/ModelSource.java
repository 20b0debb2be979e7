package dev.condense.zoo;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;

/** Resolves what a user names as a model: a zoo name ("lenet-5") or the path of an ONNX file. */
public final class ModelSource {
  private ModelSource() {}

  /** The zoo model {@code spec} initialised from {@code seed}, or the checked ONNX file at {@code spec}. */
  public static Model load(String spec, long seed) {
    if (Zoo.has(spec)) {
      return Zoo.create(spec, seed);
    }
    return OnnxReader.load(Path.of(spec));
  }
}
