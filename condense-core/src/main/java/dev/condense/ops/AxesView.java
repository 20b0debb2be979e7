package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Unsqueeze and Squeeze: axes of length 1 inserted or removed, a view of the input. The
 * axes are an attribute before opset 13 and a constant int64 input from 13; both forms are read,
 * so a model of either opset works without rewriting.
 */
final class AxesView extends ViewOp {
  static final AxesView UNSQUEEZE = new AxesView("Unsqueeze", true);
  static final AxesView SQUEEZE = new AxesView("Squeeze", false);

  private final String type;
  private final boolean insert;

  private AxesView(String type, boolean insert) {
    this.type = type;
    this.insert = insert;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 2);
    return List.of(new ValueType(in.get(0).dtype(), shape(n, in.get(0).shape(), constants)));
  }

  /** The output shape; axes from the attribute (opset < 13) or the second input (opset ≥ 13). */
  private int[] shape(Node n, int[] s, Function<String, Tensor> constants) {
    long[] axes = n.intsAttr("axes", null);
    if (axes == null && n.hasInput(1)) {
      Tensor t = constants.apply(n.input(1));
      if (t == null) {
        throw new CondenseException("node " + n.label() + ": " + type + "'s axes must be a constant");
      }
      axes = t.toLongs();
    }
    return insert ? unsqueezed(n, s, axes) : squeezed(n, s, axes);
  }

  private static int[] unsqueezed(Node n, int[] s, long[] axes) {
    if (axes == null) {
      throw new CondenseException("node " + n.label() + ": Unsqueeze needs axes");
    }
    int r = s.length + axes.length;
    boolean[] added = new boolean[r];
    for (long a : axes) {
      int ax = Axis.of(n, a, r);
      if (added[ax]) {
        throw new CondenseException("node " + n.label() + ": Unsqueeze axis " + a + " given twice");
      }
      added[ax] = true;
    }
    int[] out = new int[r];
    for (int i = 0, j = 0; i < r; i++) {
      out[i] = added[i] ? 1 : s[j++];
    }
    return out;
  }

  private static int[] squeezed(Node n, int[] s, long[] axes) {
    boolean[] removed = new boolean[s.length];
    if (axes == null) {
      for (int i = 0; i < s.length; i++) {
        removed[i] = s[i] == 1;
      }
    }
    for (long a : axes == null ? new long[0] : axes) {
      int ax = Axis.of(n, a, s.length);
      if (s[ax] != 1) {
        throw new CondenseException("node " + n.label() + ": Squeeze axis " + a + " has size " + s[ax]
            + " in " + Arrays.toString(s) + ", not 1");
      }
      removed[ax] = true;
    }
    int[] out = new int[s.length];
    int r = 0;
    for (int i = 0; i < s.length; i++) {
      if (!removed[i]) {
        out[r++] = s[i];
      }
    }
    return Arrays.copyOf(out, r);
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return in.get(0).reshape(shape(n, in.get(0).shape(), name -> in.get(n.inputs().indexOf(name))));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.RESHAPE;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }
}
