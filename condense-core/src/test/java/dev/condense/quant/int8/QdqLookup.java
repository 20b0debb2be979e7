package dev.condense.quant.int8;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;

/**
 * Finds what the QDQ writer added by the graph's structure, not by its names (which are short
 * counters, {@link QdqGraph}): the Dequantize feeding a layer's weight or bias, the integers behind
 * it, the Quantize of an activation. Shared by the INT8 tests of every module.
 */
public final class QdqLookup {
  private QdqLookup() {}

  /** The DequantizeLinear writing input {@code slot} of node {@code layer} (1: weight, 2: bias). */
  public static Node dequantizeOf(Graph g, String layer, int slot) {
    Node p = g.producer(g.node(layer).input(slot));
    if (p == null || !p.opType().equals("DequantizeLinear")) {
      throw new AssertionError("input " + slot + " of " + layer + " is not written by a DequantizeLinear");
    }
    return p;
  }

  /** The constant integers (int8 weight, int32 bias) behind input {@code slot} of node {@code layer}. */
  public static Tensor integersOf(Graph g, String layer, int slot) {
    return g.initializer(dequantizeOf(g, layer, slot).input(0));
  }

  /** The scale of the Dequantize feeding input {@code slot} of {@code layer}. */
  public static float[] scaleOf(Graph g, String layer, int slot) {
    return g.initializer(dequantizeOf(g, layer, slot).input(1)).floats();
  }

  /** The QuantizeLinear of float value {@code v} of the float graph. */
  public static Node quantizeOf(Int8Quantizer.Result q, String v) {
    String integers = q.integers().get(v);
    Node p = integers == null ? null : q.model().graph().producer(integers);
    if (p == null || !p.opType().equals("QuantizeLinear")) {
      throw new AssertionError("no QuantizeLinear writes the integers of " + v);
    }
    return p;
  }

  /** The scale of the Dequantize that writes graph output {@code v}. */
  public static float outputScale(Graph g, String v) {
    Node p = g.producer(v);
    if (p == null || !p.opType().equals("DequantizeLinear")) {
      throw new AssertionError("graph output " + v + " is not written by a DequantizeLinear");
    }
    return g.initializer(p.input(1)).floats()[0];
  }
}
