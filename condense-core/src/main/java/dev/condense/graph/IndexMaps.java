package dev.condense.graph;

/**
 * Flat source indices for ops that copy elements (Slice, Pad, Transpose): for every element of
 * the output, in row-major order, the input element it copies, or -1 for a fill value. Shared by
 * the engine's kernel and load-time constant folding, so both compute the same op.
 */
public final class IndexMaps {
  private IndexMaps() {}

  /** How one axis maps an output index to an input index (-1: fill). */
  @FunctionalInterface
  public interface AxisMap {
    int source(int axis, int outIndex, int inDim);
  }

  /** The source map of an op that maps every axis independently. */
  public static int[] of(int[] inShape, int[] outShape, AxisMap axisMap) {
    int rank = outShape.length;
    long size = Tensor.numel(outShape);
    int[] map = new int[Math.toIntExact(size)];
    int[] idx = new int[rank];
    for (int o = 0; o < map.length; o++) {
      int src = 0;
      boolean inside = true;
      for (int a = 0; a < rank; a++) {
        int i = axisMap.source(a, idx[a], inShape[a]);
        if (i < 0) {
          inside = false;
          break;
        }
        src = src * inShape[a] + i;
      }
      map[o] = inside ? src : -1;
      for (int a = rank - 1; a >= 0 && ++idx[a] == outShape[a]; a--) {
        idx[a] = 0;
      }
    }
    return map;
  }

  /**
   * The source map of Tile and Expand: the input, right-aligned to the output's rank (missing
   * leading axes of length 1), repeats along every axis (output index modulo the input's length),
   * which both broadcasts axes of length 1 and tiles whole axes.
   */
  public static int[] repeat(int[] inShape, int[] outShape) {
    int[] padded = new int[outShape.length];
    java.util.Arrays.fill(padded, 1);
    System.arraycopy(inShape, 0, padded, outShape.length - inShape.length, inShape.length);
    return of(padded, outShape, (axis, o, dim) -> o % dim);
  }
}
