package dev.condense.cli;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.report.ModelSummary;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code condense demo}: the built-in default job, offline — trains LeNet-300-100 on the 10,000
 * MNIST digits shipped inside Condense and reports accuracy and model size.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo offline: LeNet-300-100 on the bundled MNIST digits.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "condense-demo",
      description = "Directory for the demo's models (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (epochs < 1) {
      throw new Cli.UsageError("--epochs must be ≥ 1, got " + epochs);
    }
    Output o = new Output(spec.commandLine().getOut(), common);
    Files.createDirectories(outDir);
    DataSplit data = DataSources.builtInMnist();
    Model model = Zoo.create("lenet-300-100", common.seed);
    Engine engine = common.engine();
    Progress progress = common.progress();
    o.note("Condense demo: LeNet-300-100 on " + data.train() + " / " + data.test() + ", " + engine.name());
    TrainConfig cfg = new TrainConfig(epochs, 64, 0.05, 0.9, 5e-4, new LrSchedule.Cosine(0), common.seed);
    long t0 = System.nanoTime();
    Evaluation test;
    Model trained;
    try (Session s = engine.open(model)) {
      TrainHistory h = s.train(data.train(), cfg, Constraints.NONE, null, progress);
      test = s.evaluate(data.test(), 256, Progress.NONE);
      trained = s.export();
      o.note(String.format("trained %d epochs in %.1fs, final training loss %.4f", epochs,
          (System.nanoTime() - t0) / 1e9, h.last().trainLoss()));
    }
    Path file = outDir.resolve("lenet-300-100.onnx");
    OnnxWriter.write(trained, file);
    ModelSummary sum = ModelSummary.of(trained);
    o.line(String.format("LeNet-300-100: test top-1 %.2f%% on %d digits; %d parameters, ONNX file %d bytes (%s)",
        test.top1Percent(), test.samples(), sum.params(), Files.size(file), file));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", "lenet-300-100");
    r.put("test", Results.evaluation(test));
    r.put("params", sum.params());
    r.put("onnx_bytes", Files.size(file));
    r.put("out", file.toString());
    o.result(r);
    return 0;
  }
}
