package dev.condense.plan;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The built-in {@link ChannelImportance} criteria by name, for recipes and the command line. */
public enum Criterion {
  /** Li et al. 2017: L1 norm of the producing filters. */
  L1(false),
  /** Torch-Pruning's group magnitude: L2 norm of every weight slice the channel owns. */
  L2(false),
  /** Hu et al. 2016: 1 − APoZ after the channel's ReLU, measured on calibration samples. */
  APOZ(true),
  /** Molchanov et al. 2019: |Σ g·w| of the channel's weights, averaged over calibration batches. */
  TAYLOR(true),
  /** He et al. 2017 / Luo et al. 2017 (ThiNet): the next layer's reconstruction error without the channel. */
  RECONSTRUCTION(true);

  private final boolean needsData;

  Criterion(boolean needsData) {
    this.needsData = needsData;
  }

  /** Whether the criterion measures activations (needs an engine and samples). */
  public boolean needsData() {
    return needsData;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The criterion called {@code key} (any case), or null. */
  public static Criterion parse(String key) {
    return Arrays.stream(values()).filter(c -> c.key().equalsIgnoreCase(key)).findFirst().orElse(null);
  }

  /** All keys, for messages: "l1, l2, apoz, taylor, reconstruction". */
  public static String keys() {
    return Arrays.stream(values()).map(Criterion::key).collect(Collectors.joining(", "));
  }

  /**
   * The importance this criterion computes ({@code engine} and {@code samples} only for those that
   * {@link #needsData}; {@code seed} draws Taylor's dropout and the reconstruction's sampled locations).
   */
  public ChannelImportance importance(Engine engine, Dataset samples, long seed, Progress progress) {
    return switch (this) {
      case L1 -> ChannelImportance.l1();
      case L2 -> ChannelImportance.l2();
      case APOZ -> ChannelImportance.apoz(engine, samples, progress);
      case TAYLOR -> ChannelImportance.taylor(engine, samples, dev.condense.engine.TrainConfig.BATCH, seed, progress);
      case RECONSTRUCTION -> ChannelImportance.reconstruction(engine, samples, seed, progress);
    };
  }
}
