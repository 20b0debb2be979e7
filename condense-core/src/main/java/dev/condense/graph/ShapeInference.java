package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the element type and concrete shape of every value in a graph from the shapes of its
 * inputs, for Condense's op set ({@link #SUPPORTED_OPS}); ONNX opset 13+ semantics. Also
 * reports the constant values (initializers and {@code Constant} outputs), which ops such as
 * Reshape need.
 *
 * <p>Any inconsistency is a {@link CondenseException} naming the node: unsupported op, wrong
 * input count, mismatched shapes.
 */
public final class ShapeInference {

  /** The ONNX ops Condense reads, infers, runs and trains (see {@link OpSet}). */
  public static final Set<String> SUPPORTED_OPS = OpSet.OPS;

  /** Ops Condense computes only at load time, from constant inputs ({@link ConstantFolding}). */
  public static final Set<String> FOLDED_OPS = Set.of("Cast", "Gather", "Transpose", "ConstantOfShape");

  private ShapeInference() {}

  /** The result: a type per value name, and the values known before running. */
  public record Result(Map<String, ValueType> types, Map<String, Tensor> constants) {
    public ValueType type(String value) {
      ValueType t = types.get(value);
      if (t == null) {
        throw new CondenseException("no value named '" + value + "' in the graph");
      }
      return t;
    }
  }

  /**
   * Infers every value's type for the given input shapes. {@code inputs} maps each graph input
   * name to its concrete type; a missing entry uses the declared shape with symbolic dims = 1.
   */
  public static Result infer(Graph g, Map<String, ValueType> inputs) {
    return infer(g, inputs, Map.of());
  }

