package dev.condense.report;

import java.util.List;
import java.util.Map;

/**
 * One round of a structured pruning step (trim, prune-filters): channels per layer after it,
 * learnable parameters and multiply-adds per image, top-1 (fractions) right after the channels
 * went and after retraining, and — where a latency table steered the round's plan — each group's
 * tabled latency at the count it kept.
 */
public record Round(String step, int round, Map<String, Integer> channels, long params, long macs,
    double top1Pruned, double top1Retrained, List<TabledCount> tabled) {

  public Round {
    channels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(channels)); // keeps layer order
    tabled = List.copyOf(tabled);
  }

  /** A round no latency table steered. */
  public Round(String step, int round, Map<String, Integer> channels, long params, long macs, double top1Pruned,
      double top1Retrained) {
    this(step, round, channels, params, macs, top1Pruned, top1Retrained, List.of());
  }
}
