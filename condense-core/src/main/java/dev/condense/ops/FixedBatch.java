package dev.condense.ops;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Models exported with a fixed batch size (PyTorch traced at batch 1 writes {@code [1, 3, 224,
 * 224]} and bakes the 1 into its Reshape shapes) made to run at any batch: the graph the engine
 * compiles has a symbolic leading dim on those inputs and outputs, and every shape constant an op
 * reports as batch-bound ({@link Op#batchFreeShape}) follows the input's batch instead. The
 * result equals the original at the declared batch. The model itself is not changed: it is
 * written, and checked in ONNX Runtime, at the batch it declares.
 */
public final class FixedBatch {
  private FixedBatch() {}

  /** The batch size the model's float inputs declare, or -1 where one is symbolic or they disagree. */
  public static int declared(Graph g) {
    int batch = -1;
    for (ValueInfo vi : g.inputs()) {
      if (vi.dtype() != DType.FLOAT || vi.dims() == null || vi.dims().isEmpty()) {
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
  public static Graph free(OpTable table, Graph g) {
    int batch = declared(g);
    if (batch < 1) {
      return g;
    }
    ShapeInference.Result at;
    try {
      at = ShapeInference.infer(table, g, java.util.Map.of(), java.util.Map.of());
    } catch (dev.condense.CondenseException e) {
      return g; // needs its non-float inputs' values to be inferred: nothing is baked into constants
    }
    Graph out = g;
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      Op op = table.op(n);
      int slot = op.batchShapeSlot();
      Tensor freed = null;
      if (slot >= 0 && n.hasInput(slot)) {
        List<ValueType> in = new ArrayList<>();
        for (String v : n.inputs()) {
          in.add(v.isEmpty() ? null : at.types().get(v));
        }
        freed = op.batchFreeShape(n, in, at.constants()::get, batch);
      }
      if (freed == null) {
        nodes.add(n);
        continue;
      }
      String name = unique(out, n.input(slot) + "/batch_free");
      out = out.withInitializer(name, freed);
      List<String> inputs = new ArrayList<>(n.inputs());
      inputs.set(slot, name);
      nodes.add(n.withInputs(inputs));
    }
    return out.withNodes(nodes).withInputs(symbolic(g.inputs(), batch)).withOutputs(symbolic(g.outputs(), batch));
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
