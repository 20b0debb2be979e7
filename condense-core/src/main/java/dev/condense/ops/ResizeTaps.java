package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What one ONNX Resize node computes, for a given input shape: its output shape and, for each
 * axis it changes, every output index's one (nearest) or two (linear) input taps and weights.
 * N-linear interpolation and nearest sampling are separable, so the node runs as one pass per
 * changed axis; the backward pass runs the adjoint passes in reverse order. Constant folding and
 * the engine's kernel share this, so they cannot disagree.
 *
 * <p>Reads the opset-11/13 form (X, roi, scales, sizes) and opset 18's {@code axes} and
 * {@code antialias}; the opset-10 form and Upsample are rewritten into it at load
 * ({@link LegacyForms}). Cubic mode, antialiased down-sampling, {@code keep_aspect_ratio_policy}
 * other than stretch and {@code half_pixel_symmetric} are refused naming the node.
 */
public final class ResizeTaps {
  private final int[] out;
  private final List<Pass> passes;
  private final float extrapolation;

  /**
   * One axis resized: output index j of the axis reads {@code w0[j]·x[i0[j]] + w1[j]·x[i1[j]]},
   * or the extrapolation value where {@code i0[j] < 0}.
   */
  private record Pass(int outer, int len, int outLen, int inner, int[] i0, int[] i1, float[] w0, float[] w1) {
    void forward(float[] src, float[] dst, float extrapolation) {
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < outLen; j++) {
          int d = (o * outLen + j) * inner;
          if (i0[j] < 0) {
            Arrays.fill(dst, d, d + inner, extrapolation);
            continue;
          }
          int s0 = (o * len + i0[j]) * inner;
          int s1 = (o * len + i1[j]) * inner;
          float a = w0[j];
          float b = w1[j];
          for (int t = 0; t < inner; t++) {
            dst[d + t] = a * src[s0 + t] + b * src[s1 + t];
          }
        }
      }
    }

    /** Adds the gradient of {@code dst} into {@code dsrc}. */
    void backward(float[] ddst, float[] dsrc) {
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < outLen; j++) {
          if (i0[j] < 0) {
            continue;
          }
          int d = (o * outLen + j) * inner;
          int s0 = (o * len + i0[j]) * inner;
          int s1 = (o * len + i1[j]) * inner;
          float a = w0[j];
          float b = w1[j];
          for (int t = 0; t < inner; t++) {
            dsrc[s0 + t] += a * ddst[d + t];
            dsrc[s1 + t] += b * ddst[d + t];
          }
        }
      }
    }

    int outSize() {
      return outer * outLen * inner;
    }
  }

  private ResizeTaps(int[] out, List<Pass> passes, float extrapolation) {
    this.out = out;
    this.passes = passes;
    this.extrapolation = extrapolation;
  }

  /** The output shape. */
  public int[] outShape() {
    return out.clone();
  }

  /** How many work buffers {@link #forward} and {@link #backward} need, and their sizes. */
  public int[] workSizes() {
    int[] s = new int[Math.max(0, passes.size() - 1)];
    for (int i = 0; i < s.length; i++) {
      s[i] = passes.get(i).outSize();
    }
    return s;
  }

  /** Resizes {@code x} (the input shape) into {@code y}; {@code work} as sized by {@link #workSizes}. */
  public void forward(float[] x, float[] y, float[][] work) {
    if (passes.isEmpty()) {
      System.arraycopy(x, 0, y, 0, y.length);
      return;
    }
    float[] src = x;
    for (int k = 0; k < passes.size(); k++) {
      float[] dst = k == passes.size() - 1 ? y : work[k];
      passes.get(k).forward(src, dst, extrapolation);
      src = dst;
    }
  }

  /** Adds the input gradient for output gradient {@code dy} into {@code dx}; {@code work} is overwritten. */
  public void backward(float[] dy, float[] dx, float[][] work) {
    if (passes.isEmpty()) {
      for (int i = 0; i < dx.length; i++) {
        dx[i] += dy[i];
      }
      return;
    }
    float[] cur = dy;
    for (int k = passes.size() - 1; k >= 0; k--) {
      float[] prev = k == 0 ? dx : work[k - 1];
      if (k > 0) {
        Arrays.fill(prev, 0f);
      }
      passes.get(k).backward(cur, prev);
      cur = prev;
    }
  }

  /** The resize {@code n} does to an input of shape {@code x}; scales or sizes must be constants. */
  public static ResizeTaps of(Node n, int[] x, Function<String, Tensor> constants) {
    int r = x.length;
    String mode = n.stringAttr("mode", "nearest");
    String coord = n.stringAttr("coordinate_transformation_mode", "half_pixel");
    String nearest = n.stringAttr("nearest_mode", "round_prefer_floor");
    if (!mode.equals("nearest") && !mode.equals("linear")) {
      throw refuse(n, "mode '" + mode + "' is not supported (nearest and linear only)");
    }
    if (!List.of("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn",
        "tf_crop_and_resize").contains(coord)) {
      throw refuse(n, "coordinate_transformation_mode '" + coord + "' is not supported");
    }
    if (!List.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil").contains(nearest)) {
      throw refuse(n, "unknown nearest_mode '" + nearest + "'");
    }
    String policy = n.stringAttr("keep_aspect_ratio_policy", "stretch");
    if (!policy.equals("stretch")) {
      throw refuse(n, "keep_aspect_ratio_policy '" + policy + "' is not supported (stretch only)");
    }
    int[] axes = axes(n, r);
    Tensor scalesT = input(n, 2, constants);
    Tensor sizesT = input(n, 3, constants);
    boolean haveScales = scalesT != null && scalesT.size() > 0;
    boolean haveSizes = sizesT != null && sizesT.size() > 0;
    if (haveScales == haveSizes) {
      throw refuse(n, haveScales ? "both scales and sizes are given" : "needs constant scales or sizes");
    }
    float[] scale = new float[r];
    int[] outShape = x.clone();
    Arrays.fill(scale, 1f);
    float[] roi = roi(n, r, axes, constants, coord.equals("tf_crop_and_resize"));
    float[] given = haveScales ? scalesT.toFloats() : null;
    long[] sizes = haveSizes ? sizesT.toLongs() : null;
    int count = haveScales ? given.length : sizes.length;
    if (count != axes.length) {
      throw refuse(n, (haveScales ? "scales" : "sizes") + " has " + count + " values, expected " + axes.length);
    }
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i];
      if (haveScales) {
        if (!(given[i] > 0) || Float.isInfinite(given[i])) {
          throw refuse(n, "scale " + given[i] + " must be positive");
        }
        scale[a] = given[i];
        // output_dimension = floor(input_dimension * (roi_end - roi_start) * scale) (Resize-13)
        float extent = coord.equals("tf_crop_and_resize") ? roi[r + a] - roi[a] : 1f;
        double size = Math.floor((float) x[a] * extent * given[i]);
        if (size < 1 || size > Integer.MAX_VALUE / 4) {
          throw refuse(n, "scale " + given[i] + " gives " + (long) size + " elements along axis " + a);
        }
        outShape[a] = (int) size;
      } else {
        if (sizes[i] < 1 || sizes[i] > Integer.MAX_VALUE / 4) {
          throw refuse(n, "size " + sizes[i] + " along axis " + a + " is out of range");
        }
        outShape[a] = (int) sizes[i];
        scale[a] = (float) outShape[a] / x[a];
      }
    }
    if (n.intAttr("antialias", 0) != 0 && !mode.equals("nearest")) {
      for (int a = 0; a < r; a++) {
        if (outShape[a] < x[a]) {
          throw refuse(n, "antialias when down-sampling is not supported");
        }
      }
    }
    Tensor.checkedNumel(outShape);
    List<Pass> passes = new ArrayList<>();
    int[] cur = x.clone();
    for (int a = 0; a < r; a++) {
      Pass p = pass(cur, a, outShape[a], scale[a], roi[a], roi[r + a], mode, coord, nearest);
      if (p != null) {
        passes.add(p);
        cur[a] = outShape[a];
      }
    }
    return new ResizeTaps(outShape, List.copyOf(passes), n.floatAttr("extrapolation_value", 0f));
  }

  private static CondenseException refuse(Node n, String what) {
    return new CondenseException("node " + n.label() + ": Resize " + what);
  }

  private static Tensor input(Node n, int slot, Function<String, Tensor> constants) {
    if (slot >= n.inputs().size() || n.input(slot).isEmpty()) {
      return null;
    }
    Tensor t = constants.apply(n.input(slot));
    if (t == null) {
      throw refuse(n, (slot == 1 ? "roi" : slot == 2 ? "scales" : "sizes")
          + " must be a constant (input '" + n.input(slot) + "' is computed at run time)");
    }
    return t;
  }

  /** The axes scales and sizes refer to (opset 18's attribute; all axes by default). */
  private static int[] axes(Node n, int r) {
    long[] v = n.intsAttr("axes", null);
    if (v == null) {
      int[] all = new int[r];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] a = new int[v.length];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < v.length; i++) {
      a[i] = NodeChecks.axisInclusive(n, v[i], r);
      if (seen[a[i]]) {
        throw refuse(n, "axis " + v[i] + " appears twice in 'axes'");
      }
      seen[a[i]] = true;
    }
    return a;
  }

  /** roi as [start_0..start_r-1, end_0..end_r-1] over all axes (0 and 1 where not given). */
  private static float[] roi(Node n, int r, int[] axes, Function<String, Tensor> constants, boolean used) {
    float[] roi = new float[2 * r];
    Arrays.fill(roi, r, 2 * r, 1f);
    Tensor t = used ? input(n, 1, constants) : null;
    if (t == null || t.size() == 0) {
      return roi;
    }
    float[] v = t.toFloats();
    if (v.length != 2 * axes.length) {
      throw refuse(n, "roi has " + v.length + " values, expected " + 2 * axes.length);
    }
    for (int i = 0; i < axes.length; i++) {
      roi[axes[i]] = v[i];
      roi[r + axes[i]] = v[axes.length + i];
    }
    return roi;
  }

  /** The taps of axis {@code a} of a tensor of shape {@code cur}, or null where it is the identity. */
  private static Pass pass(int[] cur, int a, int outLen, float scale, float start, float end, String mode,
      String coord, String nearest) {
    int len = cur[a];
    int outer = 1;
    int inner = 1;
    for (int i = 0; i < a; i++) {
      outer *= cur[i];
    }
    for (int i = a + 1; i < cur.length; i++) {
      inner *= cur[i];
    }
    int[] i0 = new int[outLen];
    int[] i1 = new int[outLen];
    float[] w0 = new float[outLen];
    float[] w1 = new float[outLen];
    boolean identity = outLen == len;
    for (int j = 0; j < outLen; j++) {
      float xo = original(j, len, scale, start, end, coord);
      if (coord.equals("tf_crop_and_resize") && (xo < 0 || xo > len - 1)) {
        i0[j] = -1; // extrapolation_value (Resize-13)
        identity = false;
        continue;
      }
      if (mode.equals("nearest")) {
        i0[j] = clamp(round(xo, nearest), len);
        i1[j] = i0[j];
        w0[j] = 1f;
      } else {
        float c = Math.max(0f, Math.min(xo, len - 1));
        int lo = Math.min((int) Math.floor(c), len - 1);
        i0[j] = lo;
        i1[j] = Math.min(lo + 1, len - 1);
        w1[j] = c - lo;
        w0[j] = 1f - w1[j];
      }
      identity &= i0[j] == j && w0[j] == 1f;
    }
    return identity ? null : new Pass(outer, len, outLen, inner, i0, i1, w0, w1);
  }

  /**
   * x_original of output coordinate {@code j}, per coordinate_transformation_mode (Resize-13), in
   * float as ORT. length_resized is {@code len · scale}, not the floored output length: with
   * scales given the two differ, and ONNX's backend tests (and ORT) use the former.
   */
  private static float original(int j, int len, float scale, float start, float end, String coord) {
    float resized = len * scale;
    return switch (coord) {
      case "half_pixel" -> (j + 0.5f) / scale - 0.5f;
      case "pytorch_half_pixel" -> resized > 1 ? (j + 0.5f) / scale - 0.5f : 0f;
      case "align_corners" -> resized == 1 ? 0f : j * (float) (len - 1) / (resized - 1);
      case "asymmetric" -> j / scale;
      case "tf_half_pixel_for_nn" -> (j + 0.5f) / scale;
      default -> resized > 1 ? start * (len - 1) + j * (end - start) * (len - 1) / (resized - 1)
          : 0.5f * (start + end) * (len - 1);
    };
  }

  /** The nearest input index of {@code x} per nearest_mode (Resize-11). */
  private static int round(float x, String nearest) {
    double f = Math.floor(x);
    boolean half = x - f == 0.5f;
    return (int) switch (nearest) {
      case "round_prefer_floor" -> half ? f : Math.rint(x);
      case "round_prefer_ceil" -> half ? f + 1 : Math.rint(x);
      case "floor" -> f;
      default -> Math.ceil(x);
    };
  }

  private static int clamp(int i, int len) {
    return Math.max(0, Math.min(i, len - 1));
  }
}
