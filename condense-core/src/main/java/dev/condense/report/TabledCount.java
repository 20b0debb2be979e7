package dev.condense.report;

/**
 * One group of a plan steered by a latency table: its channels, the count the ranking kept, the
 * count kept after the table's move (equal where nothing moved), and the table's milliseconds at
 * full width, at the ranked count and at the kept one (the sum of the group's one-layer times).
 */
public record TabledCount(String group, int size, int ranked, int kept, double fullMs, double rankedMs, double keptMs) {}
