package dev.condense.ops;

import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each op written at an opset below 13 becomes the form the op table implements (the
 * version of ONNX's Changelog.md that made the change is named at each rewrite). Used only by
 * {@link OpsetNormalizer}.
 */
final class LegacyForms {
  private LegacyForms() {}

  /**
   * A node's rewrite: the nodes replacing it (null: unchanged), or why it cannot be read, and
   * whether it waits for ranks known only after the rest is rewritten.
   */
  record Outcome(List<Node> nodes, String refusal, boolean deferred) {
    static final Outcome SAME = new Outcome(null, null, false);
    static final Outcome LATER = new Outcome(null, null, true);

    static Outcome refuse(String why) {
      return new Outcome(null, why, false);
    }

    static Outcome of(Node... nodes) {
      return new Outcome(List.of(nodes), null, false);
    }
  }

  static Outcome rewrite(Node n, int opset, OpsetNormalizer.Rewrite r, OpTable table) {
    String at = n.opType() + " at opset " + opset;
    switch (n.opType()) {
      case "Squeeze", "Unsqueeze", "ReduceSum":
        // Squeeze-13, Unsqueeze-13, ReduceSum-13: axes moved from the attribute to input 1.
        return attributeToInput(n, r, "axes", 1);
      case "Split":
        return attributeToInput(n, r, "split", 1); // Split-13: split moved to input 1
      case "Slice":
        return opset < 10 ? slice(n, r) : Outcome.SAME; // Slice-10: starts, ends, axes became inputs
      case "Pad":
        return opset < 11 ? pad(n, r) : Outcome.SAME; // Pad-11: pads and value became inputs
      case "Clip":
        return opset < 11 ? clip(n, r) : Outcome.SAME; // Clip-11: min and max became inputs
      case "Dropout":
        return dropout(n, opset, r, at);
      case "BatchNormalization":
        return batchNormalization(n, r, at);
      case "Softmax", "LogSoftmax":
        return softmax(n, r); // Softmax-13, LogSoftmax-13: one axis instead of coercing to 2-D
      case "Add", "Sub", "Mul", "Div", "Pow", "Gemm":
        return opset < 7 ? legacyBroadcast(n, r, at) : Outcome.SAME; // -7: numpy broadcasting
      case "PRelu":
        return opset < 7 ? preluSlope(n, r, at) : Outcome.SAME; // PRelu-7: unidirectional broadcasting
      case "Upsample":
        return table.find("Resize") == null ? Outcome.refuse(at + ": Resize/Upsample not supported yet")
            : upsample(n, r, at);
      case "Resize":
        return opset < 11 ? upsample(n, r, at) : Outcome.SAME; // Resize-11: roi and sizes inputs, coordinate modes
      default:
        return Outcome.SAME;
    }
  }

  /**
   * Upsample-7 (scales attribute), Upsample-9 and Resize-10 (scales input) as Resize-11: X, no
   * roi, the scales. Upsample was deprecated by Resize-10 (Changelog.md, Upsample-10), and ONNX's
   * version converter reads Resize-10 as Resize-11 with coordinate_transformation_mode
   * "asymmetric" and, for nearest, nearest_mode "floor" (version_converter/adapters/resize_10_11.h):
   * output index i samples input i / scale, as Upsample's definition does.
   */
  private static Outcome upsample(Node n, OpsetNormalizer.Rewrite r, String at) {
    String mode = n.stringAttr("mode", "nearest");
    if (mode.equals("bilinear")) {
      mode = "linear"; // Upsample-1's name for it
    }
    if (!mode.equals("nearest") && !mode.equals("linear")) {
      return Outcome.refuse(at + ": mode '" + mode + "' is not supported (nearest and linear only)");
    }
    String scales;
    if (n.attributes().get("scales") instanceof Attribute.FloatsAttr f) {
      float[] v = f.values();
      scales = r.addConstant(n.outputs().get(0) + "_scales", Tensor.of(v.clone(), v.length));
    } else if (n.inputs().size() == 2 && !n.input(1).isEmpty()) {
      scales = n.input(1);
    } else {
      return Outcome.refuse(at + ": no scales given");
    }
    Map<String, Attribute> a = new LinkedHashMap<>();
    a.put("mode", new Attribute.StringAttr(mode));
    a.put("coordinate_transformation_mode", new Attribute.StringAttr("asymmetric"));
    if (mode.equals("nearest")) {
      a.put("nearest_mode", new Attribute.StringAttr("floor"));
    }
    return Outcome.of(new Node(n.name(), "Resize", List.of(n.input(0), "", scales), n.outputs(), a));
  }

  private static Node without(Node n, List<String> inputs, List<String> outputs, String... attrs) {
    Map<String, Attribute> a = new LinkedHashMap<>(n.attributes());
    for (String name : attrs) {
      a.remove(name);
    }
    return new Node(n.name(), n.opType(), inputs, outputs, a);
  }

  private static List<String> withInput(Node n, int slot, String value) {
    List<String> in = new ArrayList<>(n.inputs());
    while (in.size() <= slot) {
      in.add("");
    }
    in.set(slot, value);
    while (!in.isEmpty() && in.get(in.size() - 1).isEmpty()) {
      in.remove(in.size() - 1);
    }
    return in;
  }

  private static String longs(OpsetNormalizer.Rewrite r, Node n, String what, long[] v) {
    return r.addConstant(n.outputs().get(0) + "_" + what, Tensor.ofLongs(v, v.length));
  }

  private static String scalar(OpsetNormalizer.Rewrite r, Node n, String what, float v) {
    return r.addConstant(n.outputs().get(0) + "_" + what, Tensor.of(new float[] {v}));
  }

  private static Outcome attributeToInput(Node n, OpsetNormalizer.Rewrite r, String attr, int slot) {
    long[] v = n.intsAttr(attr, null);
    if (v == null) {
      return Outcome.SAME;
    }
    return Outcome.of(without(n, withInput(n, slot, longs(r, n, attr, v)), n.outputs(), attr));
  }

  private static Outcome slice(Node n, OpsetNormalizer.Rewrite r) {
    List<String> in = withInput(n, 1, longs(r, n, "starts", n.intsAttr("starts", new long[0])));
    in.add(longs(r, n, "ends", n.intsAttr("ends", new long[0])));
    long[] axes = n.intsAttr("axes", null);
    if (axes != null) {
      in.add(longs(r, n, "axes", axes));
    }
    return Outcome.of(without(n, in, n.outputs(), "starts", "ends", "axes"));
  }

  private static Outcome pad(Node n, OpsetNormalizer.Rewrite r) {
    List<String> in = withInput(n, 1, longs(r, n, "pads", n.intsAttr("pads", new long[0])));
    float value = n.floatAttr("value", 0f);
    if (value != 0f) {
      in.add(scalar(r, n, "value", value));
    }
    return Outcome.of(without(n, in, n.outputs(), "pads", "value"));
  }

  private static Outcome clip(Node n, OpsetNormalizer.Rewrite r) {
    List<String> in = new ArrayList<>(n.inputs());
    in.add(n.has("min") ? scalar(r, n, "min", n.floatAttr("min", 0f)) : "");
    in.add(n.has("max") ? scalar(r, n, "max", n.floatAttr("max", 0f)) : "");
    while (!in.isEmpty() && in.get(in.size() - 1).isEmpty()) {
      in.remove(in.size() - 1);
    }
    return Outcome.of(without(n, in, n.outputs(), "min", "max"));
  }

  /** Outputs after the first that no node and no graph output reads are dropped; null if one is read. */
  private static List<String> onlyFirstOutput(Node n, OpsetNormalizer.Rewrite r) {
    for (int i = 1; i < n.outputs().size(); i++) {
      if (!n.outputs().get(i).isEmpty() && r.isUsed(n.outputs().get(i))) {
        return null;
      }
    }
    return List.of(n.outputs().get(0));
  }

  private static Outcome dropout(Node n, int opset, OpsetNormalizer.Rewrite r, String at) {
    if (opset >= 12) {
      return Outcome.SAME;
    }
    // Dropout-7 dropped is_test (Condense drops units only while it trains); Dropout-10 made the
    // mask bool; Dropout-12 moved ratio to input 1.
    List<String> out = onlyFirstOutput(n, r);
    if (out == null) {
      return Outcome.refuse(at + ": Dropout's mask output is used; Condense does not produce it");
    }
    List<String> in = n.has("ratio") ? withInput(n, 1, scalar(r, n, "ratio", n.floatAttr("ratio", 0.5f)))
        : n.inputs();
    return Outcome.of(without(n, in, out, "ratio", "is_test"));
  }

  private static Outcome batchNormalization(Node n, OpsetNormalizer.Rewrite r, String at) {
    if (!n.has("spatial") && !n.has("is_test") && !n.has("consumed_inputs") && n.outputs().size() == 1) {
      return Outcome.SAME;
    }
    // BatchNormalization-6 dropped consumed_inputs, -7 is_test, -9 spatial; the running and saved
    // statistics outputs of 6 to 9 exist only in training, which Condense does itself.
    if (n.intAttr("spatial", 1) != 1) {
      return Outcome.refuse(at + ": spatial=0 (statistics per activation, not per channel) is not supported");
    }
    List<String> out = onlyFirstOutput(n, r);
    if (out == null) {
      return Outcome.refuse(at + ": its running or saved statistics outputs are used; Condense does not produce them");
    }
    return Outcome.of(without(n, n.inputs(), out, "spatial", "is_test", "consumed_inputs"));
  }

  /**
   * Before 13, (Log)Softmax flattened its input to 2-D at {@code axis} (default 1) and normalised
   * over everything after it. That is the opset-13 op along the last axis when {@code axis} is the
   * last one; otherwise the node becomes Flatten(axis) → (Log)Softmax(axis=1) → Reshape to the
   * input's shape.
   */
  private static Outcome softmax(Node n, OpsetNormalizer.Rewrite r) {
    long axis = n.intAttr("axis", 1);
    int rank = r.rank(n.input(0));
    if (rank < 0 && !r.isLastWalk()) {
      return Outcome.LATER;
    }
    if (rank > 0 && (axis == rank - 1 || axis == -1)) {
      return Outcome.of(n.withAttribute("axis", new Attribute.IntAttr(-1)));
    }
    String x = n.input(0);
    String y = n.outputs().get(0);
    String flat = r.fresh(y + "_2d");
    String soft = r.fresh(y + "_2d_" + n.opType().toLowerCase(java.util.Locale.ROOT));
    String shape = r.fresh(y + "_shape");
    Node flatten = new Node(r.fresh(n.name() + "_flatten"), "Flatten", List.of(x), List.of(flat),
        Map.of("axis", new Attribute.IntAttr(axis)));
    Node normalise = new Node(n.name(), n.opType(), List.of(flat), List.of(soft),
        Map.of("axis", new Attribute.IntAttr(1)));
    Node shapeOf = new Node(r.fresh(n.name() + "_shape"), "Shape", List.of(x), List.of(shape));
    Node back = new Node(r.fresh(n.name() + "_reshape"), "Reshape", List.of(soft, shape), List.of(y));
    return Outcome.of(flatten, normalise, shapeOf, back);
  }

  /**
   * Opset-6 broadcasting: with {@code broadcast=1}, B's shape matches a contiguous run of A's
   * axes starting at {@code axis} (default: the trailing axes, numpy's rule). A constant B aligned
   * elsewhere gets trailing axes of length 1 so that numpy broadcasting aligns it the same.
   */
  private static Outcome legacyBroadcast(Node n, OpsetNormalizer.Rewrite r, String at) {
    if (!n.has("broadcast") && !n.has("axis") && !n.has("consumed_inputs")) {
      return Outcome.SAME;
    }
    Node plain = without(n, n.inputs(), n.outputs(), "broadcast", "axis", "consumed_inputs");
    if (!n.has("axis") || n.intAttr("broadcast", 0) == 0 || n.inputs().size() < 2) {
      return Outcome.of(plain);
    }
    int ra = r.rank(n.input(0));
    int rb = r.rank(n.input(1));
    if ((ra < 0 || rb < 0) && !r.isLastWalk()) {
      return Outcome.LATER;
    }
    long axis = n.intAttr("axis", 0);
    axis = axis < 0 && ra >= 0 ? axis + ra : axis;
    if (ra >= 0 && rb >= 0 && axis == ra - rb) {
      return Outcome.of(plain);
    }
    Tensor b = r.constant(n.input(1));
    if (ra < 0 || b == null || axis < 0 || axis + rb > ra) {
      return Outcome.refuse(at + ": broadcast with axis=" + n.intAttr("axis", 0)
          + " is read only for a constant second input of known rank");
    }
    int[] shape = Arrays.copyOf(b.shape(), (int) (ra - axis));
    Arrays.fill(shape, rb, shape.length, 1);
    String name = r.reshaped(n.input(1), b.reshape(shape));
    return Outcome.of(without(plain, List.of(n.input(0), name), n.outputs()));
  }

  /** PRelu before 7: a slope of one value per channel applied along axis 1. */
  private static Outcome preluSlope(Node n, OpsetNormalizer.Rewrite r, String at) {
    Tensor slope = r.constant(n.input(1));
    if (slope == null || slope.shape().length != 1 || slope.shape()[0] == 1) {
      return Outcome.SAME;
    }
    int rank = r.rank(n.input(0));
    if (rank < 0) {
      return r.isLastWalk() ? Outcome.refuse(at + ": a per-channel slope on an input of unknown rank")
          : Outcome.LATER;
    }
    if (rank <= 2) {
      return Outcome.SAME;
    }
    int[] shape = new int[rank - 1];
    Arrays.fill(shape, 1);
    shape[0] = slope.shape()[0];
    String name = r.reshaped(n.input(1), slope.reshape(shape));
    return Outcome.of(without(n, List.of(n.input(0), name), n.outputs()));
  }
}
