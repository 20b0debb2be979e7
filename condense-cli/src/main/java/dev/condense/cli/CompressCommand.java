package dev.condense.cli;

import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.RecipeReader;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.PerLayer;
import dev.condense.format.CdzFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code condense compress --recipe r.yaml MODEL}: runs a recipe's steps and reports every stage. */
@Command(name = "compress", mixinStandardHelpOptions = true,
    description = "Run a compression recipe (YAML: train, prune, iterative-prune, gradual-prune, remove-dead-neurons).")
final class CompressCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file.")
  String model;

  /** What to run: a recipe file or a built-in method, exactly one. */
  static final class What {
    @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "The recipe (see recipes/).")
    Path recipe;

    @Option(names = "--method", paramLabel = "M", required = true,
        description = "A built-in method instead of a recipe: deep-compression (prune, quantize + fine-tune; write .cdz).")
    String method;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  What what;

  @Option(names = "--sparsity", paramLabel = "SPEC",
      description = "deep-compression: per-layer sparsity (default for lenet-300-100 and lenet-5: Han et al. 2015's).")
  String sparsity;

  @Option(names = "--target", paramLabel = "KIND=F",
      description = "Compress to a target, no per-layer numbers: macs=F, params=F or latency=F (structured: channels "
          + "of every layer ranked together, removed for real, fine-tuned; latency timed in ONNX Runtime at batch 64 "
          + "and --threads, on a quiet machine), size=F (Deep Compression: per-layer sparsities "
          + "from sensitivity on training images, size=0.025 is 40x smaller).")
  String target;

  @Option(names = "--max-drop", paramLabel = "POINTS",
      description = "With a macs, params or latency --target: the top-1 points the model may lose on the validation set; a "
          + "round that loses more is undone and the best model within the drop is written.")
  Double maxDrop;

  @Option(names = "--validation", paramLabel = "N",
      description = "With --max-drop: training samples held out to measure the drop (default: a tenth, at most 5000).")
  Integer validation;

  @Mixin
  PlanOptions plan;

  @Option(names = "--align", paramLabel = "N", defaultValue = "8",
      description = "With a macs, params or latency --target: kept channel counts are multiples of N, as ONNX Runtime's fast "
          + "blocked kernels want (default: ${DEFAULT-VALUE}; 1: exact).")
  int align;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "deep-compression: prune/retrain rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--retrain-epochs", paramLabel = "N", defaultValue = "10", description = "deep-compression: retraining epochs per round (default: ${DEFAULT-VALUE}).")
  int retrainEpochs;

  @Option(names = "--retrain-lr", paramLabel = "X", defaultValue = "0.001", description = "deep-compression: retraining rate (default: ${DEFAULT-VALUE}).")
  double retrainLr;

  @Option(names = "--quantize-epochs", paramLabel = "N", defaultValue = "5", description = "deep-compression: centroid fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  int quantizeEpochs;

  @Option(names = "--quantize-lr", paramLabel = "X", defaultValue = "0.0001", description = "deep-compression: centroid fine-tuning rate (default: ${DEFAULT-VALUE}).")
  double quantizeLr;

  @Option(names = "--fc-bits", paramLabel = "B", defaultValue = "" + Step.Quantize.FC_BITS, description = "deep-compression: bits per shared FC weight (default: ${DEFAULT-VALUE}).")
  int fcBits;

  @Option(names = "--conv-bits", paramLabel = "B", defaultValue = "" + Step.Quantize.CONV_BITS, description = "deep-compression: bits per shared conv weight (default: ${DEFAULT-VALUE}).")
  int convBits;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the compressed ONNX model.")
  Path out;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--int8-out", paramLabel = "FILE.onnx",
      description = "Also write the final model as INT8 ONNX (QDQ, min-max calibration) for ONNX Runtime's integer "
          + "kernels, checked there: the --out file for size (.cdz), this one for speed.")
  Path int8Out;

  @Option(names = "--no-verify", description = "Skip reading the written model back (ONNX Runtime or the .cdz runtime) to compare predictions.")
  boolean noVerify;

  @Option(names = "--gap-bits", paramLabel = "B", defaultValue = "5",
      description = ".cdz: bits per relative index (default: ${DEFAULT-VALUE}, the paper's), or auto (smallest per layer).")
  String gapBits;

  CdzFile.Options cdzOptions() {
    if (gapBits.equals("auto")) {
      return new CdzFile.Options(0, java.util.Map.of(), CdzFile.Stage.PQH);
    }
    try {
      int b = Integer.parseInt(gapBits);
      if (b >= 1 && b <= 12) {
        return new CdzFile.Options(b, java.util.Map.of(), CdzFile.Stage.PQH);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Cli.UsageError("--gap-bits must be 1..12 or auto, got '" + gapBits + "'");
  }

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
    if (what == null && target == null) {
      throw new Cli.UsageError("give --recipe FILE, --method M or --target KIND=F (macs, params, latency or size)");
    }
    Path recipe = what == null ? null : what.recipe;
    String method = what == null ? null : what.method;
    if (maxDrop != null && (!(maxDrop >= 0 && maxDrop <= 100))) {
      throw new Cli.UsageError("--max-drop must be in [0, 100] points, got " + maxDrop);
    }
    if ((maxDrop != null || validation != null) && (target == null || recipe != null)) {
      throw new Cli.UsageError("--max-drop and --validation go with a macs, params or latency --target");
    }
    boolean table = plan.latencyTable || plan.latencyBatch != null || plan.latencyCache != null;
    if (table && (recipe != null || method != null)) {
      throw new Cli.UsageError("--latency-table, --latency-batch and --latency-cache go with a macs, params or latency "
          + "--target (in a recipe: "
          + "'latency-table: true' on its prune-to-target step)");
    }
    Output o = new Output(spec.commandLine(), common);
    if (recipe != null) {
      if (distill.value() != null) {
        throw new Cli.UsageError("--distill goes with --method; in a recipe, give 'distill' on its training steps");
      }
      Recipe r = RecipeReader.read(recipe);
      if (data.preprocess == null) {
        data.preprocess = r.preprocess(); // --preprocess overrides the recipe's
      }
      if (data.augment == null) {
        data.augment = r.augment();
      }
      return CompressionRun.run(o, common, data, model, "Recipe " + r.name() + " on " + model, r.steps(), r.parameters(),
          parameters, out, report,
          !noVerify, cdzOptions(), int8Out);
    }
    if (method == null) {
      dev.condense.plan.Target t = dev.condense.plan.Target.parse(target, "--target");
      if (t.measure() == dev.condense.plan.Measure.Kind.SIZE) {
        if (table) {
          throw new Cli.UsageError("--latency-table goes with a macs, params or latency --target; size=F prunes weights, not channels");
        }
        method = "deep-compression";
      } else {
        return structured(o, t);
      }
    }
    if (maxDrop != null) {
      throw new Cli.UsageError("--max-drop goes with a macs, params or latency --target (Deep Compression retrains to its own end)");
    }
    if (!method.equals("deep-compression")) {
      throw new Cli.UsageError("--method: unknown method '" + method + "' (known: deep-compression)");
    }
    checkRetraining();
    OptionRange.epochs("--quantize-epochs", quantizeEpochs);
    OptionRange.lr("--quantize-lr", quantizeLr);
    OptionRange.check("--fc-bits", fcBits, 1, 16);
    OptionRange.check("--conv-bits", convBits, 1, 16);
    TrainSettings retrain = distill.apply(TrainSettings.defaults().withEpochs(retrainEpochs).withLr(retrainLr));
    TrainSettings fine = distill.apply(TrainSettings.defaults().withEpochs(quantizeEpochs).withLr(quantizeLr)
        .withWeightDecay(0));
    Step prune;
    if (sparsity != null && target != null) {
      throw new Cli.UsageError("deep-compression: give --sparsity (per layer) or --target (one size), not both");
    } else if (target != null) {
      dev.condense.plan.Target t = dev.condense.plan.Target.parse(target, "--target");
      if (t.measure() != dev.condense.plan.Measure.Kind.SIZE && t.measure() != dev.condense.plan.Measure.Kind.PARAMS) {
        throw new Cli.UsageError("--target " + target + ": deep-compression meets size=F or params=F");
      }
      // With --gap-bits auto the writer picks each weight's width; the plan estimates with the default.
      int gap = cdzOptions().gapBits() > 0 ? cdzOptions().gapBits() : CdzFile.Options.defaults().gapBits();
      prune = new Step.AllocatePrune(t, convBits, fcBits, gap, Step.AllocatePrune.SAMPLES, rounds, retrain);
    } else {
      PerLayer<Double> s;
      if (sparsity != null) {
        s = PruneCommand.parse(sparsity, "--sparsity", true);
      } else {
        java.util.Map<String, Double> han = dev.condense.report.PaperReference.han2015Sparsity(
            dev.condense.zoo.ModelSource.load(model, common.seed).graph().name());
        if (han == null) {
          throw new Cli.UsageError("deep-compression needs --target size=F (per-layer sparsities from sensitivity) or "
              + "--sparsity for this model (Han et al.'s own numbers exist for the LeNets only)");
        }
        s = PerLayer.only(han);
      }
      prune = new Step.IterativePrune(s, rounds, retrain, false);
    }
    java.util.List<Step> steps = java.util.List.of(prune,
        new Step.Quantize(java.util.Map.of(), convBits, fcBits, Step.Quantize.INIT, fine));
    return CompressionRun.run(o, common, data, model, "Deep Compression of " + model, steps,
        dev.condense.engine.ParameterChoice.NONE, parameters, out, report, !noVerify,
        cdzOptions(), int8Out);
  }

  /**
   * A macs, params or latency target: the global plan, in {@code --rounds} rounds, each fine-tuned (with
   * distillation when asked), stopping at the last round within {@code --max-drop} on a held-out
   * validation set; then the thinned ONNX model, verified in ONNX Runtime, and its report.
   */
  private int structured(Output o, dev.condense.plan.Target t) throws Exception {
    if (sparsity != null) {
      throw new Cli.UsageError("--sparsity goes with --method deep-compression; a " + t.measure().key()
          + " target removes channels");
    }
    dev.condense.plan.Criterion c = plan.criterion();
    dev.condense.plan.ChannelFloor floor = plan.floor(align);
    checkRetraining();
    if (validation != null && validation < 1) {
      throw new Cli.UsageError("--validation must be ≥ 1, got " + validation);
    }
    if (maxDrop != null) {
      data.validation = validation == null ? -1 : validation;
    }
    TrainSettings retrain = distill.apply(TrainSettings.defaults().withEpochs(retrainEpochs).withLr(retrainLr));
    Step step = new Step.PruneToTarget(t, c, floor, rounds,
        Step.PruneToTarget.SAMPLES, maxDrop == null ? Double.NaN : maxDrop / 100, retrain, plan.latencyTable());
    return CompressionRun.run(o, common, data, model, "Compression of " + model + " to " + t, java.util.List.of(step),
        dev.condense.engine.ParameterChoice.NONE, parameters, out, report, !noVerify, cdzOptions(), int8Out);
  }

  /** --rounds, --retrain-epochs and --retrain-lr, each in its range. */
  private void checkRetraining() {
    OptionRange.rounds("--rounds", rounds);
    OptionRange.epochs("--retrain-epochs", retrainEpochs);
    OptionRange.lr("--retrain-lr", retrainLr);
  }
}
