package dev.condense.bench.speed;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.Zoo;
import java.nio.file.Path;

/** Loading the model a speed measurement trains: a zoo spec (1×28×28, 10 classes) or an ONNX file. */
final class Bench {
  private Bench() {}

  /** A model with the per-sample input shape and class count its synthetic data needs. */
  record Loaded(Model model, int[] sample, int classes) {}

  static Loaded load(String spec) {
    if (Zoo.has(spec)) {
      return new Loaded(Zoo.create(spec, 1), Zoo.MNIST_SAMPLE.clone(), 10);
    }
    Model m = OnnxReader.load(Path.of(spec));
    int[] in = m.graph().inputs().get(0).shapeOr(-1);
    int[] out = m.graph().outputs().get(0).shapeOr(-1);
    if (in == null || in.length < 2 || out == null || out.length != 2 || out[1] < 1) {
      throw new IllegalArgumentException(spec + ": needs an input [N, ...] and an output [N, classes] of known sizes");
    }
    int[] sample = new int[in.length - 1];
    System.arraycopy(in, 1, sample, 0, sample.length);
    return new Loaded(m, sample, out[1]);
  }
}
