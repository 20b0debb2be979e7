package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.HalfFloats;
import dev.condense.engine.Engine;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import dev.condense.ops.OpTable;
import dev.condense.ops.TrainableTensors;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models whose weights are float16 or double behind the Casts exporters insert
 * ({@code onnx/dtypes/make_fixtures.py}): read into float32, run like ONNX Runtime, trained as
 * weights, and written back in their type bit for bit; a float16 model interface is refused.
 */
class TensorTypesTest {
  static final Path DIR = Path.of("src/test/resources/onnx/dtypes");

  @TempDir
  Path tmp;

  static float[] input(int batch, long seed) {
    Random r = new Random(seed);
    float[] x = new float[batch * 36];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  static float[] engine(Model m, float[] x) {
    try (Engine e = new CpuEngine(1); Session s = e.open(m)) {
      return s.run(Map.of("x", Tensor.of(x, x.length / 36, 1, 6, 6))).get("y").floats();
    }
  }

  static float[] ort(Object model, float[] x) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = model instanceof Path p ? env.createSession(p.toString(), so)
              : env.createSession((byte[]) model, so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {x.length / 36, 1, 6, 6});
          OrtSession.Result r = s.run(Map.of("x", t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"float16.onnx, FLOAT16", "double.onnx, DOUBLE"})
  void weightsOfOtherTypesRunLikeOnnxRuntime(String file, DType type) throws Exception {
    Path f = DIR.resolve(file);
    Model m = OnnxReader.load(f);
    assertThat(m.graph().initializer("conv.weight_stored").dtype()).isEqualTo(DType.FLOAT);
    assertThat(m.graph().storage("conv.weight_stored").dtype()).isEqualTo(type);
    assertThat(m.graph().storage("scale_stored").dtype()).as("the Constant's tensor").isEqualTo(type);
    float[] x = input(3, 7);
    float[] ours = engine(m, x);
    float[] ref = ort(Files.readAllBytes(f), x);
    assertThat(ours).hasSize(9);
    for (int i = 0; i < ref.length; i++) {
      assertThat(ours[i]).isCloseTo(ref[i], within(1e-5f));
    }
  }

  @ParameterizedTest
  @CsvSource({"float16.onnx", "double.onnx"})
  void writtenBackInTheirTypeBitForBit(String file) throws Exception {
    Path f = DIR.resolve(file);
    Model m = OnnxReader.load(f);
    Path out = tmp.resolve(file);
    OnnxWriter.write(m, out);
    ModelProto before = ModelProto.parseFrom(Files.readAllBytes(f));
    ModelProto after = ModelProto.parseFrom(Files.readAllBytes(out));
    for (TensorProto t : before.getGraph().getInitializerList()) {
      TensorProto w = after.getGraph().getInitializerList().stream()
          .filter(a -> a.getName().equals(t.getName())).findFirst().orElseThrow();
      assertThat(w.getDataType()).as(t.getName()).isEqualTo(t.getDataType());
      assertThat(w.getRawData()).as(t.getName()).isEqualTo(t.getRawData());
    }
    TensorProto scale = after.getGraph().getNodeList().stream().filter(n -> n.getName().equals("scale"))
        .findFirst().orElseThrow().getAttribute(0).getT();
    assertThat(scale.getDataType()).isEqualTo(before.getGraph().getInitializer(0).getDataType());
    float[] x = input(2, 8);
    assertThat(ort(out, x)).containsExactly(ort(f, x));
  }

  @Test
  void float16WeightsBehindACastTrainAndAreRoundedToNearestEvenWhenWritten() throws Exception {
    Model m = OnnxReader.load(DIR.resolve("float16.onnx"));
    TrainableTensors t = TrainableTensors.of(m.graph(), OpTable.standard());
    assertThat(t.frozen()).doesNotContain("conv.weight_stored", "fc.weight_stored", "fc.bias_stored");
    // A trained weight is any float32 tensor: write one that float16 cannot hold exactly.
    float[] w = m.graph().initializer("fc.bias_stored").floatsCopy();
    w[0] = 1 + 0x1p-11f; // a tie between two halves: rounds to the even one, 1.0
    w[1] = 1 + 3 * 0x1p-11f; // the other tie: rounds up, to 1 + 2^-9
    w[2] = 0.1f;
    Model trained = m.withGraph(m.graph().withInitializer("fc.bias_stored", Tensor.of(w, 3)));
    Path out = tmp.resolve("trained.onnx");
    OnnxWriter.write(trained, out);
    Model back = OnnxReader.load(out);
    assertThat(back.graph().storage("fc.bias_stored").dtype()).isEqualTo(DType.FLOAT16);
    assertThat(back.graph().initializer("fc.bias_stored").floats())
        .containsExactly(1f, 1 + 0x1p-9f, HalfFloats.halfToFloat(HalfFloats.floatToHalf(0.1f)));
    float[] x = input(2, 9);
    float[] ours = engine(back, x);
    float[] ref = ort(out, x);
    for (int i = 0; i < ref.length; i++) {
      assertThat(ours[i]).isCloseTo(ref[i], within(1e-5f));
    }
  }

  @Test
  void aFloat16InterfaceIsRefusedNamingTheInputAndItsType() {
    Path f = DIR.resolve("half_io.onnx");
    assertThat(OnnxReader.read(f).graph().inputs().get(0).dtype()).isEqualTo(DType.FLOAT16);
    assertThatThrownBy(() -> OnnxReader.load(f)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(f + ": graph input 'x' is float16, but Condense computes in float32")
        .hasMessageNotContaining("\n");
  }
}
