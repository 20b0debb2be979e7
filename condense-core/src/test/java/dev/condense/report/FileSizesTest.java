package dev.condense.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.StepContext;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.VectorQuantizer;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of a written .cdz file add up to its size on disk exactly, for product-quantized conv
 * layers (whose reconstruction lives in the graph section), scalar k-means and a pruned model.
 */
class FileSizesTest {
  @TempDir
  Path dir;

  static Model vq(Model m, VectorQuantizer q) {
    return new Step.VectorQuantize(PerLayer.all(q), true, Step.VectorQuantize.FINE_TUNE)
        .apply(m, StepContext.withoutData(m, 1));
  }

  FileSizes written(String name, Model reference, Model coded) throws Exception {
    Path file = dir.resolve(name);
    CdzFile.write(coded, file, CdzFile.Options.defaults());
    FileSizes f = FileSizes.ofCdz(name, Files.readAllBytes(file), coded.graph().nodes().size(),
        PrunableWeight.of(reference.graph()));
    assertThat(f.sum()).as(name).isEqualTo(Files.size(file)).isEqualTo(f.fileBytes());
    return f;
  }

  static long part(FileSizes f, String part) {
    return f.parts().stream().filter(p -> p.part().equals(part)).findFirst().orElseThrow().bytes();
  }

  @Test
  void partsAddUpToTheFileForEveryKindOfOutput() throws Exception {
    Model lenet = Zoo.create("lenet-5", 1);
    FileSizes pq = written("pq.cdz", lenet, vq(lenet, new VectorQuantizer.Product(4, 16, false)));
    // every layer's codebooks and codes are counted with the layer, not left to "other tensors"
    for (PrunableWeight w : PrunableWeight.of(lenet.graph())) {
      assertThat(part(pq, w.layer())).as(w.layer()).isPositive();
    }
    // one Gather per layer: the graph section is a small part of the file
    assertThat(part(pq, "graph")).isLessThan(pq.fileBytes() / 20);
    assertThat(pq.toMarkdown()).contains("| **total** | pq.cdz | " + String.format("%,d", pq.fileBytes()));
    written("kmeans.cdz", lenet, vq(lenet, new VectorQuantizer.Scalar(16)));
    Model pruned = MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.all(0.9)), null).apply(lenet);
    FileSizes p = written("pruned.cdz", lenet, pruned);
    assertThat(part(p, "ip1")).isLessThan(4L * 400_000 / 5);
  }

  @Test
  void aTruncatedFileIsOneLineNamingIt() {
    byte[] cdz = CdzFile.toBytes(Zoo.create("lenet-5", 1), CdzFile.Options.defaults()).bytes();
    byte[] cut = java.util.Arrays.copyOf(cdz, cdz.length - 3);
    assertThatThrownBy(() -> FileSizes.ofCdz("cut.cdz", cut, 1, List.of()))
        .isInstanceOf(CondenseException.class).hasMessageStartingWith("cut.cdz: section").hasMessageNotContaining("\n");
  }
}
