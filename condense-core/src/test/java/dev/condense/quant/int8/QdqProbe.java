package dev.condense.quant.int8;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Session;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.NodeListing;
import dev.condense.onnx.OnnxWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a QDQ model becomes in ONNX Runtime: the nodes of its optimized graph (ORT_ENABLE_ALL,
 * written with {@code setOptimizedModelFilePath}) and its first output for one batch, beside the
 * engine's simulation of the same file. Shared by the INT8 tests.
 */
final class QdqProbe {
  private QdqProbe() {}

  record Outcome(List<NodeListing.Listed> optimized, float[] ort, float[] engine) {}

  /** Random images of {@code shape} (c, h, w) with the seed's pixels, for calibration and checks. */
  static ImageSet images(String name, int n, int[] shape, long seed) {
    return images(name, n, shape, seed, null);
  }

  /** The same images with the given labels (null: the seed's). */
  static ImageSet images(String name, int n, int[] shape, long seed, int[] given) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * shape[0] * shape[1] * shape[2]];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(10);
    }
    return new ImageSet(name, px, given == null ? labels : given, shape[0], shape[1], shape[2], 10, Normalization.MNIST);
  }

  static Outcome run(Model qdq, ImageSet data, Path dir) throws Exception {
    int n = data.size();
    int[] s = data.sampleShape();
    float[] x = new float[n * data.sampleSize()];
    data.fill(null, 0, n, x, new int[n]);
    int[] shape = {n, s[0], s[1], s[2]};
    float[] engine;
    try (CpuEngine e = new CpuEngine(1); Session session = e.open(qdq)) {
      engine = session.run(Map.of(qdq.graph().inputs().get(0).name(), Tensor.of(x, shape))).values().iterator().next().floats();
    }
    Path optimized = dir.resolve("optimized.onnx");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] ort;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setOptimizedModelFilePath(optimized.toString());
      try (OrtSession session = env.createSession(OnnxWriter.toBytes(qdq), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), java.util.Arrays.stream(shape).asLongStream().toArray());
          OrtSession.Result r = session.run(Map.of(qdq.graph().inputs().get(0).name(), t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        ort = new float[fb.remaining()];
        fb.get(ort);
      }
    }
    return new Outcome(NodeListing.of(Files.readAllBytes(optimized), optimized.toString()), ort, engine);
  }

  static Int8Quantizer.Result quantize(Model m, ImageSet calibration) {
    try (CpuEngine e = new CpuEngine(1)) {
      return Int8Quantizer.defaults().quantize(m, e, calibration, Progress.NONE);
    }
  }
}
