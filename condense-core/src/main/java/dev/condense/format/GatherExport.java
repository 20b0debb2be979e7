package dev.condense.format;

import dev.condense.graph.Attribute;
import dev.condense.graph.CompressionState;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a quantized model as plain ONNX that stays small: each shared-weight tensor becomes a
 * float codebook (entry 0 is 0.0) and a uint8 tensor of indices, rebuilt at load time by
 * {@code Gather(codebook, Cast(indices, int64))}. Any ONNX runtime runs it; the file is about a
 * quarter of the dense one (a byte per weight instead of four). The codebook is the weight's
 * ({@link CompressionState#sortedCodebook}: its codebook annotation, or its distinct non-zero
 * values); weights with more than 255 values are left as they are. The result carries no
 * codebook annotation for them: the Gather subgraph is the codebook in ONNX.
 */
public final class GatherExport {
  private GatherExport() {}

  public static Model export(Model m) {
    Graph g = m.graph();
    Map<String, Tensor> init = new LinkedHashMap<>();
    List<Node> built = new ArrayList<>();
    Map<String, float[]> quantized = new java.util.HashMap<>();
    for (PrunableWeight w : PrunableWeight.of(g)) {
      float[] codebook = CompressionState.sortedCodebook(m, w.weight(), 255);
      if (codebook != null) {
        quantized.put(w.weight(), codebook);
      }
    }
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      String name = e.getKey();
      float[] codebook = quantized.get(name);
      if (codebook == null) {
        init.put(name, e.getValue());
        continue;
      }
      float[] w = e.getValue().floats();
      float[] table = new float[codebook.length + 1];
      System.arraycopy(codebook, 0, table, 1, codebook.length);
      byte[] idx = new byte[w.length];
      for (int i = 0; i < w.length; i++) {
        idx[i] = w[i] == 0f ? 0 : (byte) (java.util.Arrays.binarySearch(codebook, w[i]) + 1);
      }
      init.put(name + ".codebook", Tensor.of(table, table.length));
      init.put(name + ".indices", Tensor.ofBytes(DType.UINT8, idx, e.getValue().shape()));
      built.add(new Node(name + ".cast", "Cast", List.of(name + ".indices"), List.of(name + ".indices_i64"),
          Map.of("to", new Attribute.IntAttr(DType.INT64.onnxCode()))));
      built.add(new Node(name + ".gather", "Gather", List.of(name + ".codebook", name + ".indices_i64"), List.of(name),
          Map.of("axis", new Attribute.IntAttr(0))));
    }
    List<Node> nodes = new ArrayList<>(built);
    nodes.addAll(g.nodes());
    return m.withGraph(g.withInitializers(init).withNodes(nodes));
  }
}
