package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Concat along one axis. Same-typed constants fold at load time (product quantization's
 * segments stored in an ONNX file, exporters' shape arithmetic).
 */
final class Concat implements Op {

  @Override
  public String type() {
    return "Concat";
  }

  @Override
  public int since() {
    return 4;
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.REQUANTIZED; // QLinearConcat
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    if (in.isEmpty() || in.contains(null)) {
      throw new CondenseException("node " + n.label() + ": Concat needs at least one input");
    }
    int[] s = in.get(0).shape();
    int ax = Axis.of(n, n.intAttr("axis", Long.MIN_VALUE), s.length);
    int sum = 0;
    for (ValueType t : in) {
      int[] ts = t.shape();
      requireSameType(n, in.get(0), t);
      if (ts.length != s.length) {
        throw new CondenseException("node " + n.label() + ": Concat inputs differ in rank");
      }
      for (int i = 0; i < s.length; i++) {
        if (i != ax && ts[i] != s[i]) {
          throw new CondenseException("node " + n.label() + ": Concat inputs " + in.get(0) + " and " + t
              + " differ outside axis " + ax);
        }
      }
      sum += ts[ax];
    }
    s[ax] = sum;
    return List.of(new ValueType(in.get(0).dtype(), s));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.stream().allMatch(t -> t.dtype() == in.get(0).dtype());
  }

  /** Each input is a block of every outer row of the output. */
  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    int[] s = in.get(0).shape();
    int axis = Axis.of(n, n.intAttr("axis", Long.MIN_VALUE), s.length);
    int[] os = s.clone();
    os[axis] = 0;
    for (Tensor t : in) {
      os[axis] += t.shape()[axis];
    }
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s[i];
    }
    int row = (int) (Tensor.numel(os) / Math.max(1, outer));
    boolean floats = in.get(0).dtype() == DType.FLOAT;
    Object out = floats ? new float[outer * row] : new long[outer * row];
    int off = 0;
    for (Tensor t : in) {
      Object data = floats ? t.floats() : t.toLongs();
      int block = t.size() / Math.max(1, outer);
      for (int o = 0; o < outer; o++) {
        System.arraycopy(data, o * block, out, o * row + off, block);
      }
      off += block;
    }
    return floats ? Tensor.of((float[]) out, os) : Cast.to(Tensor.ofLongs((long[]) out, os), in.get(0).dtype());
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.CONCATENATE;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.concat(n);
  }
}
