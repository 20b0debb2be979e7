package dev.condense.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.structure.ChannelGroup;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latency table's cache: a second build of the same model (or one retrained: same shapes, other
 * weights) at the same setting and batch times nothing and tables the same milliseconds; another
 * batch or thread setting is another file; a damaged file is refused naming it.
 */
class LatencyCacheTest {
  private static final ChannelFloor FLOOR = new ChannelFloor(0.8, 1, 1);

  private static LatencyTable build(Model m, ShapeTimer timer, Path dir, int batch, List<String> log) {
    List<ChannelGroup> groups = GlobalChannelPlan.candidates(m);
    return LatencyTable.build(m, groups, FLOOR, batch, timer, LatencyCache.in(dir, m, timer.setting(), batch), log::add);
  }

  @Test
  void aSecondRunOfTheSameModelAndSettingTimesNothing(@TempDir Path dir) throws Exception {
    Model lenet = Zoo.create("lenet-5", 1);
    List<String> log = new ArrayList<>();
    ShapeTimer first = new ShapeTimer(0.5, "fake-t1");
    LatencyTable a = build(lenet, first, dir, 1, log);
    assertThat(first.calls).isPositive();
    assertThat(a.timed()).isEqualTo(first.calls);
    Path file = LatencyCache.in(dir, lenet, "fake-t1", 1).file();
    assertThat(file).exists();
    assertThat(file.getFileName().toString()).contains(LayerModels.shapeHash(lenet)).contains("fake-t1").endsWith("-b1.tsv");
    assertThat(Files.readAllLines(file)).hasSize(first.calls + 1);

    ShapeTimer second = new ShapeTimer(0.5, "fake-t1");
    Model retrained = Zoo.create("lenet-5", 2); // other weights, same shapes
    assertThat(LayerModels.shapeHash(retrained)).isEqualTo(LayerModels.shapeHash(lenet));
    LatencyTable b = build(retrained, second, dir, 1, log);
    assertThat(second.calls).isZero();
    assertThat(b.timed()).isZero();
    assertThat(b.cached()).isEqualTo(a.timed());
    assertThat(log.get(1)).contains("0 timed").contains(file.toString());
    for (ChannelGroup g : GlobalChannelPlan.candidates(lenet)) {
      for (int c : LatencyTable.counts(g, FLOOR)) {
        assertThat(b.ms(g, c)).as(g.name() + " at " + c).isCloseTo(a.ms(g, c), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void anotherBatchOrSettingIsAnotherFile(@TempDir Path dir) throws Exception {
    Model lenet = Zoo.create("lenet-5", 1);
    build(lenet, new ShapeTimer(0.5, "fake-t1"), dir, 1, new ArrayList<>());
    ShapeTimer batch8 = new ShapeTimer(0.5, "fake-t1");
    build(lenet, batch8, dir, 8, new ArrayList<>());
    ShapeTimer twoThreads = new ShapeTimer(0.5, "fake-t2");
    build(lenet, twoThreads, dir, 1, new ArrayList<>());
    assertThat(batch8.calls).isPositive();
    assertThat(twoThreads.calls).isPositive();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(3);
    }
  }

  @Test
  void aDamagedCacheIsRefusedNamingTheFileAndLine(@TempDir Path dir) throws Exception {
    Model lenet = Zoo.create("lenet-5", 1);
    Path file = LatencyCache.in(dir, lenet, "fake-t1", 1).file();
    Files.writeString(file, "# header\n0.25\tConv x[1,1,28,28]\nnot a number\tConv\n");
    assertThatThrownBy(() -> build(lenet, new ShapeTimer(0.5, "fake-t1"), dir, 1, new ArrayList<>()))
        .isInstanceOf(CondenseException.class).hasMessageContaining(file.toString()).hasMessageContaining("line 3");
  }

  @Test
  void theOneLayerModelsChangeOnlyTheGroupsWidth() {
    Model lenet = Zoo.create("lenet-5", 1);
    ChannelGroup g = GlobalChannelPlan.candidates(lenet).get(0);
    List<LayerModels.Layer> layers = LayerModels.of(lenet, g, 3, 4);
    assertThat(layers).extracting(LayerModels.Layer::node).containsExactlyElementsOf(LayerModels.layers(lenet, g));
    LayerModels.Layer producer = layers.get(0);
    LayerModels.Layer consumer = layers.get(layers.size() - 1);
    assertThat(producer.model().graph().inputs().get(0).shapeOr(-1)[0]).isEqualTo(4);
    String pw = producer.model().graph().nodes().get(0).input(1);
    String cw = consumer.model().graph().nodes().get(0).input(1);
    assertThat(producer.model().graph().initializer(pw).dim(0)).isEqualTo(3);
    assertThat(consumer.model().graph().initializer(cw).dim(1)).isEqualTo(3);
    assertThat(consumer.model().graph().inputs().get(0).shapeOr(-1)[1]).isEqualTo(3);
    int full = lenet.graph().initializer(cw).dim(0);
    assertThat(consumer.model().graph().initializer(cw).dim(0)).as("the consumer's outputs stay at full width").isEqualTo(full);
    assertThat(producer.signature()).contains("[4, 1, 28, 28]").doesNotContain(producer.node());
  }
}
