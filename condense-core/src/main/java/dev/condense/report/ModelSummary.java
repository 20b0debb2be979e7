package dev.condense.report;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer statistics of a model for one input sample (symbolic dims = 1): parameters,
 * non-zeros, MACs and dense bytes of every layer that has weights or does matrix work, and
 * totals. MACs count the multiply-adds of Conv, Gemm and MatMul — the "FLOPs" of the pruning
 * papers (Li et al. 2017, He et al. 2017); a BatchNormalization's per-element scale folds into
 * the conv before it at deployment and is not counted.
 */
public record ModelSummary(List<LayerStats> layers, long params, long nonzeros, long macs, long bytes) {

  public ModelSummary {
    layers = List.copyOf(layers);
  }

  public double density() {
    return params == 0 ? 1 : (double) nonzeros / params;
  }

  /** The layer of the node called {@code name}, or null. */
  public LayerStats layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  public static ModelSummary of(Model model) {
    Graph g = model.graph();
    ShapeInference.Result shapes = ShapeInference.infer(g, Map.of());
    List<LayerStats> rows = new ArrayList<>();
    Map<String, Boolean> counted = new HashMap<>();
    long params = 0;
    long nonzeros = 0;
    long macs = 0;
    long bytes = 0;
    long batch = batch(g, shapes);
    for (Node n : g.nodes()) {
      long p = 0;
      long nz = 0;
      long b = 0;
      for (String in : n.inputs()) {
        Tensor t = g.initializer(in);
        if (t == null || t.dtype() != DType.FLOAT || counted.putIfAbsent(in, true) != null) {
          continue;
        }
        p += t.size();
        nz += nonzeros(t);
        b += t.byteSize();
      }
      long m = macs(n, shapes, batch);
      if (p == 0 && m == 0) {
        continue;
      }
      int[] out = shapes.type(n.output(0)).shape();
      rows.add(new LayerStats(n.name().isEmpty() ? n.output(0) : n.name(), n.opType(), out, p, nz, m, b));
      params += p;
      nonzeros += nz;
      macs += m;
      bytes += b;
    }
    return new ModelSummary(rows, params, nonzeros, macs, bytes);
  }

  static long nonzeros(Tensor t) {
    long nz = 0;
    for (float v : t.floats()) {
      if (v != 0f) {
        nz++;
      }
    }
    return nz;
  }

  /**
   * Multiply-accumulates of one node for one sample of the batch: its op's count for the whole
   * output ({@code multiplyAdds} is per sample of the output's dim 0) over the model's batch, the
   * first input's dim 0 (1 where it is symbolic). The output's dim 0 need not be the batch: PyTorch's
   * MultiheadAttention works on [T, B, E] and [B·heads, T, d].
   */
  static long macs(Node n, ShapeInference.Result shapes, long batch) {
    ValueType out = shapes.types().get(n.output(0));
    if (out == null) {
      return 0;
    }
    long whole = OpTable.standard().op(n).multiplyAdds(n, shapes) * (out.rank() > 1 ? out.dim(0) : 1);
    return whole / Math.max(1, batch);
  }

  /**
   * The batch the shapes were inferred at: 1 where the first graph input of rank 2 or more has a
   * symbolic dim (inferred as 1), else its dim 0 (a fixed-batch export); 1 without such an input.
   */
  static long batch(Graph g, ShapeInference.Result shapes) {
    for (ValueInfo in : g.inputs()) {
      ValueType t = shapes.types().get(in.name());
      if (g.initializer(in.name()) == null && t != null && t.rank() > 1) {
        return in.dims().stream().allMatch(ValueInfo.Dim::isFixed) ? t.dim(0) : 1;
      }
    }
    return 1;
  }
}
