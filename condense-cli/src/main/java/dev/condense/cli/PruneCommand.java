package dev.condense.cli;

import dev.condense.PerLayer;
import dev.condense.graph.Model;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.prune.PruningCriterion;
import dev.condense.report.PaperReference;
import dev.condense.zoo.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense prune}: magnitude pruning (Han et al. 2015) with retraining — one-shot,
 * iterative or gradual (Zhu & Gupta) — then a report and an ONNX file with exact zeros.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Prune weights by magnitude and retrain (Han et al. 2015; gradual: Zhu & Gupta 2017).")
final class PruneCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file (trained).")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the pruned ONNX model.")
  Path out;

  static final class Criterion {
    @Option(names = "--sparsity", paramLabel = "SPEC",
        description = "Target sparsity: one number for every layer (0.9), or layer=value pairs (ip1=0.92,ip2=0.91,default=0.5).")
    String sparsity;

    @Option(names = "--quality", paramLabel = "SPEC",
        description = "Han's threshold: prune |w| < quality × std of the layer; one number or layer=value pairs.")
    String quality;

    @Option(names = "--global", paramLabel = "S", description = "One magnitude threshold across all layers, for overall sparsity S.")
    Double global;

    @Option(names = "--han", description = "The per-layer sparsities of Han et al. 2015 (LeNet-300-100 and LeNet-5 only).")
    boolean han;

    @Option(names = "--target", paramLabel = "params=F",
        description = "Keep the share F of the prunable weights, per-layer sparsities chosen from each layer's "
            + "sensitivity on --calibration training images (the least accuracy any one layer loses).")
    String target;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Criterion criterion;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + Step.IterativePrune.ROUNDS,
      description = "Prune -> retrain rounds, densities shrinking geometrically to the target (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--gradual", description = "Gradual pruning: prune a little at the start of every retraining epoch (cubic schedule).")
  boolean gradual;

  @Option(names = "--retrain-epochs", paramLabel = "N", defaultValue = "" + Step.IterativePrune.RETRAIN_EPOCHS,
      description = "Retraining epochs per round (default: ${DEFAULT-VALUE}).")
  int retrainEpochs;

  @Option(names = "--retrain-lr", paramLabel = "X", description = RetrainLr.DESCRIPTION)
  Double retrainLr;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + dev.condense.engine.TrainConfig.BATCH, description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--freeze", paramLabel = "KIND", description = "Keep conv or fc layers fixed while retraining.")
  String freeze;

  @Option(names = "--remove-dead", description = "Remove neurons and channels left without inputs or outputs.")
  boolean removeDead;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--no-verify", description = "Skip the check of the written model in ONNX Runtime.")
  boolean noVerify;

  @Mixin
  DistillOption distill;

  @Mixin
  ParameterOptions parameters;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    OptionRange.rounds("--rounds", rounds);
    OptionRange.epochs("--retrain-epochs", retrainEpochs);
    if (batch < 1) {
      throw new Cli.UsageError("--batch must be ≥ 1, got " + batch);
    }
    OptionRange.lr("--retrain-lr", retrainLr);
    if (gradual && (rounds > 1 || criterion.quality != null || criterion.target != null)) {
      throw new Cli.UsageError("--gradual works with --sparsity, --global or --han, in one run (no --rounds)");
    }
    TrainSettings.Freeze fr = freeze == null ? TrainSettings.Freeze.NONE : switch (freeze) {
      case "conv" -> TrainSettings.Freeze.CONV;
      case "fc" -> TrainSettings.Freeze.FC;
      case "none" -> TrainSettings.Freeze.NONE;
      default -> throw new Cli.UsageError("--freeze must be conv, fc or none, got '" + freeze + "'");
    };
    TrainSettings retrain = distill.apply(TrainSettings.defaults().withEpochs(retrainEpochs).withLr(retrainLr)
        .withBatch(batch).withFreeze(fr));
    List<Step> steps = new ArrayList<>();
    if (criterion.quality != null) {
      // Han's quality thresholds: each round prunes what falls below quality × σ of the survivors.
      PruningCriterion c = new PruningCriterion.Quality(parse(criterion.quality, "--quality", false));
      for (int r = 0; r < rounds; r++) {
        steps.add(new Step.Prune(c));
        steps.add(new Step.Train(retrain));
      }
    } else if (criterion.target != null) {
      dev.condense.plan.Target t = dev.condense.plan.Target.parse(criterion.target, "--target");
      if (t.measure() != dev.condense.plan.Measure.Kind.PARAMS) {
        throw new Cli.UsageError("--target " + criterion.target + ": prune writes float weights and meets params=F; "
            + "for a size target use compress --method deep-compression --target size=F");
      }
      steps.add(new Step.AllocatePrune(t, 0, 0, 0, Step.AllocatePrune.SAMPLES, rounds, retrain));
    } else if (criterion.global != null) {
      double g = fraction(criterion.global, "--global");
      steps.add(gradual ? new Step.GradualPrune(PerLayer.all(g), retrain, true)
          : new Step.IterativePrune(PerLayer.all(g), rounds, retrain, true));
    } else {
      PerLayer<Double> s = criterion.han ? han() : parse(criterion.sparsity, "--sparsity", true);
      steps.add(gradual ? new Step.GradualPrune(s, retrain, false) : new Step.IterativePrune(s, rounds, retrain, false));
    }
    if (removeDead) {
      steps.add(new Step.RemoveDeadNeurons());
    }
    return CompressionRun.run(new Output(spec.commandLine(), common), common, data, model,
        "Magnitude pruning of " + model, steps,
        dev.condense.engine.ParameterChoice.NONE, parameters, out, report, !noVerify, dev.condense.format.CdzFile.Options.defaults());
  }

  private PerLayer<Double> han() {
    Model m = ModelSource.load(model, common.seed, common.memoryLimit());
    Map<String, Double> s = PaperReference.han2015Sparsity(m.graph().name());
    if (s == null) {
      throw new Cli.UsageError("--han: Han et al. 2015 give per-layer numbers for lenet-300-100 and lenet-5 only, this model is '"
          + m.graph().name() + "'");
    }
    return PerLayer.only(s);
  }

  static double fraction(double v, String option) {
    if (!(v >= 0 && v < 1)) {
      throw new Cli.UsageError(option + " must be in [0, 1), got " + v);
    }
    return v;
  }

  /** "0.9" or "ip1=0.92,ip2=0.91,default=0.5"; with {@code fractions}, every value must be in [0, 1). */
  static PerLayer<Double> parse(String spec, String option, boolean fractions) {
    try {
      if (!spec.contains("=")) {
        return PerLayer.all(fractions ? fraction(Double.parseDouble(spec), option) : Double.parseDouble(spec));
      }
      Map<String, Double> m = new LinkedHashMap<>();
      Double dflt = null;
      for (String part : spec.split(",")) {
        String[] kv = part.split("=", 2);
        if (kv.length != 2 || kv[0].isBlank()) {
          throw new NumberFormatException(part);
        }
        double v = Double.parseDouble(kv[1]);
        if (fractions) {
          fraction(v, option + " " + kv[0]);
        }
        if (kv[0].strip().equals("default")) {
          dflt = v;
        } else {
          m.put(kv[0].strip(), v);
        }
      }
      return new PerLayer<>(m, dflt);
    } catch (NumberFormatException e) {
      throw new Cli.UsageError(option + ": expected a number or layer=number pairs separated by commas, got '" + spec + "'");
    }
  }
}
