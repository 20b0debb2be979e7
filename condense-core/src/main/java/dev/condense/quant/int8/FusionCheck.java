package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.onnx.NodeListing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether ONNX Runtime fused everything the quantizer meant to run on integers, read from the
 * runtime's optimized graph. Float is expected only where it was asked for: the Dequantize nodes
 * that feed what computes in float by design (a layer left float, mixed precision, and the ops
 * after it until its value is quantized again) and those that write the graph's outputs, and the
 * nodes computing on what they give. Any other node reading a float value (the graph's input,
 * or a Dequantize the runtime did not fold into an integer kernel) runs in float unasked: the file
 * would be slower than the report claims, so the caller refuses it, naming the nodes.
 */
public final class FusionCheck {
  private FusionCheck() {}

  /**
   * The nodes ({@code "op name"}, in the runtime's order) that compute in float although nothing
   * asked for it; empty when the runtime fused every integer layer and op.
   *
   * @param inputs the graph's input names
   * @param optimized the runtime's optimized graph of {@code q}'s model
   */
  public static List<String> unfused(Int8Quantizer.Result q, List<String> inputs, List<NodeListing.Listed> optimized) {
    Set<String> quantize = new HashSet<>(q.quantizeNodes());
    Set<String> dequantize = new HashSet<>(q.dequantizeNodes());
    Set<String> expectedDq = expectedDequantize(q);
    Set<String> expected = new HashSet<>();
    Set<String> unexpected = new HashSet<>(inputs);
    List<String> r = new ArrayList<>();
    for (NodeListing.Listed n : optimized) {
      if (quantize.contains(n.name())) {
        continue;
      }
      if (dequantize.contains(n.name())) {
        (expectedDq.contains(n.name()) ? expected : unexpected).addAll(n.outputs());
        continue;
      }
      if (n.inputs().stream().anyMatch(unexpected::contains)) {
        r.add(n.opType() + " " + n.name());
        unexpected.addAll(n.outputs());
      } else if (n.inputs().stream().anyMatch(expected::contains)) {
        expected.addAll(n.outputs());
      }
    }
    return List.copyOf(r);
  }

  /**
   * Refuses a model the runtime would run partly in float unasked, naming the nodes ({@code file}:
   * what the model would have been written as).
   */
  public static void require(Int8Quantizer.Result q, List<String> inputs, List<NodeListing.Listed> optimized,
      String file) {
    List<String> left = unfused(q, inputs, optimized);
    if (!left.isEmpty()) {
      throw new CondenseException("INT8: ONNX Runtime would run " + String.join(", ", left) + " in float (its optimized "
          + "graph did not fuse them into integer kernels), so " + file + " would be slower than planned; not written");
    }
  }

  /**
   * The Dequantize nodes whose float output is asked for: those read by a node that computes in
   * float by design (a float layer, and what reads a float layer's output before it is quantized
   * again) and those that write the graph's outputs.
   */
  private static Set<String> expectedDequantize(Int8Quantizer.Result q) {
    Graph g = q.model().graph();
    Set<String> quantize = new HashSet<>(q.quantizeNodes());
    Set<String> dequantize = new HashSet<>(q.dequantizeNodes());
    Set<String> byDesign = new HashSet<>(IntegerKernels.floatLayers(q));
    Set<String> floatValues = new HashSet<>();
    for (Node n : g.nodes()) {
      if (quantize.contains(n.name()) || dequantize.contains(n.name())) {
        continue;
      }
      if (byDesign.contains(n.name()) || n.inputs().stream().anyMatch(floatValues::contains)) {
        byDesign.add(n.name());
        floatValues.addAll(n.outputs());
      }
    }
    Set<String> r = new HashSet<>();
    for (Node n : g.nodes()) {
      if (dequantize.contains(n.name()) && (g.isGraphOutput(n.output(0))
          || g.consumers(n.output(0)).stream().anyMatch(c -> byDesign.contains(c.name())))) {
        r.add(n.name());
      }
    }
    return r;
  }
}
