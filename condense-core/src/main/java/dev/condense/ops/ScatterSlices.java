package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.Arrays;

/**
 * Where one ONNX ScatterND node writes, for a data shape and constant indices: the flat offset in
 * the data of each of the index tuples' slices and the slice length. Constant folding and the
 * engine's kernel share it, so they cannot disagree. Per the spec (ScatterND-11, §"reduction"
 * of -16/-18) the node overwrites ({@code none}) or adds ({@code add}); {@code mul}, {@code max}
 * and {@code min} are refused naming the node. The spec leaves duplicate indices with
 * {@code none} undefined: they are refused too, rather than silently following one order.
 */
public final class ScatterSlices {
  private final int[] offsets;
  private final int sliceSize;
  private final boolean adds;

  private ScatterSlices(int[] offsets, int sliceSize, boolean adds) {
    this.offsets = offsets;
    this.sliceSize = sliceSize;
    this.adds = adds;
  }

  /** Whether the node adds its updates (reduction "add") rather than writing them ("none"); others refused. */
  public static boolean adds(Node n) {
    String r = n.stringAttr("reduction", "none");
    return switch (r) {
      case "none" -> false;
      case "add" -> true;
      default -> throw new CondenseException("node " + n.label() + ": ScatterND reduction '" + r
          + "' is not supported (Condense supports none and add)");
    };
  }

  /**
   * The slices node {@code n} scatters into data of shape {@code data} at {@code indices}
   * (int64, last axis of length k ≤ rank, each in [-dim, dim) as ONNX Runtime accepts).
   */
  public static ScatterSlices of(Node n, int[] data, Tensor indices) {
    boolean adds = adds(n);
    int[] is = indices.shape();
    int k = is[is.length - 1];
    int slice = 1;
    for (int a = k; a < data.length; a++) {
      slice *= data[a];
    }
    long[] idx = indices.toLongs();
    int count = idx.length / Math.max(k, 1);
    int[] offsets = new int[count];
    for (int j = 0; j < count; j++) {
      long flat = 0;
      for (int a = 0; a < k; a++) {
        long v = idx[j * k + a];
        long i = v < 0 ? v + data[a] : v;
        if (i < 0 || i >= data[a]) {
          throw new CondenseException("node " + n.label() + ": ScatterND index " + v + " out of range for axis "
              + a + " of size " + data[a]);
        }
        flat = flat * data[a] + i;
      }
      offsets[j] = Math.toIntExact(flat * slice);
    }
    if (!adds) {
      int[] sorted = offsets.clone();
      Arrays.sort(sorted);
      for (int j = 1; j < sorted.length; j++) {
        if (sorted[j] == sorted[j - 1]) {
          throw new CondenseException("node " + n.label() + ": ScatterND with reduction none writes one place twice"
              + " (duplicate indices; the ONNX spec leaves the result undefined)");
        }
      }
    }
    return new ScatterSlices(offsets, slice, adds);
  }

  /** The number of slices (index tuples). */
  public int count() {
    return offsets.length;
  }

  /** The flat offset in the data of slice {@code j}. */
  public int offset(int j) {
    return offsets[j];
  }

  /** Elements per slice: the product of the data dims after the indexed ones. */
  public int sliceSize() {
    return sliceSize;
  }

  /** Whether updates are added to the data (reduction add) instead of replacing it. */
  public boolean adds() {
    return adds;
  }

  /** {@code data} with the updates scattered into it, in place. */
  public void apply(float[] data, float[] updates) {
    for (int j = 0; j < offsets.length; j++) {
      for (int t = 0; t < sliceSize; t++) {
        int d = offsets[j] + t;
        float u = updates[j * sliceSize + t];
        data[d] = adds ? data[d] + u : u;
      }
    }
  }

  /** {@link #apply(float[], float[])} for integer tensors (shape code). */
  void apply(long[] data, long[] updates) {
    for (int j = 0; j < offsets.length; j++) {
      for (int t = 0; t < sliceSize; t++) {
        int d = offsets[j] + t;
        long u = updates[j * sliceSize + t];
        data[d] = adds ? data[d] + u : u;
      }
    }
  }
}
