package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.function.Function;

/** ONNX Tile (opset 6+: constant {@code repeats} as input 1): the input repeated along every axis. */
final class Tile extends Repeat {

  @Override
  public String type() {
    return "Tile";
  }

  @Override
  public int since() {
    return 6;
  }

  @Override
  int[] outShape(Node n, int[] x, Function<String, Tensor> constants) {
    Tensor r = constants.apply(n.input(1));
    if (r == null) {
      throw new CondenseException("node " + n.label() + ": Tile's repeats (input 1) must be a constant");
    }
    long[] repeats = r.toLongs();
    if (repeats.length != x.length) {
      throw new CondenseException("node " + n.label() + ": " + repeats.length + " repeats for an input of rank " + x.length);
    }
    int[] out = new int[x.length];
    for (int a = 0; a < x.length; a++) {
      if (repeats[a] < 1) {
        throw new CondenseException("node " + n.label() + ": repeats " + repeats[a] + " on axis " + a
            + (repeats[a] == 0 ? "; Condense runs no empty tensors" : " is negative"));
      }
      out[a] = Math.toIntExact(x[a] * repeats[a]);
    }
    return out;
  }
}