  /**
   * Like {@link #infer(Graph, Map)}, with the values of some inputs known in advance (e.g. an
   * int64 shape fed to Reshape); they count as constants.
   */
  public static Result infer(Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues) {
    Map<String, ValueType> types = new LinkedHashMap<>();
    Map<String, Tensor> constants = new HashMap<>(g.initializers());
    constants.putAll(inputValues);
    java.util.Set<String> folded = new java.util.HashSet<>();
    for (ValueInfo vi : g.inputs()) {
      ValueType t = inputs.get(vi.name());
      if (t == null) {
        int[] s = vi.shapeOr(1);
        if (s == null) {
          throw new CondenseException("graph input '" + vi.name() + "' has no declared shape; give one");
        }
        t = new ValueType(vi.dtype(), s);
      }
      types.put(vi.name(), t);
    }
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      types.put(e.getKey(), new ValueType(e.getValue().dtype(), e.getValue().shape()));
    }
    for (Node n : g.nodes()) {
      List<ValueType> in = new ArrayList<>();
      for (String name : n.inputs()) {
        if (name.isEmpty()) {
          in.add(null);
          continue;
        }
        ValueType t = types.get(name);
        if (t == null) {
          throw new CondenseException("node " + n.label() + ": input '" + name
              + "' is neither a graph input, an initializer nor the output of another node");
        }
        in.add(t);
      }
      List<ValueType> out = inferNode(n, in, constants);
      for (int i = 0; i < n.outputs().size(); i++) {
        String o = n.outputs().get(i);
        if (o.isEmpty()) {
          continue;
        }
        if (i >= out.size()) {
          throw new CondenseException("node " + n.label() + ": output " + i + " ('" + o
              + "') is not supported by Condense");
        }
        types.put(o, out.get(i));
      }
      if (n.opType().equals("Constant")) {
        constants.put(n.output(0), constantValue(n));
      } else {
        List<Tensor> values = new ArrayList<>();
        for (String name : n.inputs()) {
          values.add(name.isEmpty() ? null : constants.get(name));
        }
        boolean allConstant = !values.isEmpty() && !values.contains(null);
        if (FOLDED_OPS.contains(n.opType()) && !allConstant) {
          throw new CondenseException("node " + n.label() + ": Condense supports " + n.opType()
              + " on constant inputs only (initializers or Constant outputs)");
        }
        // Other ops fold only on values already decoded or computed at load time, and on non-float
        // constants: a float weight initializer that merely passes a Reshape or an Identity must
        // stay a trainable weight.
        boolean decoded = FOLDED_OPS.contains(n.opType()) || folded.contains(n.input(0))
            || !(g.initializer(n.input(0)) != null && g.initializer(n.input(0)).dtype() == DType.FLOAT);
        if (allConstant && decoded && ConstantFolding.foldable(n, values)) {
          Tensor t = ConstantFolding.fold(n, values);
          constants.put(n.output(0), t);
          folded.add(n.output(0));
          types.put(n.output(0), new ValueType(t.dtype(), t.shape()));
        }
      }
    }
    for (ValueInfo vi : g.outputs()) {
      if (!types.containsKey(vi.name())) {
        throw new CondenseException("graph output '" + vi.name() + "' is not produced by any node");
      }
    }
    return new Result(types, constants);
  }

  /** The tensor a {@code Constant} node produces. */
  public static Tensor constantValue(Node n) {
    if (n.has("value")) {
      return n.tensorAttr("value");
    }
    if (n.has("value_float")) {
      return Tensor.of(new float[] {n.floatAttr("value_float", 0)});
    }
    if (n.has("value_int")) {
      return Tensor.ofLongs(new long[] {n.intAttr("value_int", 0)});
    }
    if (n.has("value_floats") && n.attributes().get("value_floats") instanceof Attribute.FloatsAttr f) {
      return Tensor.of(f.values().clone(), f.values().length);
    }
    if (n.has("value_ints")) {
      long[] v = n.intsAttr("value_ints", null);
      return Tensor.ofLongs(v, v.length);
    }
    throw new CondenseException("node " + n.label() + ": Constant without a supported value attribute"
        + " (value, value_float, value_floats, value_int, value_ints)");
  }

  private static List<ValueType> inferNode(Node n, List<ValueType> in, Map<String, Tensor> constants) {
    String op = n.opType();
    if (!SUPPORTED_OPS.contains(op)) {
      throw new CondenseException("unsupported op '" + op + "' at node " + n.label()
          + " (Condense supports " + String.join(", ", new java.util.TreeSet<>(SUPPORTED_OPS)) + ")");
    }
    return switch (op) {
      case "Conv" -> List.of(conv(n, in));
      case "Gemm" -> List.of(gemm(n, in));
      case "MatMul" -> List.of(matMul(n, in));
      case "Add", "Sub", "Mul", "Div" -> {
        requireInputs(n, in, 2, 2);
        requireSameType(n, in.get(0), in.get(1));
        yield List.of(new ValueType(in.get(0).dtype(), Broadcast.shape(in.get(0).shape(), in.get(1).shape(), n)));
      }
      case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Identity" -> {
        requireInputs(n, in, 1, 1);
        yield List.of(in.get(0));
      }
      case "Clip" -> {
        requireInputs(n, in, 1, 3);
        for (int i = 1; i < in.size(); i++) {
          if (in.get(i) != null && in.get(i).size() != 1) {
            throw new CondenseException("node " + n.label() + ": Clip min/max must be scalars");
          }
        }
        yield List.of(in.get(0));
      }
      case "Dropout" -> {
        requireInputs(n, in, 1, 3);
        if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
          throw new CondenseException("node " + n.label()
              + ": Dropout's mask output (bool) is not supported by Condense");
        }
        yield List.of(in.get(0));
      }
      case "Softmax" -> {
        requireInputs(n, in, 1, 1);
        axis(n, n.intAttr("axis", -1), in.get(0).rank());
        yield List.of(in.get(0));
      }
      case "MaxPool", "AveragePool" -> List.of(pool(n, in));
      case "GlobalAveragePool" -> {
        requireInputs(n, in, 1, 1);
        int[] s = in.get(0).shape();
        requireRank(n, s, 3, 5);
        for (int i = 2; i < s.length; i++) {
          s[i] = 1;
        }
        yield List.of(new ValueType(in.get(0).dtype(), s));
      }
      case "BatchNormalization" -> batchNorm(n, in);
      case "Flatten" -> {
        requireInputs(n, in, 1, 1);
        int[] s = in.get(0).shape();
        int ax = axisInclusive(n, n.intAttr("axis", 1), s.length);
        long outer = Tensor.numel(Arrays.copyOfRange(s, 0, ax));
        long inner = Tensor.numel(Arrays.copyOfRange(s, ax, s.length));
        yield List.of(new ValueType(in.get(0).dtype(), new int[] {(int) outer, (int) inner}));
      }
      case "Reshape" -> List.of(reshape(n, in, constants));
      case "Concat" -> List.of(concat(n, in));
      case "Pad" -> {
        requireInputs(n, in, 2, 4);
        int[] x = in.get(0).shape();
        yield List.of(new ValueType(in.get(0).dtype(), PadSpec.of(n, x.length, constants::get).apply(n, x)));
      }
      case "Slice" -> {
        requireInputs(n, in, 3, 5);
        yield List.of(new ValueType(in.get(0).dtype(), SliceSpec.of(n, in.get(0).shape(), constants::get).count()));
      }
      case "Constant" -> {
        requireInputs(n, in, 0, 0);
        Tensor t = constantValue(n);
        yield List.of(new ValueType(t.dtype(), t.shape()));
      }
      case "Cast", "Gather", "Transpose", "ConstantOfShape" -> {
        int inputs = n.opType().equals("Gather") ? 2 : 1;
        requireInputs(n, in, inputs, inputs);
        yield List.of(in.get(0)); // the real type comes from folding the constant inputs
      }
      default -> throw new IllegalStateException(op);
    };
  }

  private static ValueType conv(Node n, List<ValueType> in) {
    requireInputs(n, in, 2, 3);
    int[] x = in.get(0).shape();
    int[] w = in.get(1).shape();
    requireRank(n, x, 3, 4);
    if (w.length != x.length) {
      throw new CondenseException("node " + n.label() + ": weight rank " + w.length
          + " does not match input rank " + x.length);
    }
    int group = (int) n.intAttr("group", 1);
    if (group < 1 || x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1]) {
      throw new CondenseException("node " + n.label() + ": input has " + x[1] + " channels, weight "
          + Arrays.toString(w) + " with group=" + group + " does not fit");
    }
    if (in.size() > 2 && in.get(2) != null && (in.get(2).rank() != 1 || in.get(2).dim(0) != w[0])) {
      throw new CondenseException("node " + n.label() + ": bias shape " + in.get(2)
          + " does not match " + w[0] + " output channels");
    }
    int[] kernel = Arrays.copyOfRange(w, 2, w.length);
    long[] ks = n.intsAttr("kernel_shape", null);
    if (ks != null && !Arrays.equals(Arrays.stream(ks).mapToInt(Math::toIntExact).toArray(), kernel)) {
      throw new CondenseException("node " + n.label() + ": kernel_shape " + Arrays.toString(ks)
          + " does not match weight " + Arrays.toString(w));
    }
    ConvGeometry g = ConvGeometry.of(n, Arrays.copyOfRange(x, 2, x.length), kernel, false);
    int[] out = new int[x.length];
    out[0] = x[0];
    out[1] = w[0];
    System.arraycopy(g.out(), 0, out, 2, g.rank());
    return ValueType.floats(out);
  }

  private static ValueType pool(Node n, List<ValueType> in) {
    requireInputs(n, in, 1, 1);
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
      throw new CondenseException("node " + n.label() + ": MaxPool's Indices output is not supported");
    }
    int[] x = in.get(0).shape();
    requireRank(n, x, 3, 5);
    long[] ks = n.intsAttr("kernel_shape", null);
    if (ks == null || ks.length != x.length - 2) {
      throw new CondenseException("node " + n.label() + ": kernel_shape must give " + (x.length - 2) + " sizes");
    }
    int[] kernel = Arrays.stream(ks).mapToInt(Math::toIntExact).toArray();
    ConvGeometry g = ConvGeometry.of(n, Arrays.copyOfRange(x, 2, x.length), kernel, n.intAttr("ceil_mode", 0) != 0);
    int[] out = x.clone();
    System.arraycopy(g.out(), 0, out, 2, g.rank());
    return new ValueType(in.get(0).dtype(), out);
  }

  private static ValueType gemm(Node n, List<ValueType> in) {
    requireInputs(n, in, 2, 3);
    int[] a = in.get(0).shape();
    int[] b = in.get(1).shape();
    if (a.length != 2 || b.length != 2) {
      throw new CondenseException("node " + n.label() + ": Gemm needs 2-D inputs, got " + in.get(0) + " and " + in.get(1));
    }
    boolean ta = n.intAttr("transA", 0) != 0;
    boolean tb = n.intAttr("transB", 0) != 0;
    int m = ta ? a[1] : a[0];
    int k = ta ? a[0] : a[1];
    int kb = tb ? b[1] : b[0];
    int nn = tb ? b[0] : b[1];
    if (k != kb) {
      throw new CondenseException("node " + n.label() + ": shape mismatch: A " + in.get(0) + (ta ? "ᵀ" : "")
          + " times B " + in.get(1) + (tb ? "ᵀ" : "") + " (inner sizes " + k + " and " + kb + ")");
    }
    if (in.size() > 2 && in.get(2) != null) {
      int[] c = Broadcast.shape(in.get(2).shape(), new int[] {m, nn}, n);
      if (c.length != 2 || c[0] != m || c[1] != nn) {
        throw new CondenseException("node " + n.label() + ": C " + in.get(2) + " does not broadcast to [" + m + ", " + nn + "]");
      }
    }
    return ValueType.floats(m, nn);
  }

  /** NumPy matmul: 1-D operands are promoted, leading (batch) dims broadcast. */
  private static ValueType matMul(Node n, List<ValueType> in) {
    requireInputs(n, in, 2, 2);
    int[] a = in.get(0).shape();
    int[] b = in.get(1).shape();
    if (a.length == 0 || b.length == 0) {
      throw new CondenseException("node " + n.label() + ": MatMul needs inputs of rank ≥ 1");
    }
    int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
    int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
    if (a2[a2.length - 1] != b2[b2.length - 2]) {
      throw new CondenseException("node " + n.label() + ": shape mismatch: " + in.get(0) + " times " + in.get(1));
    }
    int[] batch = Broadcast.shape(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2), n);
    List<Integer> out = new ArrayList<>();
    for (int d : batch) {
      out.add(d);
    }
    if (a.length > 1) {
      out.add(a2[a2.length - 2]);
    }
    if (b.length > 1) {
      out.add(b2[b2.length - 1]);
    }
    return ValueType.floats(out.stream().mapToInt(Integer::intValue).toArray());
  }

  private static List<ValueType> batchNorm(Node n, List<ValueType> in) {
    requireInputs(n, in, 5, 5);
    int[] x = in.get(0).shape();
    requireRank(n, x, 2, 5);
    for (int i = 1; i < 5; i++) {
      if (in.get(i).rank() != 1 || in.get(i).dim(0) != x[1]) {
        throw new CondenseException("node " + n.label() + ": input " + i + " " + in.get(i)
            + " does not match " + x[1] + " channels");
      }
    }
    List<ValueType> out = new ArrayList<>();
    out.add(in.get(0));
    if (n.intAttr("training_mode", 0) != 0) {
      out.add(in.get(3));
      out.add(in.get(4));
    }
    return out;
  }

  private static ValueType reshape(Node n, List<ValueType> in, Map<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    Tensor shapeT = constants.get(n.input(1));
    if (shapeT == null) {
      throw new CondenseException("node " + n.label()
          + ": Reshape's shape must be a constant (an initializer or a Constant node)");
    }
    if (shapeT.dtype() != DType.INT64) {
      throw new CondenseException("node " + n.label() + ": Reshape's shape must be int64");
    }
    return new ValueType(in.get(0).dtype(), reshapeTarget(n, in.get(0).shape(), shapeT.longs()));
  }

  /** ONNX Reshape: 0 copies the input dim (unless allowzero), -1 is inferred. */
  public static int[] reshapeTarget(Node n, int[] inShape, long[] spec) {
    boolean allowZero = n.intAttr("allowzero", 0) != 0;
    int[] out = new int[spec.length];
    int inferred = -1;
    long known = 1;
    for (int i = 0; i < spec.length; i++) {
      long s = spec[i];
      if (s == -1) {
        if (inferred >= 0) {
          throw new CondenseException("node " + n.label() + ": Reshape shape has more than one -1");
        }
        inferred = i;
        continue;
      }
      if (s == 0 && !allowZero) {
        if (i >= inShape.length) {
          throw new CondenseException("node " + n.label() + ": Reshape copies dim " + i + " the input lacks");
        }
        s = inShape[i];
      }
      if (s < 0) {
        throw new CondenseException("node " + n.label() + ": invalid Reshape size " + s);
      }
      out[i] = (int) s;
      known *= s;
    }
    long total = Tensor.numel(inShape);
    if (inferred >= 0) {
      if (known == 0 || total % known != 0) {
        throw new CondenseException("node " + n.label() + ": cannot reshape " + Arrays.toString(inShape)
            + " to " + Arrays.toString(spec));
      }
      out[inferred] = (int) (total / known);
    } else if (known != total) {
      throw new CondenseException("node " + n.label() + ": cannot reshape " + Arrays.toString(inShape)
          + " (" + total + " elements) to " + Arrays.toString(out));
    }
    return out;
  }

  private static ValueType concat(Node n, List<ValueType> in) {
    if (in.isEmpty() || in.contains(null)) {
      throw new CondenseException("node " + n.label() + ": Concat needs at least one input");
    }
    int[] s = in.get(0).shape();
    int ax = axis(n, n.intAttr("axis", Long.MIN_VALUE), s.length);
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
    return new ValueType(in.get(0).dtype(), s);
  }

  /** An axis in [-rank, rank) made non-negative, or an error naming the node. */
  public static int axis(Node n, long axis, int rank) {
    if (axis == Long.MIN_VALUE) {
      throw new CondenseException("node " + n.label() + ": missing attribute 'axis'");
    }
    if (axis < -rank || axis >= rank) {
      throw new CondenseException("node " + n.label() + ": axis " + axis + " out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static int axisInclusive(Node n, long axis, int rank) {
    if (axis < -rank || axis > rank) {
      throw new CondenseException("node " + n.label() + ": axis " + axis + " out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static void requireInputs(Node n, List<ValueType> in, int min, int max) {
    int present = in.size();
    if (present < min || present > max || in.subList(0, Math.min(min, present)).contains(null)) {
      throw new CondenseException("node " + n.label() + ": expects " + (min == max ? min : min + "–" + max)
          + " inputs, got " + present);
    }
  }

  private static void requireRank(Node n, int[] s, int min, int max) {
    if (s.length < min || s.length > max) {
      throw new CondenseException("node " + n.label() + ": input of shape " + Arrays.toString(s)
          + " has rank " + s.length + ", expected " + min + (min == max ? "" : "–" + max));
    }
  }

  private static void requireSameType(Node n, ValueType a, ValueType b) {
    if (a.dtype() != b.dtype()) {
      throw new CondenseException("node " + n.label() + ": inputs have different element types "
          + a.dtype() + " and " + b.dtype());
    }
  }
}
