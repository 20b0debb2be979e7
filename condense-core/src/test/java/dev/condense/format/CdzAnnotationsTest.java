package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.CompressionState;
import dev.condense.graph.Model;
import dev.condense.graph.WeightAnnotation;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.Masks;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.quant.WeightSharing;
import dev.condense.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code .cdz} files are written from a model's masks and codebooks and read back into them; the
 * bytes are those the distinct-value derivation gives for the same weights (the format is fixed).
 */
class CdzAnnotationsTest {
  /**
   * LeNet-5 pruned to 10% (masks) and quantized to 5 bits (codebooks), conv1 unquantized; ip1's
   * codebook is stored reversed with an unused entry, so only its sorted distinct used values can
   * give the derivation's bytes.
   */
  static Model annotated() {
    Model m = Zoo.create("lenet-5", 1);
    m = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(dev.condense.PerLayer.all(0.9)), null).apply(m);
    Map<String, Codebook> books = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      if (!w.layer().equals("conv1")) {
        Codebook cb = Codebook.fit(m.graph().initializer(w.weight()).floats(), 31, KMeans1D.Init.LINEAR, 1);
        books.put(w.weight(), w.layer().equals("ip1") ? scrambled(cb) : cb);
      }
    }
    return WeightSharing.apply(m, books);
  }

  /** The same weights through a codebook in reverse order with one more, unused centroid. */
  static Codebook scrambled(Codebook cb) {
    int k = cb.centroids().length;
    float[] c = new float[k + 1];
    for (int j = 0; j < k; j++) {
      c[k - 1 - j] = cb.centroids()[j];
    }
    c[k] = 123f;
    int[] index = cb.index().clone();
    for (int i = 0; i < index.length; i++) {
      index[i] = index[i] < 0 ? -1 : k - 1 - index[i];
    }
    return new Codebook(c, index);
  }

  @Test
  void bytesFromTheAnnotationsAreThoseOfTheDerivation() {
    Model m = annotated();
    assertThat(m.annotations().codebooks()).hasSize(3);
    assertThat(m.annotations().masks()).hasSize(4);
    Model bare = m.withoutAnnotations();
    for (CdzFile.Stage s : CdzFile.Stage.values()) {
      for (int gap : new int[] {5, 0}) {
        CdzFile.Options o = new CdzFile.Options(gap, Map.of(), s);
        assertThat(CdzFile.toBytes(m, o).bytes()).as(s + ", gap " + gap).isEqualTo(CdzFile.toBytes(bare, o).bytes());
      }
    }
    assertThat(OnnxWriter.toBytes(GatherExport.export(m))).isEqualTo(OnnxWriter.toBytes(GatherExport.export(bare)));
  }

  @Test
  void aCdzFileReadsBackIntoItsMasksAndCodebooks() {
    Model m = annotated();
    Model back = CdzFile.read(CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes(), "m.cdz");
    assertThat(back.graph().initializers()).isEqualTo(m.graph().initializers());
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      assertThat(back.annotations().mask(w.weight()).keep()).as(w.weight())
          .isEqualTo(m.annotations().mask(w.weight()).keep());
      WeightAnnotation.Codebook cb = m.annotations().codebook(w.weight());
      WeightAnnotation.Codebook read = back.annotations().codebook(w.weight());
      if (cb == null) { // conv1 is not quantized, but the file stores its distinct values as a codebook
        assertThat(read.centroids()).isEqualTo(CompressionState.distinctNonZero(
            m.graph().initializer(w.weight()).floats(), 65_535));
      } else {
        assertThat(read.centroids()).isEqualTo(cb.sortedValues(65_535));
        assertThat(read.decode()).isEqualTo(cb.decode());
      }
    }
    // Written again from what was read: the same file.
    assertThat(CdzFile.toBytes(back, CdzFile.Options.defaults()).bytes())
        .isEqualTo(CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes());
    // Stage P stores no codebook: masks only.
    Model p = CdzFile.read(CdzFile.toBytes(m, CdzFile.Options.defaults().withStage(CdzFile.Stage.P)).bytes(), "p.cdz");
    assertThat(p.annotations().codebooks()).isEmpty();
    assertThat(p.annotations().masks()).hasSize(4);
    assertThat(Masks.of(p).byWeight().get("ip1.weight")).isEqualTo(Masks.of(m).byWeight().get("ip1.weight"));
  }

  @Test
  void onnxKeepsNoAnnotationsAndTheGatherFormReplacesTheCodebooks() {
    Model m = annotated();
    Model onnx = OnnxReader.read(OnnxWriter.toBytes(m), "m.onnx");
    assertThat(onnx.annotations().isEmpty()).isTrue();
    // What the zeros say is what the masks said.
    assertThat(Masks.of(onnx).byWeight().keySet()).isEqualTo(Masks.of(m).byWeight().keySet());
    Masks.of(m).byWeight().forEach((w, k) -> assertThat(Masks.of(onnx).get(w)).as(w).isEqualTo(k));
    Model gathered = GatherExport.export(m);
    assertThat(gathered.annotations().codebooks()).isEmpty();
    assertThat(gathered.graph().initializer("ip1.weight.codebook").floats())
        .startsWith(0f).hasSize(m.annotations().codebook("ip1.weight").sortedValues(255).length + 1);
  }
}
