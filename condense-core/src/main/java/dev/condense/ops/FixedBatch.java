package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Models exported with a fixed batch size made to run at any batch. PyTorch traced at batch 1
 * writes {@code [1, 3, 224, 224]} and bakes the batch into the constant shapes of its Reshapes
 * (nn.MultiheadAttention's {@code [T, B·heads, d]}, {@code [T·B, E]}, {@code [T, B, E]}) and
 * Expands (a class token expanded to {@code [B, 1, E]}).
 *
 * <p>Which dim of a baked shape is the batch is decided by shape inference with the batch as a
 * symbol ({@link BatchAxes}): the inputs' dim 0 is B, and every value's dims are B·k or k. A node
 * whose constant shape input ({@link Op#batchShapeSlot}) may hold the batch offers each dim its
 * output could carry it in — for a Reshape only those that keep the samples apart in memory order —
 * and the one choice of all such nodes with which the whole graph infers, no sample's values
 * combined with another's and the outputs batched in dim 0, is taken; the baked shapes then follow
 * the input's batch at run time. Where no choice or more than one works, the model runs only at
 * the batch it declares, and another batch is refused naming the node ({@link Freed#at}).
 *
 * <p>The result equals the original at the declared batch. The model itself is not changed: it is
 * written, and checked in ONNX Runtime, at the batch it declares.
 */
public final class FixedBatch {
  private FixedBatch() {}

  /**
   * The graph a fixed-batch model runs as: {@code graph} follows any batch, unless {@code refusal}
   * says why it runs only at {@code declared} (-1: the model declares no fixed batch).
   */
  public record Freed(Graph graph, int declared, String refusal) {
    /** The graph to run a batch of {@code batch} samples with; refused, naming the node, where it cannot. */
    public Graph at(int batch) {
      if (refusal != null && batch != declared) {
        throw new CondenseException(refusal);
      }
      return graph;
    }
  }

  /**
   * The batch size the model's data inputs (float, int64 and int32: images, token ids) declare, or
   * -1 where one is symbolic or they disagree. An input read only where an op takes a description
   * of a value, not data ({@link Op#isFloatSlot} false: a float quantization scale), declares nothing.
   */
  public static int declared(Graph g) {
    int batch = -1;
    for (ValueInfo vi : g.inputs()) {
      if (!Set.of(DType.FLOAT, DType.INT64, DType.INT32).contains(vi.dtype()) || vi.dims() == null
          || vi.dims().isEmpty() || (vi.dtype() == DType.FLOAT && DescribingInputs.describesOnly(OpTable.standard(), g, vi.name()))) {
        continue;
      }
      ValueInfo.Dim d = vi.dims().get(0);
      if (!d.isFixed() || (batch >= 0 && batch != d.value())) {
        return -1;
      }
      batch = (int) d.value();
    }
    return batch;
  }

  /** {@code g} with its fixed batch freed, or {@code g} itself where it declares none. */
  public static Freed free(OpTable table, Graph g) {
    int batch = declared(g);
    if (batch < 1) {
      return new Freed(g, batch, null);
    }
    ShapeInference.Result at;
    try {
      at = ShapeInference.infer(table, g, Map.of(), Map.of());
    } catch (CondenseException e) {
      // needs its non-float inputs' values to be inferred: nothing is baked into constants
      return new Freed(withSymbolicBatch(g, batch), batch, null);
    }
    BatchAxes.Choice choice = new BatchAxes(table, g, at, batch).solve();
    if (choice.refusal() != null) {
      return new Freed(g, batch, "the model was exported at batch " + batch + " and runs only at it: "
          + choice.refusal());
    }
    Graph out = g;
    List<Node> nodes = new ArrayList<>();
    String batchSize = null;
    for (int i = 0; i < g.nodes().size(); i++) {
      Node n = g.nodes().get(i);
      Integer axis = choice.axes().get(i);
      if (axis == null || axis < 0) {
        nodes.add(n);
        continue;
      }
      if (batchSize == null) {
        batchSize = unique(out, g.inputs().get(0).name() + "/batch_size");
        out = addBatchSize(out, nodes, g.inputs().get(0).name(), batchSize);
      }
      int slot = table.op(n).batchShapeSlot();
      int[] shape = at.type(n.output(0)).shape();
      String name = unique(out, n.input(slot) + "/batch_free_" + i);
      out = runTimeShape(out, nodes, name, shape, axis, shape[axis] / batch, batchSize);
      List<String> inputs = new ArrayList<>(n.inputs());
      inputs.set(slot, name);
      nodes.add(n.withInputs(inputs));
    }
    return new Freed(withSymbolicBatch(out.withNodes(nodes), batch), batch, null);
  }

  private static Graph withSymbolicBatch(Graph g, int batch) {
    return g.withInputs(symbolic(g.inputs(), batch)).withOutputs(symbolic(g.outputs(), batch));
  }

  /** Adds nodes computing {@code [B]}, the batch of graph input {@code source}, as value {@code name}. */
  private static Graph addBatchSize(Graph g, List<Node> nodes, String source, String name) {
    String shape = unique(g, name + "/shape");
    String zero = unique(g, name + "/start");
    Graph out = g.withInitializer(zero, Tensor.ofLongs(new long[] {0}, 1));
    String one = unique(out, name + "/end");
    out = out.withInitializer(one, Tensor.ofLongs(new long[] {1}, 1));
    nodes.add(new Node(shape, "Shape", List.of(source), List.of(shape)));
    nodes.add(new Node(name, "Slice", List.of(shape, zero, one), List.of(name)));
    return out;
  }

  /**
   * Adds nodes computing {@code shape} with dim {@code axis} replaced by {@code factor} × the
   * run-time batch {@code batchSize}, as value {@code name} (folded once the plan knows the input
   * shape, as an exporter's own shape arithmetic is).
   */
  private static Graph runTimeShape(Graph g, List<Node> nodes, String name, int[] shape, int axis, int factor,
      String batchSize) {
    Graph out = g;
    List<String> parts = new ArrayList<>();
    if (axis > 0) {
      String before = unique(out, name + "/before");
      out = out.withInitializer(before, longs(Arrays.copyOfRange(shape, 0, axis)));
      parts.add(before);
    }
    String batched = batchSize;
    if (factor != 1) {
      String k = unique(out, name + "/factor");
      out = out.withInitializer(k, Tensor.ofLongs(new long[] {factor}, 1));
      batched = unique(out, name + "/batched");
      nodes.add(new Node(batched, "Mul", List.of(batchSize, k), List.of(batched)));
    }
    parts.add(batched);
    if (axis < shape.length - 1) {
      String after = unique(out, name + "/after");
      out = out.withInitializer(after, longs(Arrays.copyOfRange(shape, axis + 1, shape.length)));
      parts.add(after);
    }
    nodes.add(new Node(name, "Concat", parts, List.of(name)).withAttribute("axis", new Attribute.IntAttr(0)));
    return out;
  }

  private static Tensor longs(int[] v) {
    return Tensor.ofLongs(Arrays.stream(v).asLongStream().toArray(), v.length);
  }

  private static String unique(Graph g, String name) {
    String s = name;
    for (int i = 1; g.initializer(s) != null || g.producer(s) != null || g.input(s) != null; i++) {
      s = name + "_" + i;
    }
    return s;
  }

  private static List<ValueInfo> symbolic(List<ValueInfo> values, int batch) {
    List<ValueInfo> r = new ArrayList<>();
    for (ValueInfo vi : values) {
      List<ValueInfo.Dim> dims = vi.dims();
      if (dims != null && !dims.isEmpty() && dims.get(0).isFixed() && dims.get(0).value() == batch) {
        dims = new ArrayList<>(dims);
        dims.set(0, ValueInfo.Dim.symbol("batch"));
      }
      r.add(new ValueInfo(vi.name(), vi.dtype(), dims));
    }
    return r;
  }
}
