package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of one ONNX LSTM, GRU or RNN node, read and checked once from its attributes and
 * the shapes of X, W and R, for shape inference and the engine alike. ONNX's layout 0 is
 * X [T, B, I] and Y [T, D, B, H]; layout 1 (opset 14) is PyTorch's batch_first, X [B, T, I],
 * Y [B, T, D, H], and the states [B, D, H] instead of [D, B, H] (Operators.md, LSTM-14).
 *
 * @param cell the op's cell
 * @param steps T, the sequence length
 * @param batch B
 * @param inputSize I
 * @param hidden H, {@code hidden_size}
 * @param directions D: 2 when bidirectional, else 1
 * @param reverse whether a one-direction node runs backward in time ({@code direction = reverse})
 * @param batchFirst layout 1
 * @param linearBeforeReset GRU's {@code linear_before_reset} (PyTorch writes 1)
 */
public record RecurrentSpec(RecurrentCell cell, int steps, int batch, int inputSize, int hidden, int directions,
    boolean reverse, boolean batchFirst, boolean linearBeforeReset) {

  /** The spec of node {@code n} with X, W and R of these shapes; errors name the node. */
  public static RecurrentSpec of(Node n, RecurrentCell cell, int[] x, int[] w, int[] r) {
    for (int[] s : new int[][] {x, w, r}) {
      NodeChecks.requireRank(n, s, 3, 3);
    }
    refuse(n, "clip", n.has("clip"));
    refuse(n, "activation_alpha", n.has("activation_alpha"));
    refuse(n, "activation_beta", n.has("activation_beta"));
    refuse(n, "input_forget", n.intAttr("input_forget", 0) != 0);
    String direction = n.stringAttr("direction", "forward");
    int d = switch (direction) {
      case "forward", "reverse" -> 1;
      case "bidirectional" -> 2;
      default -> throw new CondenseException("node " + n.label() + ": " + n.opType() + " direction '" + direction
          + "' is not forward, reverse or bidirectional");
    };
    checkActivations(n, cell, d);
    long layout = n.intAttr("layout", 0);
    long lbr = n.intAttr("linear_before_reset", 0);
    if (layout != 0 && layout != 1 || lbr != 0 && lbr != 1) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " attribute '"
          + (layout != 0 && layout != 1 ? "layout' is " + layout : "linear_before_reset' is " + lbr) + ", expected 0 or 1");
    }
    int h = r[2];
    long declared = n.intAttr("hidden_size", h);
    int g = cell.gates();
    if (declared != h || w[0] != d || r[0] != d || w[1] != g * h || r[1] != g * h) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " with " + d + " direction(s) and hidden_size "
          + declared + " needs W [" + d + ", " + g * declared + ", I] and R [" + d + ", " + g * declared + ", "
          + declared + "], got W " + java.util.Arrays.toString(w) + " and R " + java.util.Arrays.toString(r));
    }
    boolean batchFirst = layout == 1;
    int steps = batchFirst ? x[1] : x[0];
    int batch = batchFirst ? x[0] : x[1];
    if (x[2] != w[2]) {
      throw new CondenseException("node " + n.label() + ": X " + java.util.Arrays.toString(x) + " has " + x[2]
          + " features but W expects " + w[2]);
    }
    return new RecurrentSpec(cell, steps, batch, x[2], h, d, direction.equals("reverse"), batchFirst, lbr == 1);
  }

  private static void refuse(Node n, String attr, boolean present) {
    if (present) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " attribute '" + attr
          + "' is not supported (Condense runs the default form that PyTorch exports)");
    }
  }

  /** Only ONNX's default activations (case as ONNX Runtime reads them: any). */
  private static void checkActivations(Node n, RecurrentCell cell, int directions) {
    if (!(n.attributes().get("activations") instanceof Attribute.StringsAttr given)) {
      refuse(n, "activations", n.has("activations"));
      return;
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < directions; i++) {
      expected.addAll(cell.activations());
    }
    List<String> lower = given.values().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    if (!lower.equals(expected.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " attribute 'activations' " + given.values()
          + " is not supported (Condense runs the defaults " + expected + ")");
    }
  }

  /** Whether direction {@code d} (0 or 1) runs from the last time step to the first. */
  public boolean reversed(int d) {
    return directions == 2 ? d == 1 : reverse;
  }

  /** Rows of W and R per direction: gates · H. */
  public int gateRows() {
    return cell.gates() * hidden;
  }

  /** The shape of Y. */
  public int[] outputShape() {
    return batchFirst ? new int[] {batch, steps, directions, hidden} : new int[] {steps, directions, batch, hidden};
  }

  /** The shape of Y_h, Y_c, initial_h and initial_c. */
  public int[] stateShape() {
    return batchFirst ? new int[] {batch, directions, hidden} : new int[] {directions, batch, hidden};
  }

  /** Offset in Y of the hidden vector of time {@code t}, direction {@code d}, sample {@code b}. */
  public int outputOffset(int t, int d, int b) {
    return (batchFirst ? (b * steps + t) * directions + d : (t * directions + d) * batch + b) * hidden;
  }

  /** Offset in a state tensor (Y_h, initial_h, ...) of direction {@code d}, sample {@code b}. */
  public int stateOffset(int d, int b) {
    return (batchFirst ? b * directions + d : d * batch + b) * hidden;
  }

  /** The one error for a sequence shorter than X's time axis (ONNX's padded batches), naming the node. */
  public CondenseException shorterSequence(Node n, long length) {
    return new CondenseException("node " + n.label() + ": " + n.opType() + " sequence_lens holds " + length
        + " but Condense runs full-length sequences only (T = " + steps + ")");
  }
}
