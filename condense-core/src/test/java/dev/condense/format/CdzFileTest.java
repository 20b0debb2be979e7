package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.PerLayer;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdzFileTest {
  /** LeNet-5 pruned to 10% and quantized to 5 bits (conv1 left unquantized: float values). */
  static Model compressed() {
    Model m = Zoo.create("lenet-5", 1);
    m = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(PerLayer.all(0.9)), null).apply(m);
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      if (!w.layer().equals("conv1")) {
        Codebook cb = Codebook.fit(init.get(w.weight()).floats(), 31, KMeans1D.Init.LINEAR, 1);
        init.put(w.weight(), Tensor.of(cb.decode(), w.shape()));
      }
    }
    return m.withGraph(m.graph().withInitializers(init));
  }

  @Test
  void roundTripIsBitIdenticalAtEveryStage(@TempDir Path dir) {
    Model m = compressed();
    for (CdzFile.Stage s : CdzFile.Stage.values()) {
      Path f = dir.resolve(s + ".cdz");
      CdzFile.write(m, f, CdzFile.Options.defaults().withStage(s));
      Model back = CdzFile.read(f);
      assertThat(back.graph().initializers()).as(s.toString()).isEqualTo(m.graph().initializers());
      assertThat(back.graph().nodes()).isEqualTo(m.graph().nodes());
      assertThat(back.graph().inputs()).isEqualTo(m.graph().inputs());
    }
    long p = CdzFile.toBytes(m, CdzFile.Options.defaults().withStage(CdzFile.Stage.P)).bytes().length;
    long pq = CdzFile.toBytes(m, CdzFile.Options.defaults().withStage(CdzFile.Stage.PQ)).bytes().length;
    long pqh = CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes().length;
    assertThat(pqh).isLessThan(pq);
    assertThat(pq).isLessThan(p);
  }

  @Test
  void damageIsOneLineNamingTheSection() {
    byte[] good = CdzFile.toBytes(compressed(), CdzFile.Options.defaults()).bytes();
    assertThatThrownBy(() -> CdzFile.read(new byte[] {1, 2, 3}, "m.cdz")).hasMessage("m.cdz: not a .cdz file (bad magic)");
    byte[] v2 = good.clone();
    v2[4] = 9;
    assertThatThrownBy(() -> CdzFile.read(v2, "m.cdz")).hasMessageContaining(".cdz version 9");
    Random r = new Random(4);
    for (int t = 0; t < 300; t++) {
      byte[] bad = good.clone();
      int at = 10 + r.nextInt(bad.length - 10);
      bad[at] ^= (byte) (1 << r.nextInt(8));
      assertThatThrownBy(() -> CdzFile.read(bad, "m.cdz")).isInstanceOf(CondenseException.class)
          .hasMessageStartingWith("m.cdz: ").matches(e -> !e.getMessage().contains("\n"));
    }
    for (int len = 0; len < good.length; len += Math.max(1, good.length / 97)) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      assertThatThrownBy(() -> CdzFile.read(cut, "m.cdz")).isInstanceOf(CondenseException.class);
    }
  }

  @Test
  void checksumMismatchNamesTheTensor() {
    byte[] good = CdzFile.toBytes(compressed(), CdzFile.Options.defaults()).bytes();
    String s = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = s.lastIndexOf("ip1.weight") + 40; // the tensor section (the graph names it first)
    good[at] ^= 1;
    assertThatThrownBy(() -> CdzFile.read(good, "m.cdz")).hasMessageContaining("(tensor 'ip1.weight')")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void missingFile(@TempDir Path dir) {
    assertThatThrownBy(() -> CdzFile.read(dir.resolve("x.cdz"))).hasMessageContaining("x.cdz: no such file");
    assertThat(Files.exists(dir.resolve("x.cdz"))).isFalse();
  }

  @Test
  void whatTheReaderWouldRefuseIsNotWrittenAndThePreviousFileStays(@TempDir Path dir) throws Exception {
    String name = "w".repeat(70_000);
    dev.condense.graph.Graph g = new dev.condense.graph.Graph.Builder("long")
        .initializer(name, Tensor.of(new float[] {1, -2, 3}, 3))
        .node(new dev.condense.graph.Node("r", "Relu", java.util.List.of(name), java.util.List.of("y")))
        .output(dev.condense.graph.ValueInfo.batched("y", 3)).build();
    Path f = dir.resolve("m.cdz");
    CdzFile.write(compressed(), f, CdzFile.Options.defaults());
    byte[] before = Files.readAllBytes(f);
    assertThatThrownBy(() -> CdzFile.write(Model.of(g), f, CdzFile.Options.defaults()))
        .isInstanceOf(CondenseException.class).hasMessageContaining("70000 bytes; the format stores at most 65,535")
        .matches(e -> e.getMessage().length() < 200, "names the tensor briefly");
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
  }
}
