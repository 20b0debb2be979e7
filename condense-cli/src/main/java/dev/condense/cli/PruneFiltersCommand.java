package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.pipeline.Step;
import dev.condense.plan.ChannelFloor;
import dev.condense.plan.Criterion;
import dev.condense.plan.Measure;
import dev.condense.plan.Target;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense prune-filters}: Li et al. 2017's L1-norm filter pruning — whole filters, their
 * feature maps, BatchNorm entries and the next layers' kernels removed for real — then retraining;
 * writes a smaller dense ONNX model and reports parameters, multiply-adds and measured latency.
 */
@Command(name = "prune-filters", mixinStandardHelpOptions = true,
    description = "Remove the conv filters of smallest L1 norm and retrain (Li et al. 2017); writes a thinner ONNX model.")
final class PruneFiltersCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model: zoo name, ONNX file.")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the thinned ONNX model.")
  Path out;

  @Option(names = "--ratio", paramLabel = "SPEC",
      description = "Share of filters to remove: one number for every conv layer (0.3), or layer=value pairs "
          + "(conv1=0.5,conv8=0.5,default=0.2); layers are named by their Conv node.")
  String ratio;

  @Option(names = "--target", paramLabel = "KIND=F",
      description = "Instead of --ratio: the share of the original to keep, macs=F, params=F or latency=F (macs=0.5: 2x "
          + "fewer multiply-adds; latency: timed in ONNX Runtime at batch 64 and --threads, on a quiet machine); the "
          + "channels of all layers are ranked together and the fewest that meet it go.")
  String target;

  @Mixin
  PlanOptions plan;

  @Option(names = "--greedy", description = "Greedy selection: ignore kernels reading maps already removed (Li §3.2).")
  boolean greedy;

  @Option(names = "--streams", description = "Also prune residual streams (scored by their projection shortcuts), "
      + "not only the first layer of each block.")
  boolean streams;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + Step.PruneFilters.ROUNDS, description = "Prune → retrain rounds (default: ${DEFAULT-VALUE}: one shot).")
  int rounds;

  @Mixin
  AlignOption align;

  @Mixin
  StructuredOptions options;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    OptionRange.rounds("--rounds", rounds);
    if ((ratio == null) == (target == null)) {
      throw new Cli.UsageError("give either --ratio (per-layer shares) or --target (one budget for the model)");
    }
    if (ratio != null && plan.latencyTable) {
      throw new Cli.UsageError("--latency-table goes with --target (with --ratio every layer's share is given)");
    }
    Step step = target != null ? targetStep()
        : new Step.PruneFilters(PruneCommand.parse(ratio, "--ratio", true), greedy, streams, rounds, align.value(), options.retrain());
    try {
      return options.run(spec, common, data, model, "L1 filter pruning of " + model, step, out);
    } catch (CondenseException e) {
      if (!streams && e.getMessage().contains("allow streams")) {
        throw new CondenseException(e.getMessage() + " (--streams)", e);
      }
      if (e.getMessage().contains("rounds are more than")) {
        throw new CondenseException(e.getMessage() + " (--rounds)", e);
      }
      throw e;
    }
  }

  private Step targetStep() {
    if (greedy || streams) {
      throw new Cli.UsageError("--greedy and --streams apply to --ratio; with --target every prunable group, "
          + "residual streams included, is ranked together");
    }
    Criterion c = plan.criterion();
    ChannelFloor floor = plan.floor(align.value());
    Target t = Target.parse(target, "--target");
    if (t.measure() == Measure.Kind.SIZE) {
      throw new Cli.UsageError("--target " + target + ": prune-filters meets macs, params or latency targets "
          + "(size: compress --target size=F)");
    }
    return new Step.PruneToTarget(t, c, floor, rounds,
        Step.PruneToTarget.SAMPLES, Double.NaN, options.retrain(), plan.latencyTable());
  }
}
