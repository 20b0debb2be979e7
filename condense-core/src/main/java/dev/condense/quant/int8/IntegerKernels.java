package dev.condense.quant.int8;

import dev.condense.onnx.NodeListing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What of a quantized model ONNX Runtime runs in integer kernels, read from its optimized graph
 * (the file {@code SessionOptions.setOptimizedModelFilePath} writes): the values left float are
 * the graph's float inputs and the outputs of the Dequantize nodes it kept, and every node other
 * than a kept Quantize that reads a float value computes in float (its outputs are float too). A
 * layer runs in an integer kernel unless a node of its name is among those or it was left float
 * on purpose (mixed precision); the share of multiply-adds is counted from the layers' own counts.
 *
 * @param floatNodes "op name" of every node left computing in float
 * @param quantizeLeft kept QuantizeLinear nodes (the graph input's is expected)
 * @param dequantizeLeft kept DequantizeLinear nodes (the graph output's is expected)
 */
public record IntegerKernels(List<String> floatNodes, int quantizeLeft, int dequantizeLeft, long integerMacs,
    long totalMacs) {

  /** The analysis of {@code optimized}, the runtime's graph of {@code q}'s model whose graph inputs are {@code inputs}. */
  public static IntegerKernels of(Int8Quantizer.Result q, List<String> inputs, List<NodeListing.Listed> optimized) {
    Set<String> quantize = new HashSet<>(q.quantizeNodes());
    Set<String> dequantize = new HashSet<>(q.dequantizeNodes());
    Set<String> floats = new HashSet<>(inputs);
    List<String> floatNodes = new ArrayList<>();
    Set<String> floatNames = new HashSet<>();
    int qLeft = 0;
    int dqLeft = 0;
    for (NodeListing.Listed n : optimized) {
      if (quantize.contains(n.name())) {
        qLeft++;
        continue;
      }
      if (dequantize.contains(n.name())) {
        dqLeft++;
        floats.addAll(n.outputs());
        continue;
      }
      if (n.inputs().stream().anyMatch(floats::contains)) {
        floatNodes.add(n.opType() + " " + n.name());
        floatNames.add(n.name());
        floats.addAll(n.outputs());
      }
    }
    long total = 0;
    long integer = 0;
    Set<String> floatLayers = floatLayers(q);
    for (var e : q.layerMacs().entrySet()) {
      total += e.getValue();
      integer += floatNames.contains(e.getKey()) || floatLayers.contains(e.getKey()) ? 0 : e.getValue();
    }
    return new IntegerKernels(List.copyOf(floatNodes), qLeft, dqLeft, integer, total);
  }

  /** The layers of {@code q} left float (mixed precision): their weight is still a float initializer. */
  public static Set<String> floatLayers(Int8Quantizer.Result q) {
    Set<String> r = new java.util.LinkedHashSet<>();
    dev.condense.graph.Graph g = q.model().graph();
    for (dev.condense.graph.Node n : g.nodes()) {
      if (q.layerMacs().containsKey(n.name()) && n.hasInput(1) && g.isInitializer(n.input(1))) {
        r.add(n.name());
      }
    }
    return r;
  }

  /** The share of the layers' multiply-adds that run in integer kernels, in [0, 1]. */
  public double share() {
    return totalMacs == 0 ? 1 : (double) integerMacs / totalMacs;
  }

  /** The report line. */
  public String line() {
    return String.format(Locale.ROOT, "ONNX Runtime runs %.1f%% of %,d multiply-adds per sample in integer kernels; "
        + "%d node(s) left in float%s; %d QuantizeLinear and %d DequantizeLinear left", 100 * share(), totalMacs,
        floatNodes.size(), floatNodes.isEmpty() ? "" : " (" + String.join(", ", floatNodes) + ")", quantizeLeft,
        dequantizeLeft);
  }
}
