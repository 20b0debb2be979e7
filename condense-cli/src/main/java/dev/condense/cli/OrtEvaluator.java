package dev.condense.cli;

import dev.condense.data.Dataset;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.ort.OrtEngine;
import dev.condense.ort.OrtForwardSession;

/**
 * Evaluates a model in ONNX Runtime instead of Condense's engine: the independent check that an
 * exported file computes what the engine computed ({@code condense eval --runtime ort}). One
 * call on an {@link OrtEngine} session, which holds the batching.
 */
final class OrtEvaluator {
  private OrtEvaluator() {}

  /**
   * Top-1 of {@code model} in ONNX Runtime on {@code data}, in batches of {@code requested}
   * samples, or of the batch size the model's input declares where it is fixed (a model exported
   * at batch 1 takes only batches of 1 in ONNX Runtime; the engine runs it at any batch).
   */
  static Evaluation evaluate(Model model, Dataset data, int requested, int threads, Progress progress) {
    try (OrtEngine engine = new OrtEngine(threads); OrtForwardSession s = engine.open(model)) {
      return s.evaluate(data, requested, progress);
    }
  }

  /**
   * The same for a model's ONNX {@code bytes} (which may hold ops only ONNX Runtime reads, such as
   * its contrib ops), {@code model} Condense's form of the same graph.
   */
  static Evaluation evaluate(byte[] bytes, Model model, Dataset data, int requested, int threads, Progress progress) {
    try (OrtEngine engine = new OrtEngine(threads); OrtForwardSession s = engine.open(bytes, model)) {
      return s.evaluate(data, requested, progress);
    }
  }
}
