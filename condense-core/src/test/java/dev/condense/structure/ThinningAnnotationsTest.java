package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.Masks;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.quant.WeightSharing;
import dev.condense.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thinning cuts a weight's mask and codebook with the same slices as the weight. */
class ThinningAnnotationsTest {
  @Test
  void annotationsOfCutWeightsAreCutConsistently() {
    Model m = Zoo.create("lenet-5", 2);
    m = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(dev.condense.PerLayer.all(0.7)), null).apply(m);
    Map<String, Codebook> books = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      books.put(w.weight(), Codebook.fit(m.graph().initializer(w.weight()).floats(), 15, KMeans1D.Init.LINEAR, 1));
    }
    Model q = WeightSharing.apply(m, books);
    List<ChannelGroup> groups = ChannelGroups.of(q);
    ChannelGroup conv1 = groups.stream().filter(g -> g.producers().contains("conv1")).findFirst().orElseThrow();
    ChannelGroup conv2 = groups.stream().filter(g -> g.producers().contains("conv2")).findFirst().orElseThrow();
    Model thin = Thinning.apply(q, Map.of(conv1, new int[] {0, 3, 19}, conv2, new int[] {1, 2, 49}));

    assertThat(thin.annotations().masks().keySet()).isEqualTo(q.annotations().masks().keySet());
    assertThat(thin.annotations().codebooks().keySet()).isEqualTo(q.annotations().codebooks().keySet());
    for (PrunableWeight w : PrunableWeight.of(thin.graph())) {
      Tensor t = thin.graph().initializer(w.weight());
      WeightAnnotation.Codebook cb = thin.annotations().codebook(w.weight());
      assertThat(cb.decode()).as(w.weight()).isEqualTo(t.floats());
      // The cut codebook keeps its centroids (some may now be unused); the mask keeps the pruned
      // connections that survive, which are still the zeros here.
      assertThat(cb.centroids()).isEqualTo(q.annotations().codebook(w.weight()).centroids());
      assertThat(thin.annotations().mask(w.weight()).keep()).isEqualTo(Masks.fromZeros(thin).get(w.weight()));
    }
    // conv2's kernel lost 3 output and 3 input channels: [50, 20, 5, 5] -> [47, 17, 5, 5].
    assertThat(thin.graph().initializer("conv2.weight").shape()).containsExactly(47, 17, 5, 5);
    assertThat(thin.annotations().mask("conv2.weight").size()).isEqualTo(47 * 17 * 25);
  }

  @Test
  void aKeptZeroStaysKeptThroughTheCut() {
    Model m = Zoo.create("lenet-5", 2);
    String w = "ip1.weight";
    float[] d = m.graph().initializer(w).floatsCopy();
    boolean[] keep = new boolean[d.length];
    java.util.Arrays.fill(keep, true);
    int last = d.length - 1 - 16; // ip1.weight is [500, 800]; the last row's column 783 survives the cut
    d[last] = 0f; // kept, but zero: only the mask says it is kept
    keep[0] = false;
    d[0] = 0f;
    Model a = m.withGraph(m.graph().withInitializer(w, Tensor.of(d, m.graph().initializer(w).shape())))
        .withAnnotation(w, new WeightAnnotation.Mask(keep));
    ChannelGroup conv2 = ChannelGroups.of(a).stream().filter(g -> g.producers().contains("conv2")).findFirst().orElseThrow();
    Model thin = Thinning.apply(a, Map.of(conv2, new int[] {49})); // ip1's last 16 input columns go
    boolean[] cut = thin.annotations().mask(w).keep();
    int cols = thin.graph().initializer(w).shape()[1];
    assertThat(cut[0]).isFalse();
    assertThat(cut[cut.length - 1]).isTrue();
    assertThat(thin.graph().initializer(w).floats()[cut.length - 1]).isEqualTo(0f);
    assertThat(thin.graph().initializer(w).floats()[cut.length - 2]).isEqualTo(d[last - 1]);
    assertThat(cols).isEqualTo(800 - 16);
  }
}
