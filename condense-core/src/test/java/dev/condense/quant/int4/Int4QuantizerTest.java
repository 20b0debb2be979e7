package dev.condense.quant.int4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.LeNet;
import dev.condense.zoo.NetBuilder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both written forms of a 4-bit LeNet-300-100 (K = 784: blocks of 32, 64 and 128 leave a short
 * last block) in ONNX Runtime 1.29 — MatMulNBits and DequantizeLinear-21 → MatMul — give the
 * logits of the engine's run of the DequantizeLinear file read back, and those of the float model
 * with the dequantized weights put in (the simulation), within float32 summation error.
 */
class Int4QuantizerTest {
  static final int[] SAMPLE = {1, 28, 28};

  static ImageSet images(String name, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * 784];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    return new ImageSet(name, px, new int[n], 1, 28, 28, 10, Normalization.MNIST);
  }

  static float[] pixels(ImageSet d) {
    float[] x = new float[d.size() * d.sampleSize()];
    d.fill(null, 0, d.size(), x, new int[d.size()]);
    return x;
  }

  static float[] ort(byte[] model, String input, float[] x, int n) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // ONNX Runtime fuses DequantizeLinear → MatMul into MatMulNBits at accuracy level 4 (int8
      // activations) by default; level 0 computes in float32, as the MatMulNBits form is written.
      so.addConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
      try (OrtSession s = env.createSession(model, so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, 1, 28, 28});
          OrtSession.Result r = s.run(Map.of(input, t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }

  static float[] engine(Model m, float[] x, int n) {
    try (CpuEngine e = new CpuEngine(1); Session s = e.open(m)) {
      return s.run(Map.of(m.graph().inputs().get(0).name(), Tensor.of(x, n, 1, 28, 28))).values().iterator().next().floats();
    }
  }

  /** The float model with each layer's weight replaced by its dequantized 4-bit value. */
  static Model simulation(Model m, Int4Quantizer.Result q) {
    Graph g = m.graph();
    for (var e : q.weights().entrySet()) {
      String w = g.node(e.getKey()).input(1);
      BlockWeights b = e.getValue();
      g = g.withInitializer(w, Tensor.of(b.dequantized(), b.rows(), b.cols())); // transB = 1: [N, K]
    }
    return m.withGraph(g);
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static Model lenet() {
    return Model.of(LeNet.lenet300100(SAMPLE, 10, 7));
  }

  @Test
  void bothFormsRunInOnnxRuntimeAndAgreeWithTheEngineAndTheSimulation() throws Exception {
    Model m = lenet();
    ImageSet cal = images("cal", 64, 1);
    int n = 16;
    float[] x = pixels(images("test", n, 2));
    float[] reference = engine(m, x, n);
    for (int block : Int4Quantizer.BLOCKS) {
      for (boolean symmetric : new boolean[] {false, true}) {
        for (Int4Rounding rounding : Int4Rounding.values()) {
          String what = "block " + block + (symmetric ? " int4 " : " uint4 ") + rounding;
          Int4Quantizer.Result q;
          try (CpuEngine e = new CpuEngine(1)) {
            q = new Int4Quantizer(block, symmetric, rounding, 64, 32).quantize(m, e, cal, Progress.NONE);
          }
          assertThat(q.weights()).containsOnlyKeys("ip1", "ip2", "ip3");
          assertThat(q.outputError()).containsOnlyKeys("ip1", "ip2", "ip3");
          assertThat(q.outputError().values()).allSatisfy(e -> assertThat(e).isBetween(1e-4, 0.5));
          byte[] qdqBytes = OnnxWriter.toBytes(q.qdq());
          Model back = OnnxReader.read(qdqBytes, "qdq.onnx");
          assertThat(back.graph().initializer("ip1.weight/int4").dtype()).isEqualTo(symmetric ? DType.INT4 : DType.UINT4);
          float[] sim = engine(simulation(m, q), x, n);
          float[] eng = engine(back, x, n);
          float[] ortQdq = ort(qdqBytes, "input", x, n);
          float[] ortNbits = ort(q.matMulNBitsBytes(), "input", x, n);
          assertThat(maxDiff(eng, sim)).as(what + ": engine (DQ file) vs simulation").isLessThan(1e-4);
          assertThat(maxDiff(ortQdq, sim)).as(what + ": ONNX Runtime (DQ) vs simulation").isLessThan(1e-4);
          assertThat(maxDiff(ortNbits, sim)).as(what + ": ONNX Runtime (MatMulNBits) vs simulation").isLessThan(1e-4);
          assertThat(maxDiff(sim, reference)).as(what + ": 4 bits change the logits").isGreaterThan(1e-3);
        }
      }
    }
  }

  @Test
  void onlyTheNamedLayersGoToFourBits() throws Exception {
    Model m = lenet();
    String input = m.graph().inputs().get(0).name();
    ImageSet d = images("x", 8, 3);
    float[] x = pixels(d);
    try (CpuEngine e = new CpuEngine(1)) {
      Int4Quantizer.Result q = new Int4Quantizer(32, false, Int4Rounding.RTN, 8, 8)
          .quantize(m, java.util.Set.of("ip2"), e, null, Progress.NONE);
      assertThat(q.weights().keySet()).containsExactly("ip2");
      for (String kept : new String[] {"ip1", "ip3"}) {
        String w = m.graph().node(kept).input(1);
        assertThat(q.qdq().graph().node(kept).opType()).isEqualTo("Gemm");
        assertThat(q.qdq().graph().initializer(w)).as(kept + " keeps its float weight").isEqualTo(m.graph().initializer(w));
      }
      // only ip2's weight changed: both forms give the float model with ip2 dequantized put in
      float[] reference = engine(simulation(m, q), x, d.size());
      assertThat(maxDiff(ort(q.matMulNBitsBytes(), input, x, d.size()), reference)).isLessThan(1e-4);
      assertThat(maxDiff(ort(q.bytes(Int4Format.QDQ), input, x, d.size()), reference)).isLessThan(1e-4);
      assertThat(maxDiff(engine(m, x, d.size()), reference)).as("ip2 in 4 bits changes the logits").isGreaterThan(1e-4);

      String notALayer = m.graph().nodes().stream().filter(n -> !n.opType().equals("Gemm")).findFirst().orElseThrow().name();
      Int4Quantizer rtn = new Int4Quantizer(32, false, Int4Rounding.RTN, 8, 8);
      assertThatThrownBy(() -> rtn.quantize(m, java.util.Set.of("ip2", "nope"), e, null, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("no node named 'nope'");
      assertThatThrownBy(() -> rtn.quantize(m, java.util.Set.of(notALayer), e, null, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("node '" + notALayer + "' is not a Gemm or MatMul");
    }
  }

  @Test
  void gptqNeedsCalibrationAndAModelWithoutLayersIsRefused() {
    NetBuilder b = new NetBuilder("conv-only", "input", SAMPLE, 1);
    Model conv = Model.of(b.build(b.flatten("flatten", b.conv("conv", "input", 10, 28, 1, 0)), 10));
    try (CpuEngine e = new CpuEngine(1)) {
      assertThatThrownBy(() -> new Int4Quantizer(32, false, Int4Rounding.RTN, 8, 8).quantize(conv, e, null, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("conv-only").hasMessageContaining("no Gemm or MatMul");
      assertThatThrownBy(() -> new Int4Quantizer(32, false, Int4Rounding.GPTQ, 8, 8).quantize(lenet(), e, null, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("calibration");
    }
    assertThatThrownBy(() -> new Int4Quantizer(48, false, Int4Rounding.RTN, 8, 8))
        .isInstanceOf(CondenseException.class).hasMessageContaining("[32, 64, 128]");
  }

  @Test
  void fourBitTensorsRoundTripPackedTwoToAByte() {
    byte[] v = {-8, 7, 0, -1, 3};
    Tensor t = Tensor.ofBytes(DType.INT4, v, 5);
    assertThat(t.byteSize()).isEqualTo(3);
    Graph g = lenet().graph().withInitializer("extra", t);
    Model back = OnnxReader.read(OnnxWriter.toBytes(lenet().withGraph(g)), "t.onnx");
    assertThat(back.graph().initializer("extra")).isEqualTo(t);
    assertThat(Arrays.toString(dev.condense.graph.RawData.toLittleEndian(t))).isEqualTo("[120, -16, 3]"); // 0x78, 0xF0, 0x03
    assertThatThrownBy(() -> Tensor.ofBytes(DType.UINT4, new byte[] {16}, 1)).hasMessageContaining("uint4");
  }
}
