package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.MemoryLimitException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph compiled for fixed input shapes: one buffer per value, one kernel per node, and for
 * training the gradient buffers and the write order of every gradient (see {@link Kernel}).
 * Buffers are allocated once and reused by every batch of that shape, so a long run allocates
 * nothing per step and its memory stays flat.
 */
final class Plan {
  final boolean training;
  private final Map<String, Buf> bufs = new HashMap<>();
  private final List<Kernel> kernels = new ArrayList<>();
  private final List<Kernel> backwardKernels = new ArrayList<>();
  private final List<String> trainable = new ArrayList<>();

  /**
   * @param inputs the concrete type of every graph input
   * @param inputValues values of non-float inputs (shapes), which become constants; a non-float
   *     input without one is a run-time value (token ids, see {@code RunTimeIndices})
   * @param weights the session's float initializers (shared, not copied)
   * @param weightGrads where the session keeps weight gradients (filled as needed)
   * @param frozen weights that must not receive a gradient
   * @param lossValue for training, the value the loss reads; only its ancestors are compiled
   * @param sparse whether inference runs pruned constant Gemm weights as sparse matrices
   */
  Plan(Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues,
      Map<String, float[]> weights, Map<String, float[]> weightGrads, Set<String> frozen,
      boolean training, String lossValue, boolean sparse) {
    this(OpTable.standard(), g, inputs, inputValues, weights, weightGrads, frozen, training, lossValue, sparse);
  }

  /** A plan whose nodes are the ops of {@code ops} (a user's own ops registered with {@link OpTable#with}). */
  Plan(OpTable ops, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues,
      Map<String, float[]> weights, Map<String, float[]> weightGrads, Set<String> frozen,
      boolean training, String lossValue, boolean sparse) {
    this(ops, g, inputs, inputValues, weights, weightGrads, frozen, training, lossValue, sparse, MemoryLimit.forThisHeap());
  }

  /**
   * A plan whose buffers must fit {@code limit}: counted from the inferred shapes and refused
   * ({@link PlanBudget}) before any is allocated.
   */
  Plan(OpTable ops, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues,
      Map<String, float[]> weights, Map<String, float[]> weightGrads, Set<String> frozen,
      boolean training, String lossValue, boolean sparse, MemoryLimit limit) {
    this.training = training;
    ShapeInference.Result shapes = ShapeInference.infer(ops, g, inputs, inputValues, limit);
    List<Node> nodes = training ? ancestors(g, lossValue) : g.nodes();
    long planned = PlanBudget.check(g, nodes, shapes, inputs, training, limit);
    try {
      allocate(ops, g, shapes, nodes, inputValues, weights, weightGrads, frozen, lossValue, sparse);
    } catch (OutOfMemoryError e) {
      throw new MemoryLimitException("the " + (training ? "training" : "inference") + " buffers planned for "
          + inputs.keySet() + " (" + MemoryLimit.describe(planned) + ") did not fit in what was left of the "
          + MemoryLimit.describe(Runtime.getRuntime().maxMemory()) + " heap", MemoryLimitException.Remedy.BATCH);
    }
  }

  private void allocate(OpTable ops, Graph g, ShapeInference.Result shapes, List<Node> nodes,
      Map<String, Tensor> inputValues, Map<String, float[]> weights, Map<String, float[]> weightGrads,
      Set<String> frozen, String lossValue, boolean sparse) {
    for (ValueInfo vi : g.inputs()) {
      Buf b = new Buf(vi.name(), shapes.type(vi.name()).shape());
      if (vi.dtype() == DType.FLOAT && !inputValues.containsKey(vi.name())) {
        b.data = new float[b.size];
      } else if (!inputValues.containsKey(vi.name())) {
        b.dtype = vi.dtype(); // run-time indices (RunTimeIndices), held as floats
        b.data = new float[b.size];
      } else if (vi.dtype() == DType.FLOAT) {
        b.constant = inputValues.get(vi.name());
        b.data = b.constant.floats();
      } else {
        b.constant = inputValues.get(vi.name());
        b.data = maskOf(b.constant);
      }
      bufs.put(vi.name(), b);
    }
    for (Map.Entry<String, Tensor> e : shapes.constants().entrySet()) {
      if (bufs.containsKey(e.getKey())) {
        continue;
      }
      Buf b = new Buf(e.getKey(), e.getValue().shape());
      b.constant = e.getValue();
      if (weights.containsKey(e.getKey())) {
        b.data = weights.get(e.getKey());
      } else if (e.getValue().dtype() == DType.FLOAT) {
        b.data = e.getValue().floats();
      } else {
        b.data = maskOf(e.getValue());
      }
      bufs.put(e.getKey(), b);
    }
    for (Node n : nodes) {
      if (n.outputs().stream().allMatch(o -> o.isEmpty() || shapes.constants().containsKey(o))) {
        continue; // Constant, or folded once by shape inference: the outputs are constants
      }
      Op op = ops.op(n);
      Buf[] in = new Buf[n.inputs().size()];
      for (int i = 0; i < in.length; i++) {
        String name = n.input(i);
        if (name.isEmpty()) {
          continue;
        }
        in[i] = bufs.get(name);
        // integers an op only moves: run-time token ids, or a quantized tensor and its fill (Pad on the integers)
        boolean movedIds = op.carriesIndices(i) && in[i] != null;
        if (op.isFloatSlot(i) && shapes.type(name).dtype() != DType.FLOAT && !movedIds) {
          throw new CondenseException("node " + n.label() + ": the engine computes in float32, but input '"
              + name + "' is " + shapes.type(name).dtype().name().toLowerCase());
        }
        if (movedIds && in[i].data == null && in[i].constant != null) {
          in[i].data = in[i].constant.toFloats();
        }
      }
      boolean view = op.isView(training);
      Buf[] out = new Buf[n.outputs().size()];
      for (int i = 0; i < out.length; i++) {
        String name = n.output(i);
        if (name.isEmpty()) {
          continue;
        }
        out[i] = new Buf(name, shapes.type(name).shape());
        out[i].dtype = shapes.type(name).dtype();
        out[i].data = view && i == 0 ? in[0].data : new float[out[i].size];
        bufs.put(name, out[i]);
      }
      Kernel kernel = KernelFactory.create(op, n, in, out, training, sparse);
      kernel.multiplyAdds = multiplyAdds(op, n, shapes);
      kernels.add(kernel);
    }
    if (training) {
      prepareGradients(weights, weightGrads, frozen, lossValue);
    }
  }

