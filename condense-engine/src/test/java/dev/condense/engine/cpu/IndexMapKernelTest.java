package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.blas.NativeGemm;
import dev.condense.graph.Attribute;
import dev.condense.graph.Tensor;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pad's float modes against numpy.pad's results for [1, 2, 3] padded by 2 on each side (ONNX's
 * own node tests run edge and reflect on int32 data only), and its gradient: every output
 * position sends its gradient to the input it copies.
 */
class IndexMapKernelTest {

  static SingleNode pad(String mode, long before, long after, float[] upstream) {
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(new float[] {1, 2, 3}, 1, 1, 3));
    in.put("pads", Tensor.ofLongs(new long[] {0, 0, before, 0, 0, after}, 6));
    int width = (int) (3 + before + after);
    try (Parallel par = new Parallel(1)) {
      return new SingleNode(SingleNode.node("Pad", List.of("x", "pads"), Map.of("mode", new Attribute.StringAttr(mode))),
          in, new int[] {1, 1, width}, upstream, new Blas(NativeGemm.detect()), par, 2);
    }
  }

  static float[] ones(int n) {
    float[] o = new float[n];
    java.util.Arrays.fill(o, 1f);
    return o;
  }

  @Test
  void modesMatchNumpyPad() {
    // np.pad([1, 2, 3], 2, mode) for constant, edge, reflect and wrap
    assertThat(pad("constant", 2, 2, null).output).containsExactly(0, 0, 1, 2, 3, 0, 0);
    assertThat(pad("edge", 2, 2, null).output).containsExactly(1, 1, 1, 2, 3, 3, 3);
    assertThat(pad("reflect", 2, 2, null).output).containsExactly(3, 2, 1, 2, 3, 2, 1);
    assertThat(pad("wrap", 2, 2, null).output).containsExactly(2, 3, 1, 2, 3, 1, 2);
    assertThat(pad("constant", -1, 1, null).output).as("negative pads crop").containsExactly(2, 3, 0);
  }

  @Test
  void gradientGoesToTheCopiedInput() {
    assertThat(pad("constant", 2, 2, ones(7)).grads.get("x")).containsExactly(1, 1, 1);
    assertThat(pad("edge", 2, 2, ones(7)).grads.get("x")).containsExactly(3, 1, 3);
    assertThat(pad("reflect", 2, 2, ones(7)).grads.get("x")).containsExactly(2, 3, 2);
    assertThat(pad("wrap", 2, 2, ones(7)).grads.get("x")).containsExactly(2, 3, 2);
    assertThat(pad("constant", -1, 1, new float[] {5, 7, 9}).grads.get("x")).containsExactly(0, 5, 7);
  }
}
