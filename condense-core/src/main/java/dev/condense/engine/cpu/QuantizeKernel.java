package dev.condense.engine.cpu;

import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.LinearQuantization;

/**
 * QuantizeLinear or DequantizeLinear on a run-time value: the integers are held as floats (the
 * output of Quantize, the input of Dequantize), scale and zero point are constants of the plan.
 * Backward is the straight-through estimator: Quantize passes {@code dy / scale} where the value
 * did not saturate and 0 where it did; Dequantize passes {@code dy · scale}, so a Q→DQ pair passes
 * the gradient unchanged inside the representable range, as PyTorch's fake quantization does.
 */
final class QuantizeKernel extends Kernel {
  private final boolean quantize;
  private final LinearQuantization map;

  QuantizeKernel(Node node, Buf[] in, Buf[] out, boolean quantize) {
    super(node, in, out);
    this.quantize = quantize;
    Tensor zp = in.length > 2 && in[2] != null ? in[2].constant : null;
    if (in.length > 2 && in[2] != null && zp == null) {
      throw error("the zero point must be a constant");
    }
    DType type = quantize ? (zp == null ? DType.UINT8 : zp.dtype()) : in[0].dtype;
    this.map = LinearQuantization.of(node, in[1].constant, zp, in[0].shape, type);
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    if (quantize) {
      map.quantize(in[0].data, out[0].data);
    } else {
      map.dequantize(in[0].data, out[0].data);
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] dy = out[0].grad;
    float[] x = in[0].data;
    float[] s = map.scale();
    int[] zp = map.zeroPoint();
    int lo = LinearQuantization.min(map.type());
    int hi = LinearQuantization.max(map.type());
    for (int i = 0; i < dy.length; i++) {
      int c = map.slice(i);
      float g;
      if (quantize) {
        g = LinearQuantization.inRange(x[i], s[c], zp[c], lo, hi) ? dy[i] / s[c] : 0f;
      } else {
        g = dy[i] * s[c];
      }
      putGrad(0, i, g);
    }
  }
}
