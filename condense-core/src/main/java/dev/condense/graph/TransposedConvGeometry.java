package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * The geometry of ONNX ConvTranspose: kernel, strides, dilations, output_padding, the padding cut
 * from the start and end of each spatial axis (after {@code output_shape} and {@code auto_pad}),
 * and the input and output sizes. A transposed convolution is the input gradient of the
 * convolution that maps its output back to its input, so {@link #adjoint()} gives that
 * convolution's {@link ConvGeometry}, which the engine's im2col/col2im run on. Shape inference
 * and the engine both read it, so they cannot disagree.
 */
public record TransposedConvGeometry(int[] kernel, int[] strides, int[] dilations, int[] outputPadding,
    int[] padBegin, int[] padEnd, int[] in, int[] out) {

  /**
   * The geometry of {@code node} on input spatial sizes {@code in} with kernel {@code kernel},
   * following ConvTranspose-11's output-shape and padding equations (ONNX Operators.md,
   * ConvTranspose): out = stride·(in−1) + output_padding + ((kernel−1)·dilation + 1) − pads.
   */
  public static TransposedConvGeometry of(Node node, int[] in, int[] kernel) {
    int r = in.length;
    int[] strides = ConvGeometry.ints(node, "strides", r, 1);
    int[] dil = ConvGeometry.ints(node, "dilations", r, 1);
    int[] outPad = ConvGeometry.ints(node, "output_padding", r, 0);
    int[] pads = ConvGeometry.ints(node, "pads", 2 * r, 0);
    long[] shape = node.intsAttr("output_shape", null);
    String autoPad = node.stringAttr("auto_pad", "NOTSET");
    if (shape != null && shape.length == r + 2) {
      shape = Arrays.copyOfRange(shape, 2, shape.length); // N and C given too, as some exporters write
    }
    if (shape != null && shape.length != r) {
      throw new CondenseException("node " + node.label() + ": attribute 'output_shape' has " + shape.length
          + " values, expected " + r);
    }
    int[] pb = new int[r];
    int[] pe = new int[r];
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      if (strides[i] < 1 || dil[i] < 1 || kernel[i] < 1) {
        throw new CondenseException("node " + node.label() + ": kernel, strides and dilations must be ≥ 1");
      }
      if (outPad[i] < 0 || (outPad[i] >= strides[i] && outPad[i] >= dil[i])) {
        throw new CondenseException("node " + node.label() + ": attribute 'output_padding' "
            + Arrays.toString(outPad) + " must be below the stride or the dilation");
      }
      long full = (long) strides[i] * (in[i] - 1) + outPad[i] + (long) (kernel[i] - 1) * dil[i] + 1;
      if (full > Integer.MAX_VALUE / 4) {
        throw new CondenseException("node " + node.label() + ": output of size " + full + " is too large");
      }
      long wanted;
      switch (autoPad) {
        case "NOTSET", "SAME_UPPER", "SAME_LOWER" -> {
          wanted = shape != null ? shape[i] : autoPad.equals("NOTSET") ? -1 : (long) in[i] * strides[i];
          if (wanted > Integer.MAX_VALUE / 4) {
            throw new CondenseException("node " + node.label() + ": output_shape " + Arrays.toString(shape)
                + " is too large");
          }
          if (wanted < 0) {
            pb[i] = pads[i];
            pe[i] = pads[i + r];
            if (pb[i] < 0 || pe[i] < 0) {
              throw new CondenseException("node " + node.label() + ": negative pads " + Arrays.toString(pads));
            }
          } else {
            // total_padding = full − output_shape; SAME_UPPER puts the odd one at the end, else at the
            // start. An output_shape beyond the full output adds elements no window reaches at the
            // end (ORT and ONNX's backend test pad nothing then: the end "padding" is negative).
            long total = full - wanted;
            int half = (int) (total / 2);
            pb[i] = total < 0 ? 0 : autoPad.equals("SAME_UPPER") ? half : (int) total - half;
            pe[i] = (int) total - pb[i];
          }
        }
        case "VALID" -> {
          pb[i] = 0;
          pe[i] = 0;
        }
        default -> throw new CondenseException("node " + node.label() + ": unknown auto_pad '" + autoPad + "'");
      }
      out[i] = (int) (full - pb[i] - pe[i]);
      if (out[i] < 1) {
        throw new CondenseException("node " + node.label() + ": pads " + Arrays.toString(pads)
            + " leave no output of the " + full + " elements along spatial axis " + i);
      }
    }
    return new TransposedConvGeometry(kernel.clone(), strides, dil, outPad, pb, pe, in.clone(), out);
  }

  /** Spatial rank. */
  public int rank() {
    return kernel.length;
  }

  /**
   * The convolution whose input gradient this is: it reads the transposed output ({@code out})
   * and yields the transposed input ({@code in}). Its end padding may be negative where
   * output_padding adds elements no window reaches.
   */
  public ConvGeometry adjoint() {
    int r = rank();
    int[] end = new int[r];
    for (int i = 0; i < r; i++) {
      end[i] = padEnd[i] - outputPadding[i];
    }
    return new ConvGeometry(kernel.clone(), strides.clone(), dilations.clone(), padBegin.clone(), end,
        out.clone(), in.clone());
  }
}
