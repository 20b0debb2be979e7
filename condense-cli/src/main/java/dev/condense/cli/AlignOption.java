package dev.condense.cli;

import picocli.CommandLine.Option;

/** {@code --align N} of the commands that remove channels: kept counts rounded to multiples of N. */
final class AlignOption {
  @Option(names = "--align", paramLabel = "N", defaultValue = "" + dev.condense.pipeline.Step.ALIGN,
      description = "Round each layer's kept channel count to a multiple of N; 8 (AVX2) or 16 (AVX-512) lets "
          + "ONNX Runtime run the thinned convolutions in its fast blocked kernels (default: ${DEFAULT-VALUE}: exact).")
  int align;

  /** The largest multiple: no layer of the zoo, nor of common ImageNet networks, has more than 4,096 channels. */
  static final int MAX_ALIGN = dev.condense.pipeline.Bounds.MAX_ALIGN;

  /** The validated multiple. */
  int value() {
    OptionRange.check("--align", align, 1, MAX_ALIGN);
    return align;
  }
}
