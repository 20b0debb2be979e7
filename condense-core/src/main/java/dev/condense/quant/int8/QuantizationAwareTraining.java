package dev.condense.quant.int8;

import dev.condense.data.Dataset;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Model;
import java.util.List;

/**
 * Quantization-aware training of a post-training INT8 result (Jacob et al. 2018, "Quantization
 * and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference", §3): the
 * model's {@link FakeQuantForm} trains in the engine — float weights fake-quantized per output
 * channel at the weight scales of the post-training result, activations at their calibrated
 * scales, both kept fixed, gradients by the straight-through estimator (zero where a value
 * saturates) — with the labels or, when {@code config} carries one, distillation from the float
 * model; then it is written back as the same QDQ model, its int8 weights and int32 biases
 * recomputed from the trained float ones.
 *
 * @param config the training (epochs, rate, distillation, …); the fake-quantized weights are added to its trainable
 *     tensors
 */
public record QuantizationAwareTraining(TrainConfig config) {

  /**
   * The trained QDQ model, the trained fake-quantized form (what the engine ran: its predictions are the
   * exported file's) and the training's history.
   */
  public record Result(Model model, Model fakeQuantized, TrainHistory history) {}

  /** Trains {@code ptq}'s model on {@code train} through {@code engine} ({@code validation} may be null). */
  public Result train(Int8Quantizer.Result ptq, Engine engine, Dataset train, Dataset validation, Progress progress) {
    FakeQuantForm form = FakeQuantForm.of(ptq);
    // The rule of docs/training.md freezes a float tensor that reaches its layer through integers;
    // here those tensors are the weights, so they are named trainable.
    ParameterChoice weights = new ParameterChoice(List.copyOf(form.weights().keySet()), List.of());
    TrainConfig c = config.withParameters(config.parameters().and(weights));
    try (Session s = engine.open(form.trainable())) {
      TrainHistory h = s.train(train, c, Constraints.NONE, validation, progress);
      Model trained = s.export();
      return new Result(form.export(trained), trained, h);
    }
  }
}
