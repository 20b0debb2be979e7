package dev.condense.report;

import java.util.Map;

/**
 * One round of a structured pruning step (trim, prune-filters): channels per layer after it,
 * learnable parameters and multiply-adds per image, top-1 (fractions) right after the channels
 * went and after retraining.
 */
public record Round(String step, int round, Map<String, Integer> channels, long params, long macs,
    double top1Pruned, double top1Retrained) {

  public Round {
    channels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(channels)); // keeps layer order
  }
}
