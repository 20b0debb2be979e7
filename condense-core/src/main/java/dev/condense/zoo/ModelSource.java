package dev.condense.zoo;

import dev.condense.MemoryLimit;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;

/**
 * Resolves what a user names as a model: a zoo name ("lenet-5"), the path of an ONNX file, or
 * the path of a {@code .cdz} file.
 */
public final class ModelSource {
  private ModelSource() {}

  /** As {@link #load(String, long, int[], int)} for the zoo's default input, 1×28×28 and 10 classes. */
  public static Model load(String spec, long seed) {
    return load(spec, seed, Zoo.MNIST_SAMPLE, 10);
  }

  /** As {@link #load(String, long, int[], int)}, a zoo model built for the samples of {@code data}. */
  public static Model load(String spec, long seed, dev.condense.data.Dataset data) {
    return load(spec, seed, data.sampleShape(), data.numClasses());
  }

  /**
   * The zoo model {@code spec} initialised from {@code seed} for inputs of shape {@code sample}
   * and {@code classes} classes, or the checked ONNX or .cdz file at {@code spec}.
   */
  public static Model load(String spec, long seed, int[] sample, int classes) {
    return load(spec, seed, sample, classes, MemoryLimit.forThisHeap());
  }

  /** As {@link #load(String, long)}, a {@code .cdz} file's tensors decoded within {@code limit}. */
  public static Model load(String spec, long seed, MemoryLimit limit) {
    return load(spec, seed, Zoo.MNIST_SAMPLE, 10, limit);
  }

  /**
   * As {@link #load(String, long, int[], int)}, a {@code .cdz} file's tensors decoded, and a file's
   * constants folded at load, within {@code limit}.
   */
  public static Model load(String spec, long seed, int[] sample, int classes, MemoryLimit limit) {
    if (Zoo.has(spec)) {
      return Zoo.create(spec, seed, sample, classes);
    }
    if (spec.toLowerCase(java.util.Locale.ROOT).endsWith(".cdz")) {
      Model m = dev.condense.format.CdzFile.read(Path.of(spec), limit);
      dev.condense.onnx.ModelChecker.check(m, spec, limit);
      return m;
    }
    return OnnxReader.load(Path.of(spec), limit);
  }
}
