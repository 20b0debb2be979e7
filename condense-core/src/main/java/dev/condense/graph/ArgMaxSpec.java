package dev.condense.graph;

/**
 * ONNX ArgMax (opset 12+: axis, keepdims, select_last_index) over a row-major tensor seen as
 * outer × axis × inner, shared by the engine's kernel and load-time folding.
 *
 * @param outer the product of the dimensions before the axis
 * @param length the axis' length
 * @param inner the product of the dimensions after it
 * @param last whether ties give the last index (select_last_index), else the first
 * @param outShape the output's shape (the axis kept as 1 with keepdims, else dropped)
 */
public record ArgMaxSpec(int outer, int length, int inner, boolean last, int[] outShape) {

  public static ArgMaxSpec of(Node n, int[] shape) {
    int axis = Axis.of(n, n.intAttr("axis", 0), shape.length);
    int outer = 1;
    int inner = 1;
    for (int a = 0; a < shape.length; a++) {
      outer *= a < axis ? shape[a] : 1;
      inner *= a > axis ? shape[a] : 1;
    }
    boolean keep = n.intAttr("keepdims", 1) != 0;
    int[] out = new int[keep ? shape.length : shape.length - 1];
    for (int a = 0, o = 0; a < shape.length; a++) {
      if (a != axis) {
        out[o++] = shape[a];
      } else if (keep) {
        out[o++] = 1;
      }
    }
    return new ArgMaxSpec(outer, shape[axis], inner, n.intAttr("select_last_index", 0) != 0, out);
  }

  /** Writes the index of every row's maximum of {@code x} into {@code y}, as a float. */
  public void apply(float[] x, float[] y) {
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * length * inner + i;
        int best = 0;
        float max = x[base];
        for (int j = 1; j < length; j++) {
          float v = x[base + j * inner];
          if (v > max || (last && v == max)) {
            max = v;
            best = j;
          }
        }
        y[o * inner + i] = best;
      }
    }
  }
}
