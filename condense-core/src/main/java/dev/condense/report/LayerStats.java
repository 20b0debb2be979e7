package dev.condense.report;

/**
 * One layer of a model as {@code condense info} and the compression reports show it: the node,
 * its op, its output shape for one sample, its parameters (all float initializers it reads),
 * how many of them are non-zero, multiply-accumulates per sample, and the bytes its parameters
 * take as dense float32.
 */
public record LayerStats(String name, String op, int[] outputShape, long params, long nonzeros,
    long macs, long bytes) {

  /** Share of parameters that are non-zero (1 for a layer without parameters). */
  public double density() {
    return params == 0 ? 1 : (double) nonzeros / params;
  }
}
