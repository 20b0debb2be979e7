package dev.condense.cli;

import dev.condense.data.Dataset;
import dev.condense.engine.Distillation;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.pipeline.Teacher;
import dev.condense.pipeline.TrainSettings;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.QuantizationAwareTraining;
import java.util.Locale;

/**
 * The quantization-aware training of {@code condense quantize --qat-epochs N [--lr LR] [--distill]}:
 * the checked settings, and the run that replaces the post-training result's model by the trained
 * one (the same QDQ layout, so the result's layer and Quantize/Dequantize lists still describe it).
 */
record QatRun(int epochs, double lr, TrainSettings.Distill distill, long seed) {

  /** The settings, each refused with one line naming its option when out of range. */
  static QatRun of(int epochs, double lr, TrainSettings.Distill distill, long seed) {
    OptionRange.epochs("--qat-epochs", epochs);
    OptionRange.lr("--lr", lr);
    if (epochs == 0 && distill != null) {
      throw new Cli.UsageError("--distill goes with --qat-epochs N (N ≥ 1): post-training quantization does not train");
    }
    return new QatRun(epochs, lr, distill, seed);
  }

  /** {@code ptq} after the training on {@code train} (itself when there is none), distilling from {@code floatModel} if asked. */
  Int8Quantizer.Result train(Int8Quantizer.Result ptq, Model floatModel, Engine engine, Dataset train, Progress progress,
      Output out) {
    if (epochs == 0) {
      return ptq;
    }
    TrainConfig cfg = TrainConfig.defaults().withEpochs(epochs).withLr(lr).withSeed(seed);
    if (distill != null) {
      float[] logits = Teacher.logitsOf(floatModel, engine, train);
      cfg = cfg.withDistillation(new Distillation(logits, logits.length / train.size(), distill.temperature(),
          distill.alpha()));
    }
    QuantizationAwareTraining.Result r = new QuantizationAwareTraining(cfg).train(ptq, engine, train, null, progress);
    out.line(String.format(Locale.ROOT, "QAT: %d epoch(s) on %s at lr %s%s, training loss %.4f", epochs, train.name(), lr,
        distill == null ? "" : String.format(Locale.ROOT, ", distilling from the float model (T %s, alpha %s)",
            distill.temperature(), distill.alpha()), r.history().last().trainLoss()));
    return new Int8Quantizer.Result(r.model(), ptq.ranges(), ptq.layerMacs(), ptq.quantizeNodes(), ptq.dequantizeNodes(),
        ptq.integers(), ptq.calibrated());
  }
}
