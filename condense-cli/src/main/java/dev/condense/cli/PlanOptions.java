package dev.condense.cli;

import dev.condense.plan.ChannelFloor;
import dev.condense.plan.Criterion;
import dev.condense.plan.LatencyTableSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a structured target is planned, for the commands that take {@code --target macs=F}
 * ({@code prune-filters}, {@code compress}): the ranking criterion, each layer's floor, and
 * whether a per-layer latency table steers the kept counts.
 */
final class PlanOptions {
  @Option(names = "--criterion", paramLabel = "NAME", defaultValue = "l2",
      description = "With a macs, params or latency --target: how channels are ranked: l1 (filter L1 norm), l2 (every weight "
          + "the channel owns), apoz (1 - APoZ on --calibration samples), taylor (|sum of gradient x weight| on "
          + "--calibration samples), reconstruction (next Convs' output error without it, sampled on --calibration "
          + "images) (default: ${DEFAULT-VALUE}).")
  String criterion;

  @Option(names = "--min-keep", paramLabel = "F", defaultValue = "0.1",
      description = "With a macs, params or latency --target: every layer keeps at least this share of its channels "
          + "(default: ${DEFAULT-VALUE}).")
  double minKeep;

  @Option(names = "--min-channels", paramLabel = "N", defaultValue = "1",
      description = "With a macs, params or latency --target: every layer keeps at least N channels (default: ${DEFAULT-VALUE}).")
  int minChannels;

  @Option(names = "--latency-table",
      description = "With a macs, params or latency --target: time every layer of each prunable group in ONNX Runtime at "
          + "each channel count the plan may keep (one-layer models, --threads, --latency-batch), and move each kept "
          + "count up to the fastest count at or above it, up to the next multiple of 16, when the table says it is "
          + "faster; the plan still meets the target (other channels go instead). Cached per model, threads and batch "
          + "in --latency-cache.")
  boolean latencyTable;

  @Option(names = "--latency-batch", paramLabel = "N",
      description = "With --latency-table: the batch the layers are timed at (default: 1; a fixed-batch model: its own).")
  Integer latencyBatch;

  @Option(names = "--latency-cache", paramLabel = "DIR",
      description = "With --latency-table: where the layer timings are kept (default: $XDG_CACHE_HOME/condense/latency "
          + "or ~/.cache/condense/latency).")
  Path latencyCache;

  /** The validated criterion. */
  Criterion criterion() {
    Criterion c = Criterion.parse(criterion);
    if (c == null) {
      throw new Cli.UsageError("--criterion must be one of " + Criterion.keys() + ", got '" + criterion + "'");
    }
    return c;
  }

  /** The latency table the plan asks for (null: --latency-table not given), checked. */
  LatencyTableSpec latencyTable() {
    if (!latencyTable) {
      if (latencyBatch != null || latencyCache != null) {
        throw new Cli.UsageError((latencyBatch != null ? "--latency-batch" : "--latency-cache") + " goes with --latency-table");
      }
      return null;
    }
    int batch = latencyBatch == null ? LatencyTableSpec.BATCH : latencyBatch;
    OptionRange.check("--latency-batch", batch, 1, dev.condense.pipeline.Bounds.MAX_BATCH);
    return new LatencyTableSpec(batch, LatencyTableSpec.REACH, latencyCache == null ? defaultCache() : latencyCache);
  }

  /** Where latency tables are cached unless --latency-cache says otherwise: the user's cache directory. */
  static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("condense").resolve("latency");
  }

  /** The validated floor, kept counts rounded to multiples of {@code align}. */
  ChannelFloor floor(int align) {
    OptionRange.check("--min-keep", minKeep, 0, 1);
    OptionRange.check("--min-channels", minChannels, 1, 1 << 20);
    OptionRange.check("--align", align, 1, AlignOption.MAX_ALIGN);
    return new ChannelFloor(minKeep, minChannels, align);
  }
}
