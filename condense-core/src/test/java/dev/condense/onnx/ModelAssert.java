package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.Map;

/** Field-by-field model equality for tests, with float tensors compared bit for bit. */
final class ModelAssert {

  private ModelAssert() {}

  static void assertSameModel(Model actual, Model expected) {
    assertThat(actual.irVersion()).isEqualTo(expected.irVersion());
    assertThat(actual.opsetImports()).isEqualTo(expected.opsetImports());
    assertThat(actual.producerName()).isEqualTo(expected.producerName());
    assertThat(actual.producerVersion()).isEqualTo(expected.producerVersion());
    assertThat(actual.docString()).isEqualTo(expected.docString());
    assertThat(actual.metadata()).containsExactlyEntriesOf(expected.metadata());
    assertSameGraph(actual.graph(), expected.graph());
  }

  static void assertSameGraph(Graph actual, Graph expected) {
    assertThat(actual.name()).isEqualTo(expected.name());
    assertThat(actual.inputs()).isEqualTo(expected.inputs());
    assertThat(actual.outputs()).isEqualTo(expected.outputs());
    assertThat(actual.valueInfo()).isEqualTo(expected.valueInfo());
    assertThat(actual.initializers().keySet()).containsExactlyElementsOf(expected.initializers().keySet());
    for (Map.Entry<String, Tensor> e : expected.initializers().entrySet()) {
      assertSameBits(actual.initializer(e.getKey()), e.getValue());
    }
    assertThat(actual.nodes()).hasSameSizeAs(expected.nodes());
    for (int i = 0; i < expected.nodes().size(); i++) {
      Node a = actual.nodes().get(i);
      Node x = expected.nodes().get(i);
      assertThat(a.name()).isEqualTo(x.name());
      assertThat(a.opType()).isEqualTo(x.opType());
      assertThat(a.inputs()).isEqualTo(x.inputs());
      assertThat(a.outputs()).isEqualTo(x.outputs());
      assertThat(a.attributes().keySet()).containsExactlyElementsOf(x.attributes().keySet());
      for (Map.Entry<String, Attribute> e : x.attributes().entrySet()) {
        Attribute got = a.attributes().get(e.getKey());
        assertThat(got).as("attribute %s of %s", e.getKey(), x.label()).isEqualTo(e.getValue());
        if (got instanceof Attribute.TensorAttr t) {
          assertSameBits(t.value(), ((Attribute.TensorAttr) e.getValue()).value());
        }
      }
    }
  }

  /** Equal type, shape and elements; floats compared by their raw bits (NaN payloads, -0.0). */
  static void assertSameBits(Tensor actual, Tensor expected) {
    assertThat(actual).isEqualTo(expected);
    if (expected.dtype() == DType.FLOAT) {
      assertThat(rawBits(actual.floats())).containsExactly(rawBits(expected.floats()));
    }
  }

  private static int[] rawBits(float[] f) {
    int[] bits = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      bits[i] = Float.floatToRawIntBits(f[i]);
    }
    return bits;
  }
}
