package dev.condense.cli;

import dev.condense.PerLayer;
import dev.condense.pipeline.ChannelPruning;
import dev.condense.pipeline.Step;
import java.nio.file.Path;
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
 * {@code condense channel-prune}: channel pruning through the next layer — He et al. 2017 (LASSO
 * + least squares), ThiNet (Luo et al. 2017), or the L1 and random baselines — layer by layer,
 * then fine-tuning; writes a thinner ONNX model and reports accuracy before and after
 * fine-tuning, parameters, multiply-adds and measured latency.
 */
@Command(name = "channel-prune", mixinStandardHelpOptions = true,
    description = "Prune conv channels by reconstructing the next layer from samples (He et al. 2017, ThiNet), or by L1 / random; writes a thinner ONNX model.")
final class ChannelPruneCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model: zoo name, ONNX file.")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the thinned ONNX model.")
  Path out;

  @Option(names = "--method", paramLabel = "M", required = true, description = "he, thinet, l1 or random.")
  String method;

  /** How much to keep: shares of channels, or a factor of fewer multiply-adds; exactly one. */
  static final class Amount {
    @Option(names = "--keep", paramLabel = "SPEC", required = true,
        description = "Share of channels each layer keeps: one number (0.5) or layer=value pairs (conv1=0.5,default=0.7).")
    String keep;

    @Option(names = "--speedup", paramLabel = "X", required = true,
        description = "Instead of --keep: the uniform share is chosen so the model has X times fewer multiply-adds.")
    Double speedup;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Amount amount;

  @Option(names = "--images", paramLabel = "N", defaultValue = "" + Step.ChannelPrune.IMAGES,
      description = "Training images sampled per layer (he, thinet; default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--per-image", paramLabel = "M", defaultValue = "" + Step.ChannelPrune.PER_IMAGE,
      description = "Random locations sampled per image (default: ${DEFAULT-VALUE}).")
  int perImage;

  @Option(names = "--layer-epochs", paramLabel = "N", defaultValue = "" + Step.ChannelPrune.LAYER_EPOCHS,
      description = "Fine-tuning epochs after each pruned layer, at the retraining settings (ThiNet: 1-2; default: ${DEFAULT-VALUE}).")
  int layerEpochs;

  @Option(names = "--layer-images", paramLabel = "N", defaultValue = "" + Step.ChannelPrune.LAYER_IMAGES,
      description = "Fine-tune after each layer on the next N training images instead of all of them (default: all).")
  int layerImages;

  @Option(names = "--gap-head", description = "Then replace the fully connected head by global average pooling "
      + "and one linear layer, and fine-tune again (ThiNet-GAP, Luo et al. 2017 §4.2).")
  boolean gapHead;

  @Mixin
  AlignOption align;

  @Mixin
  StructuredOptions options;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  /** A thousandfold fewer multiply-adds leaves no layer more than its floor of channels. */
  static final double MAX_SPEEDUP = 1000;
  /** Images sampled per layer: ImageNet's training set is 1.28 million. */
  static final int MAX_IMAGES = dev.condense.pipeline.Bounds.MAX_SAMPLES;
  /** Positions sampled per image: a 1,024 × 1,024 feature map has a million. */
  static final int MAX_PER_IMAGE = 1 << 20;

  @Override
  public Integer call() throws Exception {
    ChannelPruning.Method m = ChannelPruning.Method.parse(method);
    if (m == null) {
      throw new Cli.UsageError("--method must be he, thinet, l1 or random, got '" + method + "'");
    }
    String keep = amount.keep;
    Double speedup = amount.speedup;
    if (speedup != null) {
      OptionRange.check("--speedup", speedup, 1, MAX_SPEEDUP);
    }
    OptionRange.check("--images", images, 1, MAX_IMAGES);
    OptionRange.check("--per-image", perImage, 1, MAX_PER_IMAGE);
    OptionRange.epochs("--layer-epochs", layerEpochs);
    OptionRange.check("--layer-images", layerImages, 0, MAX_IMAGES);
    PerLayer<Double> k = keep == null ? PerLayer.only(Map.of()) : PruneCommand.parse(keep, "--keep", true);
    Step step = new Step.ChannelPrune(m, k, speedup == null ? 0 : speedup,
        new ChannelPruning.Sampling(images, perImage), layerEpochs, layerImages, align.value(), options.retrain());
    String title = switch (m) {
      case HE -> "Channel pruning (He et al. 2017)";
      case THINET -> "ThiNet (Luo et al. 2017)";
      case L1 -> "L1 channel pruning";
      case RANDOM -> "Random channel pruning";
    };
    List<Step> steps = gapHead ? List.of(step, new Step.GapHead(options.retrain())) : List.of(step);
    return options.run(spec, common, data, model, title + (gapHead ? "-GAP" : "") + " of " + model, steps, out);
  }
}
