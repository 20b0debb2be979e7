package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.ops.ShapeInference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the model PyTorch exported in make_fixtures.py: structure, shapes and weights. */
class PyTorchExportTest {

  @Test
  void loadsAndInfersShapesForAnyBatchSize() {
    Model m = OnnxReader.load(Fixtures.path("tiny_cnn.onnx"));
    Graph g = m.graph();
    assertThat(m.producerName()).isEqualTo("pytorch");
    assertThat(m.opset()).isEqualTo(13);
    assertThat(g.nodes()).extracting(Node::opType)
        .containsExactly("Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten", "Gemm");
    assertThat(g.inputs()).containsExactly(new ValueInfo("input", DType.FLOAT,
        List.of(ValueInfo.Dim.symbol("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(8),
            ValueInfo.Dim.of(8))));
    assertThat(g.parameterCount()).isEqualTo(4 * 9 + 4 + 4 * 4 + 10 * 64 + 10);

    ShapeInference.Result r = ShapeInference.infer(g, Map.of("input", ValueType.floats(5, 1, 8, 8)));
    assertThat(r.type(g.nodes().get(0).output(0))).isEqualTo(ValueType.floats(5, 4, 8, 8));
    assertThat(r.type(g.nodes().get(3).output(0))).isEqualTo(ValueType.floats(5, 4, 4, 4));
    assertThat(r.type(g.nodes().get(4).output(0))).isEqualTo(ValueType.floats(5, 64));
    assertThat(r.type("logits")).isEqualTo(ValueType.floats(5, 10));
  }

  @Test
  void weightsGivePyTorchsOutput() {
    Graph g = OnnxReader.read(Fixtures.path("tiny_cnn.onnx")).graph();
    Tensor x = OnnxReader.readTensor(Fixtures.path("tiny_cnn_input.pb"));
    Tensor expected = OnnxReader.readTensor(Fixtures.path("tiny_cnn_output.pb"));
    assertThat(x.shape()).containsExactly(2, 1, 8, 8);
    assertThat(expected.shape()).containsExactly(2, 10);
    assertThat(ShapeInference.infer(g, Map.of("input", ValueType.floats(x.shape()))).type("logits"))
        .isEqualTo(ValueType.floats(expected.shape()));
    assertThat(forward(g, x.floats())).containsExactly(expected.floats(), within(1e-5f));
  }

  /**
   * The fixture net, written out by hand in plain loops: conv 3×3 pad 1 (1→4 channels), batch
   * norm (inference), ReLU, max pool 2×2, flatten, fc 64→10. Independent of any engine, so a
   * mismatch can only come from how the weights were read.
   */
  private static float[] forward(Graph g, float[] x) {
    float[] cw = g.initializer("conv.weight").floats();
    float[] cb = g.initializer("conv.bias").floats();
    float[] gamma = g.initializer("bn.weight").floats();
    float[] beta = g.initializer("bn.bias").floats();
    float[] mean = g.initializer("bn.running_mean").floats();
    float[] var = g.initializer("bn.running_var").floats();
    float eps = g.nodes().get(1).floatAttr("epsilon", 1e-5f);
    float[] fw = g.initializer("fc.weight").floats();
    float[] fb = g.initializer("fc.bias").floats();
    int batch = x.length / 64;
    float[] out = new float[batch * 10];
    for (int b = 0; b < batch; b++) {
      float[] pooled = new float[64];
      for (int c = 0; c < 4; c++) {
        float[] act = new float[64];
        for (int i = 0; i < 8; i++) {
          for (int j = 0; j < 8; j++) {
            float s = cb[c];
            for (int ki = 0; ki < 3; ki++) {
              for (int kj = 0; kj < 3; kj++) {
                int ii = i + ki - 1;
                int jj = j + kj - 1;
                if (ii >= 0 && ii < 8 && jj >= 0 && jj < 8) {
                  s += cw[c * 9 + ki * 3 + kj] * x[b * 64 + ii * 8 + jj];
                }
              }
            }
            s = (s - mean[c]) / (float) Math.sqrt(var[c] + eps) * gamma[c] + beta[c];
            act[i * 8 + j] = Math.max(0f, s);
          }
        }
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            pooled[c * 16 + i * 4 + j] = Math.max(Math.max(act[2 * i * 8 + 2 * j], act[2 * i * 8 + 2 * j + 1]),
                Math.max(act[(2 * i + 1) * 8 + 2 * j], act[(2 * i + 1) * 8 + 2 * j + 1]));
          }
        }
      }
      for (int o = 0; o < 10; o++) {
        float s = fb[o];
        for (int k = 0; k < 64; k++) {
          s += fw[o * 64 + k] * pooled[k];
        }
        out[b * 10 + o] = s;
      }
    }
    return out;
  }
}
