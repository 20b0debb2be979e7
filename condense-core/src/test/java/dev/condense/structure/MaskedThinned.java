package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.zoo.OrtReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The exactness check of thinning on exported models: the chosen channels masked (every reader's
 * slice zeroed, so they carry nothing) and thinned out must compute the same outputs in ONNX
 * Runtime, at 1e-4 (or a given tolerance).
 */
final class MaskedThinned {
  private MaskedThinned() {}

  /** The group of {@code groups} that {@code producer} makes (as a trunk or a gate). */
  static ChannelGroup made(List<ChannelGroup> groups, String producer) {
    return ChannelGroupsTest.byProducer(groups, producer);
  }

  /** {@code model} with every consumer slice of the channels in {@code remove} zeroed. */
  static Model masked(Model model, Map<ChannelGroup, int[]> remove) {
    Map<String, Tensor> init = new LinkedHashMap<>(model.graph().initializers());
    remove.forEach((g, ch) -> {
      for (Slice s : g.slices()) {
        if (s.role() == Slice.Role.CONSUMER) {
          init.put(s.tensor(), ChannelGroupsTest.zeroSlices(init.get(s.tensor()), s, ch));
        }
      }
    });
    return model.withGraph(model.graph().withInitializers(init));
  }

  /**
   * Thins {@code remove} out of {@code model}, checks it against the masked model in ONNX Runtime
   * on random input of {@code shape} and returns the difference's largest magnitude and the thin model.
   */
  static Model check(Model model, Map<ChannelGroup, int[]> remove, int[] shape) throws Exception {
    return check(model, remove, shape, 1e-4f);
  }

  /** {@link #check(Model, Map, int[])} within {@code tolerance}. */
  static Model check(Model model, Map<ChannelGroup, int[]> remove, int[] shape, float tolerance) throws Exception {
    Model thin = Thinning.apply(model, remove);
    float[] x = new float[(int) Tensor.numel(shape)];
    Random r = new Random(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2 - 1;
    }
    float[] expected = OrtReference.run(masked(model, remove), x, shape);
    float[] actual = OrtReference.run(thin, x, shape);
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance));
    }
    assertThat(thin.graph().parameterCount()).isLessThan(model.graph().parameterCount());
    return thin;
  }
}
