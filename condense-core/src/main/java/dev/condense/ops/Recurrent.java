package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX LSTM, GRU and RNN (opsets 7 and 14; 14 adds {@code layout}) in the default form PyTorch's
 * nn.LSTM and nn.GRU export: inputs X, W, R, B, sequence_lens, initial_h (and LSTM's initial_c,
 * P), outputs Y, Y_h (and Y_c), any of them left out. W, R, B and P are the parameters that
 * train; the engine runs the whole sequence in one kernel with backpropagation through time.
 * {@code sequence_lens} must give every sequence the full length T (checked at load time when
 * constant, at run time otherwise). The hidden size is pinned in the channel analysis (BLOCKS):
 * its units are spread over gate blocks and fed back through R, which no pass slices.
 */
final class Recurrent implements Op {
  static final Recurrent LSTM = new Recurrent("LSTM", RecurrentCell.LSTM);
  static final Recurrent GRU = new Recurrent("GRU", RecurrentCell.GRU);
  static final Recurrent RNN = new Recurrent("RNN", RecurrentCell.RNN);

  private static final int SEQUENCE_LENS = 4;
  private static final int PEEPHOLES = 7;

  private final String type;
  private final RecurrentCell cell;

  private Recurrent(String type, RecurrentCell cell) {
    this.type = type;
    this.cell = cell;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 7; // LSTM/GRU/RNN-7 dropped -1's output_sequence; -14 only added layout
  }

  @Override
  public Kind kind() {
    return Kind.RECURRENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    NodeChecks.requireInputs(n, in, 3, cell.maxInputs());
    if (n.outputs().size() > cell.maxOutputs()) {
      throw new CondenseException("node " + n.label() + ": " + type + " has at most " + cell.maxOutputs()
          + " outputs, got " + n.outputs().size());
    }
    RecurrentSpec s = RecurrentSpec.of(n, cell, in.get(0).shape(), in.get(1).shape(), in.get(2).shape());
    int d = s.directions();
    expect(n, in, 3, "B", d, 2 * s.gateRows());
    expect(n, in, SEQUENCE_LENS, "sequence_lens", s.batch());
    expect(n, in, 5, "initial_h", s.stateShape());
    expect(n, in, 6, "initial_c", s.stateShape());
    expect(n, in, PEEPHOLES, "P", d, 3 * s.hidden());
    checkSequenceLengths(n, in, s, constants);
    List<ValueType> out = new ArrayList<>();
    out.add(ValueType.floats(s.outputShape()));
    for (int i = 1; i < cell.maxOutputs(); i++) {
      out.add(ValueType.floats(s.stateShape()));
    }
    return out;
  }

  private static void expect(Node n, List<ValueType> in, int slot, String name, int... shape) {
    if (slot < in.size() && in.get(slot) != null && !Arrays.equals(in.get(slot).shape(), shape)) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " input " + name + " is " + in.get(slot)
          + ", expected shape " + Arrays.toString(shape));
    }
  }

  /** A constant sequence_lens must be T everywhere; a run-time one is checked by the kernel. */
  private static void checkSequenceLengths(Node n, List<ValueType> in, RecurrentSpec s,
      Function<String, Tensor> constants) {
    if (SEQUENCE_LENS >= in.size() || in.get(SEQUENCE_LENS) == null) {
      return;
    }
    DType t = in.get(SEQUENCE_LENS).dtype();
    if (t != DType.INT32 && t != DType.INT64) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " sequence_lens must be int32, got " + t);
    }
    Tensor lens = constants.apply(n.input(SEQUENCE_LENS));
    if (lens != null) {
      for (long l : lens.toLongs()) {
        if (l != s.steps()) {
          throw s.shorterSequence(n, l);
        }
      }
    }
  }

  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    int[] w = shapes.type(n.input(1)).shape();
    int[] r = shapes.type(n.input(2)).shape();
    int[] y = shapes.type(n.input(0)).shape();
    boolean batchFirst = n.intAttr("layout", 0) == 1;
    int steps = batchFirst ? y[1] : y[0];
    // Per sample of the output's dim 0, as every layer counts: Y is [T, dirs, B, H] at layout 0.
    return (long) (batchFirst ? steps : y[1]) * w[0] * w[1] * (w[2] + r[2]);
  }

  /** W, R, B and LSTM's peepholes P; never the sequence lengths or the initial states. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot >= 1 && slot <= 3 || slot == PEEPHOLES && cell.hasCellState();
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot != SEQUENCE_LENS;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.recurrent(n, cell);
  }
}
