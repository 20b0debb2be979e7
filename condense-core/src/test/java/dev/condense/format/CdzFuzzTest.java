package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.zoo.NetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the decoders of untrusted files: the first byte picks the .cdz reader (whose checksums
 * stop most mutations early), a bare .cdz tensor payload (past the checksums: sparse indices,
 * codebooks, Huffman tables), or the ONNX reader. Whatever the bytes, the result is a value or
 * one one-line {@link CondenseException}; never a crash, a hang, or an allocation beyond what the
 * input's size justifies (the test JVM's heap is bounded). CI fuzzes for a bounded time
 * ({@code JAZZER_FUZZ=1}); every other run replays the seeds in
 * {@code src/test/resources/dev/condense/format/CdzFuzzTestInputs}.
 */
class CdzFuzzTest {
  @FuzzTest(maxDuration = "13s")
  void readerFailsOnlyWithOneLineErrors(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] rest = java.util.Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (data[0] & 3) {
        case 0 -> assertThat(CdzFile.read(rest, "fuzz").graph()).isNotNull();
        case 1 -> assertThat(TensorEncoder.decode(rest, "fuzz")).isNotNull();
        default -> assertThat(dev.condense.onnx.OnnxReader.read(rest, "fuzz").graph()).isNotNull();
      }
    } catch (CondenseException e) {
      assertThat(e.getMessage()).startsWith("fuzz").doesNotContain("\n");
    }
  }

  /** A small but complete model: conv, pool, flatten, gemm; pruned and shared like a real .cdz. */
  static Model seedModel() {
    NetBuilder b = new NetBuilder("seed", "input", new int[] {1, 6, 6}, 1);
    String x = b.maxPool("pool", b.relu("relu", b.conv("conv", "input", 3, 3, 1, 0)), 2, 2);
    Model m = Model.of(b.build(b.gemm("fc", b.flatten("flat", x), 4), 4));
    m = dev.condense.prune.MagnitudePruner.prune(m, new dev.condense.prune.PruningCriterion.Sparsity(dev.condense.PerLayer.all(0.5)), null).apply(m);
    java.util.Map<String, dev.condense.graph.Tensor> init = new java.util.LinkedHashMap<>(m.graph().initializers());
    dev.condense.graph.Tensor w = init.get("fc.weight");
    init.put("fc.weight", dev.condense.graph.Tensor.of(dev.condense.quant.Codebook.fit(w.floats(), 7,
        dev.condense.quant.KMeans1D.Init.LINEAR, 1).decode(), w.shape()));
    return m.withGraph(m.graph().withInitializers(init));
  }

  /** The committed seeds are exactly what today's writers produce, so fuzzing starts from valid inputs. */
  @Test
  void seedsAreCurrent() throws Exception {
    Model m = seedModel();
    CdzFile.Written w = CdzFile.toBytes(m, CdzFile.Options.defaults());
    Map<String, byte[]> seeds = Map.of(
        "cdz", prefixed(0, w.bytes()),
        "tensor", prefixed(1, w.tensors().get("fc.weight").payload()),
        "onnx", prefixed(2, dev.condense.onnx.OnnxWriter.toBytes(m)));
    Path dir = Path.of("src/test/resources/dev/condense/format/CdzFuzzTestInputs/readerFailsOnlyWithOneLineErrors");
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Path seed = dir.resolve(e.getKey());
      if (Boolean.getBoolean("condense.writeSeeds")) {
        Files.write(seed, e.getValue());
      }
      assertThat(Files.readAllBytes(seed)).as("rerun with -Dcondense.writeSeeds=true after a format change")
          .isEqualTo(e.getValue());
    }
    assertThat(CdzFile.read(w.bytes(), "seed").graph().initializers()).isEqualTo(m.graph().initializers());
  }

  private static byte[] prefixed(int selector, byte[] b) {
    byte[] r = new byte[b.length + 1];
    r[0] = (byte) selector;
    System.arraycopy(b, 0, r, 1, b.length);
    return r;
  }
}
