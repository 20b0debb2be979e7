package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * The sliding-window geometry of Conv, MaxPool and AveragePool (ONNX opset ≥ 13): kernel,
 * strides, dilations, the padding at the start and end of each spatial axis (after resolving
 * {@code auto_pad}), and the output size. Shape inference and the engine's kernels both read it,
 * so they can never disagree.
 */
public record ConvGeometry(int[] kernel, int[] strides, int[] dilations, int[] padBegin,
    int[] padEnd, int[] in, int[] out) {

  /** Spatial rank (1 for 1-D, 2 for 2-D). */
  public int rank() {
    return kernel.length;
  }

  /**
   * The geometry of {@code node} on input spatial sizes {@code in} with kernel {@code kernel};
   * {@code ceilMode} only applies to pools.
   */
  public static ConvGeometry of(Node node, int[] in, int[] kernel, boolean ceilMode) {
    int r = in.length;
    int[] strides = ints(node, "strides", r, 1);
    int[] dil = ints(node, "dilations", r, 1);
    int[] pads = ints(node, "pads", 2 * r, 0);
    String autoPad = node.stringAttr("auto_pad", "NOTSET");
    int[] pb = new int[r];
    int[] pe = new int[r];
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      if (strides[i] < 1 || dil[i] < 1 || kernel[i] < 1) {
        throw new CondenseException("node " + node.label() + ": kernel, strides and dilations must be ≥ 1");
      }
      long wide = (long) (kernel[i] - 1) * dil[i] + 1;
      if (wide > Integer.MAX_VALUE / 2) {
        throw new CondenseException("node " + node.label() + ": window of size " + wide
            + " does not fit input size " + in[i] + " with the given padding");
      }
      int span = (int) wide;
      switch (autoPad) {
        case "NOTSET" -> {
          pb[i] = pads[i];
          pe[i] = pads[i + r];
          if (pb[i] < 0 || pe[i] < 0) {
            throw new CondenseException("node " + node.label() + ": negative pads " + Arrays.toString(pads));
          }
          if ((long) in[i] + pb[i] + pe[i] > Integer.MAX_VALUE / 2) {
            throw new CondenseException("node " + node.label() + ": pads " + Arrays.toString(pads)
                + " make the input too large");
          }
          int room = in[i] + pb[i] + pe[i] - span;
          out[i] = room < 0 ? 0 : (ceilMode ? ceilDiv(room, strides[i]) : room / strides[i]) + 1;
          // A last window that would start in the end padding is dropped (as PyTorch and ORT do).
          if (ceilMode && out[i] > 0 && (out[i] - 1) * strides[i] >= in[i] + pb[i]) {
            out[i]--;
          }
        }
        case "VALID" -> {
          int room = in[i] - span;
          out[i] = room < 0 ? 0 : (ceilMode ? ceilDiv(room, strides[i]) : room / strides[i]) + 1;
        }
        case "SAME_UPPER", "SAME_LOWER" -> {
          out[i] = ceilDiv(in[i], strides[i]);
          int total = (int) Math.max(0, (long) (out[i] - 1) * strides[i] + span - in[i]);
          int small = total / 2;
          pb[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
          pe[i] = total - pb[i];
        }
        default -> throw new CondenseException("node " + node.label() + ": unknown auto_pad '" + autoPad + "'");
      }
      if (out[i] < 1) {
        throw new CondenseException("node " + node.label() + ": window of size " + span
            + " does not fit input size " + in[i] + " with the given padding");
      }
    }
    return new ConvGeometry(kernel.clone(), strides, dil, pb, pe, in.clone(), out);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Attribute {@code attr} as {@code n} ints ({@code dflt} each where absent); errors name the node. */
  static int[] ints(Node node, String attr, int n, int dflt) {
    long[] v = node.intsAttr(attr, null);
    int[] r = new int[n];
    if (v == null) {
      Arrays.fill(r, dflt);
      return r;
    }
    if (v.length != n) {
      throw new CondenseException("node " + node.label() + ": attribute '" + attr + "' has "
          + v.length + " values, expected " + n);
    }
    for (int i = 0; i < n; i++) {
      if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
        throw new CondenseException("node " + node.label() + ": attribute '" + attr + "' value " + v[i]
            + " is out of range");
      }
      r[i] = (int) v[i];
    }
    return r;
  }

  /** Output spatial size as a product. */
  public int outSize() {
    int p = 1;
    for (int o : out) {
      p *= o;
    }
    return p;
  }

  /** Input spatial size as a product. */
  public int inSize() {
    int p = 1;
    for (int i : in) {
      p *= i;
    }
    return p;
  }

  /** Kernel window size as a product. */
  public int kernelSize() {
    int p = 1;
    for (int k : kernel) {
      p *= k;
    }
    return p;
  }
}
