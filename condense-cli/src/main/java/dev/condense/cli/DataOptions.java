package dev.condense.cli;

import dev.condense.api.Inputs;
import dev.condense.data.Preprocess;
import picocli.CommandLine.Option;

/** Which data a command trains or evaluates on, and how its samples become the model's input. */
final class DataOptions {
  @Option(names = "--data", paramLabel = "SPEC", defaultValue = "mnist",
      description = "mnist (built in, default), fashion-mnist[:DIR], cifar10:DIR, mnist:DIR, "
          + "a directory of IDX files, npz:FILE or npy:DIR (NumPy x_train, y_train, x_test, y_test; docs/data.md).")
  String data;

  @Option(names = "--limit", paramLabel = "N",
      description = "Use only the first N training and test samples (quick runs).")
  Integer limit;

  @Option(names = "--preprocess", paramLabel = "SPEC",
      description = "How samples become the model's input, e.g. unit (x/255), imagenet,resize=64,crop=56, "
          + "gray,scale=1/255,mean=0.5,std=0.5 (docs/data.md). Default: the spec stored in the model, "
          + "else the data set's own (with a warning). Stored in every model written.")
  String preprocess;

  @Option(names = "--augment", paramLabel = "SPEC",
      description = "Training-time transform, seeded: flip, crop=P (pad P, random crop), rrc=S (random resized "
          + "crop, area ≥ S), e.g. flip,crop=4. Evaluation never uses it.")
  String augment;

  @Option(names = "--calibration", paramLabel = "N",
      description = "Data-driven steps (APoZ, channel selection, sensitivity) look at a seeded sample of N images "
          + "instead of all; the count is printed.")
  Integer calibration;

  /**
   * The model and the data, read with the preprocessing the model expects; a warning on standard
   * error when that is only the data set's default.
   */
  Inputs load(String model, CommonOptions common, Output o) {
    if (limit != null && limit < 1) {
      throw new Cli.UsageError("--limit must be ≥ 1, got " + limit);
    }
    Preprocess given = preprocess == null ? null : Preprocess.parse(preprocess, "--preprocess");
    Inputs in = Inputs.load(model, common.seed, data, limit, given);
    if (calibration != null) {
      if (calibration < 1) {
        throw new Cli.UsageError("--calibration must be ≥ 1, got " + calibration);
      }
      in = new Inputs(in.name(), in.model(), in.data().withCalibration(calibration, common.seed), in.preprocess(),
          in.origin());
    }
    if (augment != null) {
      dev.condense.data.Augmentation a = dev.condense.data.Augmentation.parse(augment, "--augment");
      in = new Inputs(in.name(), in.model(), in.data().withAugmentation(a), in.preprocess(), in.origin());
    }
    if (in.warning() != null) {
      o.warn(in.warning());
    }
    return in;
  }
}
