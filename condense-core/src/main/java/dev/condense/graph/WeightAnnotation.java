package dev.condense.graph;

import dev.condense.CondenseException;

/**
 * Compression state of one float weight tensor that its values alone do not say: which
 * connections were pruned ({@link Mask}) and which codebook its values share ({@link Codebook}).
 * Methods set these when they prune or quantize; the model carries them ({@link Annotations})
 * through later steps and into {@code .cdz}, so nothing downstream has to guess them back from
 * zeros and distinct values.
 *
 * <p>Immutable: the arrays are copied in and handed out without copying; no code may write into
 * them. An annotation describes a tensor element by element ({@link #holds}); {@link #select}
 * carries it to a tensor cut out of that one.
 */
public sealed interface WeightAnnotation {

  /** Number of weights described. */
  int size();

  /** Whether the annotation describes {@code t}: a float tensor of the same size that obeys it. */
  boolean holds(Tensor t);

  /** The annotation of the tensor made of the elements {@code positions} (flat indices) of this one. */
  WeightAnnotation select(int[] positions);

  /** Throws a one-line error naming {@code weight} unless the annotation {@link #holds} for {@code t}. */
  default void check(String weight, Tensor t) {
    if (t == null) {
      throw new CondenseException("annotation for '" + weight + "': the model has no such initializer");
    }
    if (t.dtype() != DType.FLOAT || t.size() != size()) {
      throw new CondenseException("annotation for '" + weight + "' describes " + size()
          + " float weights; the tensor is " + t);
    }
    if (!holds(t)) {
      throw new CondenseException("annotation for '" + weight + "' does not describe its values ("
          + (this instanceof Mask ? "a pruned weight is not 0.0" : "the codebook does not decode to them") + ")");
    }
  }

  /**
   * Pruned connections (equal when the arrays are): {@code keep[i] == false} means weight i was pruned and is exactly 0.0. A
   * kept weight may still be 0.0 (training can put it there); it stays kept.
   */
  record Mask(boolean[] keep) implements WeightAnnotation {
    public Mask {
      keep = keep.clone();
    }

    @Override
    public int size() {
      return keep.length;
    }

    /** Number of weights kept. */
    public long kept() {
      long n = 0;
      for (boolean k : keep) {
        n += k ? 1 : 0;
      }
      return n;
    }

    @Override
    public boolean holds(Tensor t) {
      if (t.dtype() != DType.FLOAT || t.size() != keep.length) {
        return false;
      }
      float[] w = t.floats();
      for (int i = 0; i < w.length; i++) {
        if (!keep[i] && w[i] != 0f) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Mask select(int[] positions) {
      boolean[] k = new boolean[positions.length];
      for (int i = 0; i < k.length; i++) {
        k[i] = keep[positions[i]];
      }
      return new Mask(k);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mask m && java.util.Arrays.equals(keep, m.keep);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(keep);
    }

    @Override
    public String toString() {
      return "Mask[" + kept() + " of " + keep.length + " kept]";
    }
  }

  /**
   * Shared weights (Deep Compression §3.1): weight i is {@code centroids[index[i]]}, or exactly
   * 0.0 where {@code index[i] == -1} (pruned, outside the codebook). The centroids are kept as the
   * method made them (order, unused or equal entries included), because training moves each one;
   * {@link #sortedValues} is the canonical form a file stores.
   */
  record Codebook(float[] centroids, int[] index) implements WeightAnnotation {
    public Codebook {
      centroids = centroids.clone();
      index = index.clone();
      for (int i : index) {
        if (i < -1 || i >= centroids.length) {
          throw new CondenseException("codebook index " + i + " is out of range for " + centroids.length + " centroids");
        }
      }
    }

    @Override
    public int size() {
      return index.length;
    }

    /** The weights the codebook stands for. */
    public float[] decode() {
      float[] w = new float[index.length];
      for (int i = 0; i < index.length; i++) {
        w[i] = index[i] < 0 ? 0f : centroids[index[i]];
      }
      return w;
    }

    /** Same value bit for bit (so -0.0 and 0.0 differ, as the stored bits do). */
    @Override
    public boolean holds(Tensor t) {
      if (t.dtype() != DType.FLOAT || t.size() != index.length) {
        return false;
      }
      float[] w = t.floats();
      for (int i = 0; i < w.length; i++) {
        float v = index[i] < 0 ? 0f : centroids[index[i]];
        if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(w[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Codebook select(int[] positions) {
      int[] idx = new int[positions.length];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = index[positions[i]];
      }
      return new Codebook(centroids, idx);
    }

    /**
     * The distinct non-zero values the weights use, ascending: the codebook a {@code .cdz} file
     * or a Gather export stores (entry 0 of theirs is reserved for zero). Null if there are
     * more than {@code max}.
     */
    public float[] sortedValues(int max) {
      boolean[] used = new boolean[centroids.length];
      for (int i : index) {
        if (i >= 0) {
          used[i] = true;
        }
      }
      float[] u = new float[centroids.length];
      int n = 0;
      for (int j = 0; j < centroids.length; j++) {
        if (used[j]) {
          u[n++] = centroids[j];
        }
      }
      return CompressionState.distinctNonZero(java.util.Arrays.copyOf(u, n), max);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Codebook c && java.util.Arrays.equals(centroids, c.centroids)
          && java.util.Arrays.equals(index, c.index);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(centroids) + java.util.Arrays.hashCode(index);
    }

    @Override
    public String toString() {
      return "Codebook[" + centroids.length + " centroids, " + index.length + " weights]";
    }
  }
}
