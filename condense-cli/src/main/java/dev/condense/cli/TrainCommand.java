package dev.condense.cli;

import dev.condense.data.DataSplit;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.ModelSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code condense train}: trains a zoo model or an ONNX model and writes the result as ONNX. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train (or fine-tune) a model on a data set and write it as ONNX.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name (lenet-300-100, lenet-5, vgg-16, resnet-20, resnet-56, ...; options after a colon: vgg-16:width=0.25, resnet-20:shortcut=b), an ONNX file or a .cdz file.")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the trained ONNX model.")
  Path out;

  @Option(names = "--no-validate", description = "Skip the test-set evaluation after each epoch.")
  boolean noValidate;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Mixin
  TrainOptions train;

  @Mixin
  ParameterOptions parameters;

  @Override
  public Integer call() {
    Output o = new Output(spec.commandLine(), common);
    TrainConfig cfg = train.config(common.seed);
    OutputPlan.forInput(model).model("--out", out).check();
    dev.condense.api.Inputs in = data.load(model, common, o);
    DataSplit split = in.data();
    Model m = in.model();
    cfg = cfg.withParameters(parameters.choice(m));
    Progress progress = common.progress();
    long t0;
    String engineName;
    TrainHistory history;
    Evaluation test;
    Model trained;
    try (Engine engine = common.engine(); Session s = engine.open(m)) {
      engineName = engine.name();
      o.note("training " + model + " (" + m.graph().parameterCount() + " parameters) on " + split.train()
          + ", " + engineName);
      t0 = System.nanoTime();
      history = s.train(split.train(), cfg.withAugmentation(split.augmentation()), Constraints.NONE, noValidate ? null : split.test(), progress);
      for (TrainHistory.Epoch e : history.epochs()) {
        o.note(String.format("epoch %3d  lr %.5f  loss %.4f  train %.2f%%%s  %.1fs", e.index() + 1,
            e.lr(), e.trainLoss(), 100 * e.trainTop1(),
            Double.isNaN(e.validationTop1()) ? "" : String.format("  test %.2f%%", 100 * e.validationTop1()), e.seconds()));
      }
      test = s.evaluate(split.test(), 256, Progress.NONE);
      trained = s.export().withMetadata("condense.trained", String.format(
          "data=%s epochs=%d lr=%s batch=%d seed=%d top1=%.2f", data.data, cfg.epochs(), cfg.lr(),
          cfg.batchSize(), cfg.seed(), test.top1Percent()));
    }
    OnnxWriter.write(trained, out);
    double seconds = (System.nanoTime() - t0) / 1e9;
    o.line(String.format("test top-1 %.2f%%  top-5 %.2f%%  loss %.4f  (%d samples)  -> %s  [%.1fs]",
        test.top1Percent(), test.top5Percent(), test.loss(), test.samples(), out, seconds));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("data", data.data);
    r.put("engine", engineName);
    r.put("epochs", Results.history(history));
    r.put("test", Results.evaluation(test));
    r.put("out", out.toString());
    r.put("seconds", Results.round(seconds));
    o.result(r);
    return 0;
  }
}