  /** The multiply-adds of one call of node {@code n} on the plan's whole batch. */
  private static long multiplyAdds(Op op, Node n, ShapeInference.Result shapes) {
    ValueType out = n.outputs().isEmpty() ? null : shapes.types().get(n.output(0));
    if (out == null) {
      return 0;
    }
    return op.multiplyAdds(n, shapes) * (out.rank() > 1 ? out.dim(0) : 1);
  }

  /** A bool constant as the engine's mask (float 0 and 1); null for other types, which kernels never read. */
  private static float[] maskOf(Tensor t) {
    return t != null && t.dtype() == DType.BOOL ? t.toFloats() : null;
  }

  /** The value computed by the last forward pass (a copy), in its ONNX type: masks come back as bool. */
  Tensor value(String name) {
    return buf(name).value();
  }

  /** The nodes {@code value} depends on, in graph order. */
  private static List<Node> ancestors(Graph g, String value) {
    Set<String> needed = new HashSet<>();
    needed.add(value);
    List<Node> all = g.nodes();
    boolean[] keep = new boolean[all.size()];
    for (int i = all.size() - 1; i >= 0; i--) {
      Node n = all.get(i);
      if (n.outputs().stream().anyMatch(needed::contains)) {
        keep[i] = true;
        needed.addAll(n.inputs());
      }
    }
    List<Node> r = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (keep[i]) {
        r.add(all.get(i));
      }
    }
    return r;
  }

  private void prepareGradients(Map<String, float[]> weights, Map<String, float[]> weightGrads,
      Set<String> frozen, String lossValue) {
    for (Kernel k : kernels) {
      for (int i = 0; i < k.in.length; i++) {
        Buf b = k.in[i];
        if (b != null && k.differentiable(i) && weights.containsKey(b.name) && !frozen.contains(b.name)
            && b.grad == null) {
          b.grad = weightGrads.computeIfAbsent(b.name, x -> new float[weights.get(x).length]);
          trainable.add(b.name);
        }
      }
      boolean flows = false;
      for (int i = 0; i < k.in.length; i++) {
        flows |= k.in[i] != null && k.in[i].grad != null && k.differentiable(i);
      }
      if (flows) {
        Buf o = k.out[0];
        if (o != null) { // absent where the node leaves its first output out (GRU's Y)
          o.grad = k instanceof ViewKernel ? k.in[0].grad : new float[o.size];
        }
        if (!(k instanceof ViewKernel)) {
          backwardKernels.add(k);
        }
        for (int i = 1; i < k.out.length; i++) {
          if (k.out[i] != null && k.gradientFrom(i)) {
            k.out[i].grad = new float[k.out[i].size];
          }
        }
      }
    }
    Buf loss = buf(lossValue);
    if (loss.grad == null) {
      throw new CondenseException("nothing to train: no trainable weight influences '" + lossValue + "'");
    }
    // The loss writes its gradient first; after it, every kernel in backward order is the first
    // or a later writer of each gradient array it feeds.
    Set<float[]> written = Collections.newSetFromMap(new IdentityHashMap<>());
    written.add(loss.grad);
    Collections.reverse(backwardKernels);
    for (Kernel k : backwardKernels) {
      for (int i = 0; i < k.in.length; i++) {
        if (k.wants(i)) {
          k.accumulate[i] = !written.add(k.in[i].grad);
        }
      }
      // a multiplying op's backward pass costs one forward's multiply-adds per gradient of a factor
      k.backwardMultiplyAdds = k.multiplyAdds * ((k.wants(0) ? 1 : 0) + (k.wants(1) ? 1 : 0));
    }
  }

  Buf buf(String value) {
    Buf b = bufs.get(value);
    if (b == null) {
      throw new CondenseException("no value named '" + value + "' is computed by this model");
    }
    return b;
  }

  boolean has(String value) {
    return bufs.containsKey(value);
  }

  /** Weights that receive a gradient in this plan. */
  List<String> trainable() {
    return trainable;
  }

  List<Kernel> kernels() {
    return kernels;
  }

  void forward(Ctx ctx) {
    ctx.training = training;
    OpProfile profile = ctx.profile;
    if (profile == null) {
      for (Kernel k : kernels) {
        k.forward(ctx);
      }
      return;
    }
    for (Kernel k : kernels) {
      long t0 = System.nanoTime();
      k.forward(ctx);
      profile.kernel(k, false, System.nanoTime() - t0);
    }
  }

  void backward(Ctx ctx) {
    OpProfile profile = ctx.profile;
    if (profile == null) {
      for (Kernel k : backwardKernels) {
        k.backward(ctx);
      }
      return;
    }
    for (Kernel k : backwardKernels) {
      long t0 = System.nanoTime();
      k.backward(ctx);
      profile.kernel(k, true, System.nanoTime() - t0);
    }
  }
}
