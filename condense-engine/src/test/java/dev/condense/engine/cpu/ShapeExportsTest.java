package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shape arithmetic as PyTorch 1.13 exports it (fixtures of {@code shape/make_fixtures.py}):
 * {@code x.view(x.size(0), -1)} and a channel-shuffle block (view, transpose, view, chunk, cat,
 * where on a mask, x[:, 0]) at opsets 11 and 13 with a dynamic batch, and the same exported at a
 * fixed batch of 1. Engine logits match ONNX Runtime's within 1e-4 at batch 1 and 4; a fixed-batch
 * model runs in the engine at any batch and matches ONNX Runtime run sample by sample at its batch.
 */
class ShapeExportsTest {
  private static final Path DIR = Path.of("src/test/resources/shape");
  private static final CpuEngine ENGINE = NativeEngines.create(2);
  private static final int[] SAMPLE_VIEW = {3, 8, 8};
  private static final int[] SAMPLE_SHUFFLE = {3, 6, 6};

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"view_dyn_opset11", "view_dyn_opset13", "shuffle_dyn_opset11", "shuffle_dyn_opset13"})
  void dynamicBatchExportsMatchOnnxRuntimeAtBatchOneAndFour(String name) throws Exception {
    Model m = OnnxReader.read(DIR.resolve(name + ".onnx"));
    assertThat(m.graph().inputs().get(0).dims().get(0).isFixed()).as("the batch stays symbolic").isFalse();
    try (Session s = ENGINE.open(m)) {
      for (int batch : new int[] {1, 4}) {
        int[] shape = shape(batch, sample(name));
        float[] x = random(shape, batch);
        float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
        float[] ort = OrtReference.run(m, x, shape);
        assertClose(ours, ort, name + " at batch " + batch);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"view_fixed_opset13", "shuffle_fixed_opset13"})
  void fixedBatchExportsRunAtAnyBatchInTheEngine(String name) throws Exception {
    Model m = OnnxReader.read(DIR.resolve(name + ".onnx"));
    assertThat(m.graph().inputs().get(0).dims().get(0).value()).isEqualTo(1);
    int[] sample = sample(name);
    int per = (int) Tensor.numel(sample);
    try (Session s = ENGINE.open(m)) {
      for (int batch : new int[] {1, 4, 256}) {
        int[] shape = shape(batch, sample);
        float[] x = random(shape, batch);
        Tensor y = s.run(Map.of("x", Tensor.of(x, shape))).get("y");
        assertThat(y.shape()[0]).isEqualTo(batch);
        int classes = y.shape()[1];
        for (int i = 0; i < batch; i += Math.max(1, batch / 8)) { // ONNX Runtime takes only batches of 1
          float[] one = OrtReference.run(m, Arrays.copyOfRange(x, i * per, (i + 1) * per), shape(1, sample));
          assertClose(Arrays.copyOfRange(y.floats(), i * classes, (i + 1) * classes), one,
              name + " sample " + i + " of batch " + batch);
        }
      }
    }
  }

  /**
   * torchvision's shufflenet_v2_x0_5 (random weights), exported by {@code make_fixtures.py OUTDIR}
   * into the folder named by CONDENSE_SHUFFLENET_DIR; skipped where that is not set. Files whose
   * ops the table lacks (ReduceMean before the reductions land) are skipped by name.
   */
  @ParameterizedTest
  @ValueSource(strings = {"224_dyn_opset13", "224_fixed_opset13", "64_dyn_opset13", "64_fixed_opset13",
      "64_dyn_opset11", "64_fixed_opset11"})
  void shufflenetMatchesOnnxRuntime(String tag) throws Exception {
    String dir = System.getenv("CONDENSE_SHUFFLENET_DIR");
    org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "CONDENSE_SHUFFLENET_DIR is not set");
    boolean reduceMean = dev.condense.ops.OpTable.standard().find("ReduceMean") != null;
    Model m = OnnxReader.read(Path.of(dir, "shufflenet" + tag + (reduceMean ? "" : "_gap") + ".onnx"));
    int side = Integer.parseInt(tag.substring(0, tag.indexOf('_')));
    int[] sample = {3, side, side};
    int per = (int) Tensor.numel(sample);
    boolean fixed = tag.contains("fixed");
    try (Session s = ENGINE.open(m)) {
      for (int batch : new int[] {1, 4}) {
        int[] shape = shape(batch, sample);
        float[] x = random(shape, batch);
        float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
        if (!fixed) {
          assertClose(ours, OrtReference.run(m, x, shape), tag + " at batch " + batch);
          continue;
        }
        for (int i = 0; i < batch; i++) {
          float[] one = OrtReference.run(m, Arrays.copyOfRange(x, i * per, (i + 1) * per), shape(1, sample));
          assertClose(Arrays.copyOfRange(ours, i * 1000, (i + 1) * 1000), one, tag + " sample " + i + " of " + batch);
        }
      }
    }
  }

  private static int[] sample(String name) {
    return name.startsWith("view") ? SAMPLE_VIEW : SAMPLE_SHUFFLE;
  }

  private static int[] shape(int batch, int[] sample) {
    int[] s = new int[sample.length + 1];
    s[0] = batch;
    System.arraycopy(sample, 0, s, 1, sample.length);
    return s;
  }

  static float[] random(int[] shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  static void assertClose(float[] ours, float[] ort, String what) {
    assertThat(ours).as(what).hasSameSizeAs(ort);
    for (int i = 0; i < ours.length; i++) {
      assertThat(ours[i]).as(what + " element " + i).isCloseTo(ort[i], within(1e-4f + 1e-4f * Math.abs(ort[i])));
    }
  }
}
