package dev.condense.cli;

import dev.condense.plan.ChannelFloor;
import dev.condense.plan.Criterion;
import picocli.CommandLine.Option;

/**
 * How a structured target is planned, for the commands that take {@code --target macs=F}
 * ({@code prune-filters}, {@code compress}): the ranking criterion and each layer's floor.
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

  /** The validated criterion. */
  Criterion criterion() {
    Criterion c = Criterion.parse(criterion);
    if (c == null) {
      throw new Cli.UsageError("--criterion must be one of " + Criterion.keys() + ", got '" + criterion + "'");
    }
    return c;
  }

  /** The validated floor, kept counts rounded to multiples of {@code align}. */
  ChannelFloor floor(int align) {
    OptionRange.check("--min-keep", minKeep, 0, 1);
    OptionRange.check("--min-channels", minChannels, 1, 1 << 20);
    OptionRange.check("--align", align, 1, AlignOption.MAX_ALIGN);
    return new ChannelFloor(minKeep, minChannels, align);
  }
}
