package dev.condense.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.prune.FilterNorms;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Slice;
import dev.condense.structure.Thinning;
import dev.condense.structure.Units;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 15 §1's check on real exports: in every prunable channel group of each model, the
 * lowest-L1 quarter of the channels (whole units for grouped Convs) is thinned out, and ONNX
 * Runtime runs the thinned model and the original with those channels masked (every reader's
 * slice zeroed). Prints one Markdown row per model: groups cut, channels removed, the largest
 * absolute difference of the outputs. Usage: {@code GroupsMaskCheck SIDE MODEL.onnx...}.
 */
public final class GroupsMaskCheck {
  private GroupsMaskCheck() {}

  public static void main(String[] args) throws Exception {
    int side = Integer.parseInt(args[0]);
    System.out.println("| model | groups cut | channels removed | max abs difference (ORT, thinned vs masked) |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (String file : Arrays.copyOfRange(args, 1, args.length)) {
      Model m = OnnxReader.load(Path.of(file));
      List<ChannelGroup> groups = ChannelGroups.of(m);
      Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
      Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
      int channels = 0;
      for (ChannelGroup g : groups) {
        int n = g.prunable() ? g.removable(g.size() / 4) : 0;
        if (n == 0) {
          continue;
        }
        int[] chosen = Units.lowest(FilterNorms.scores(m, g, Map.of()), n, g.unit());
        remove.put(g, chosen);
        channels += chosen.length;
        for (Slice s : g.slices()) {
          if (s.role() == Slice.Role.CONSUMER) {
            float[] d = init.get(s.tensor()).floatsCopy();
            for (int c : chosen) {
              s.forEachIndex(init.get(s.tensor()).shape(), c, i -> d[i] = 0f);
            }
            init.put(s.tensor(), Tensor.of(d, init.get(s.tensor()).shape()));
          }
        }
      }
      Model masked = m.withGraph(m.graph().withInitializers(init));
      Model thin = Thinning.apply(m, remove);
      long[] shape = {2, 3, side, side};
      float[] x = new float[(int) (2L * 3 * side * side)];
      Random r = new Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      float[] a = run(masked, x, shape);
      float[] b = run(thin, x, shape);
      double max = 0;
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs(a[i] - b[i]));
      }
      System.out.printf("| %s | %d of %d | %d | %.2e |%n", Path.of(file).getFileName(), remove.size(), groups.size(), channels, max);
    }
  }

  private static float[] run(Model m, float[] x, long[] shape) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(OnnxWriter.toBytes(m), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
          OrtSession.Result res = s.run(Map.of(m.graph().inputs().get(0).name(), t))) {
        FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }
}
