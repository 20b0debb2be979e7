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

  @Option(names = "--skip-bad", description = "Image folders: leave unreadable, corrupt or wrongly sized images out "
      + "(counted and listed on standard error) instead of stopping at the first.")
  boolean skipBad;

  @Option(names = "--calibration", paramLabel = "N",
      description = "Data-driven steps (APoZ, channel selection, sensitivity) look at a seeded sample of N images "
          + "instead of all; the count is printed.")
  Integer calibration;

  /**
   * Training samples held out for decisions on accuracy (set by the command, not an option of its
   * own here): 0 none, -1 a tenth of the training set (at most {@link #MAX_DEFAULT_VALIDATION}).
   */
  int validation;

  static final int MAX_DEFAULT_VALIDATION = 5000;

  /**
   * The model and the data, read with the preprocessing the model expects; a warning on standard
   * error when that is only the data set's default.
   */
  Inputs load(String model, CommonOptions common, Output o) {
    if (limit != null && limit < 1) {
      throw new Cli.UsageError("--limit must be ≥ 1, got " + limit);
    }
    Preprocess given = preprocess == null ? null : Preprocess.parse(preprocess, "--preprocess");
    String spec = skipBad ? withSkipBad(data) : data;
    Inputs in = Inputs.load(model, common.seed, spec, limit, given, common.memoryLimit());
    for (dev.condense.data.Dataset d : new dev.condense.data.Dataset[] {in.data().train(), in.data().test()}) {
      if (d instanceof dev.condense.data.FolderSet f && !f.skipped().isEmpty()) {
        o.warn(f.name() + ": skipped " + f.skipped().size() + " bad image" + (f.skipped().size() == 1 ? "" : "s")
            + " (--skip-bad), e.g. " + f.skipped().get(0));
      }
    }
    if (calibration != null) {
      if (calibration < 1) {
        throw new Cli.UsageError("--calibration must be ≥ 1, got " + calibration);
      }
      if (calibration > in.data().train().size()) {
        throw new Cli.UsageError("--calibration " + calibration + " is more than the " + in.data().train().size()
            + " samples of " + in.data().train().name());
      }
      in = new Inputs(in.name(), in.model(), in.data().withCalibration(calibration, common.seed), in.preprocess(),
          in.origin());
    }
    if (validation != 0) {
      int n = validation > 0 ? validation : Math.max(1, Math.min(MAX_DEFAULT_VALIDATION, in.data().train().size() / 10));
      if (n >= in.data().train().size()) {
        throw new Cli.UsageError("--validation " + n + " must be smaller than the " + in.data().train().size()
            + " training samples");
      }
      in = new Inputs(in.name(), in.model(), in.data().withValidation(n, common.seed), in.preprocess(), in.origin());
      o.note("validation: " + in.data().validation().name());
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

  /** {@code --skip-bad} as the folder spec's own option; other data has no bad images to skip. */
  private static String withSkipBad(String data) {
    boolean folder = data.startsWith("folder:") || (!data.contains(":") && java.nio.file.Files.isDirectory(
        java.nio.file.Path.of(data).resolve("train")));
    if (!folder) {
      throw new Cli.UsageError("--skip-bad applies to image folders (folder:DIR), not to " + data);
    }
    String dir = data.startsWith("folder:") ? data : "folder:" + data;
    return dir.endsWith(",skip-bad") ? dir : dir + ",skip-bad";
  }
}
