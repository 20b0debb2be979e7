package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer writes only what the reader reads back identically (issue 17 §1): 60 random valid
 * models — every element type, ranks 0 to 8, element counts from 1 to 2^16, dense and mostly-zero
 * values, names from one character to the format's 65,535 bytes in several scripts — go to
 * {@code .cdz} and come back with the same tensors, names and graph; and what the reader would
 * refuse is refused at write time, the previous file left as it was.
 */
class CdzRoundTripPropertyTest {
  private static final int TRIALS = 60;
  /**
   * The element types a tensor holds (FLOAT16, BFLOAT16 and DOUBLE are stored types, held as FLOAT)
   * and .cdz stores (not INT4 and UINT4, which it refuses by name).
   */
  private static final DType[] TYPES = java.util.Arrays.stream(DType.values())
      .filter(t -> t.computeType() == t && !t.isNibble()).toArray(DType[]::new);
  /** Name characters from several scripts (1 to 4 UTF-8 bytes), no control characters. */
  private static final String ALPHABET = "aZ09_./:-ßéж中文𝛼🙂";

  @Test
  void randomValidModelsReadBackIdentically() {
    SplittableRandom rnd = new SplittableRandom(17);
    for (int trial = 0; trial < TRIALS; trial++) {
      Model m = randomModel(rnd, trial);
      byte[] bytes = CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes();
      Model back = CdzFile.read(bytes, "trial-" + trial + ".cdz");
      assertThat(back.graph().initializers().keySet()).as("trial %d names", trial)
          .containsExactlyElementsOf(m.graph().initializers().keySet());
      for (var e : m.graph().initializers().entrySet()) {
        assertThat(back.graph().initializer(e.getKey())).as("trial %d tensor of %d chars", trial, e.getKey().length())
            .isEqualTo(e.getValue());
      }
      assertThat(back.graph().nodes()).as("trial %d graph", trial).isEqualTo(m.graph().nodes());
    }
  }

  private static Model randomModel(SplittableRandom rnd, int trial) {
    Graph.Builder b = new Graph.Builder("g" + trial).input(ValueInfo.batched("x", 1));
    int tensors = 1 + rnd.nextInt(5);
    for (int i = 0; i < tensors; i++) {
      String name = i + "#" + randomName(rnd);
      b.initializer(name, randomTensor(rnd));
      b.node(new Node("n" + i, "Identity", List.of(name), List.of("y" + i)));
      b.output(new ValueInfo("y" + i, DType.FLOAT, null));
    }
    return Model.of(b.build());
  }

  private static String randomName(SplittableRandom rnd) {
    int kind = rnd.nextInt(10);
    int chars = kind == 0 ? 16_000 + rnd.nextInt(300) : kind == 1 ? 1 : 1 + rnd.nextInt(40);
    StringBuilder s = new StringBuilder();
    while (s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 65_000 && chars-- > 0) {
      s.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, rnd.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
    }
    return s.toString();
  }

  private static Tensor randomTensor(SplittableRandom rnd) {
    int rank = rnd.nextInt(9);
    long budget = rnd.nextInt(20) == 0 ? 1 << 16 : 1 << (1 + rnd.nextInt(11));
    int[] shape = new int[rank];
    long n = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = (int) Math.max(1, Math.min(budget / n, 1 + rnd.nextInt(rank <= 2 ? 64 : 6)));
      n *= shape[i];
    }
    DType t = TYPES[rnd.nextInt(TYPES.length)];
    double zeros = rnd.nextBoolean() ? 0 : rnd.nextDouble();
    int size = (int) n;
    return switch (t) {
      case FLOAT -> {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
          v[i] = rnd.nextDouble() < zeros ? 0f : (float) rnd.nextGaussian() + (rnd.nextBoolean() ? 1e-3f : -1e-3f);
        }
        yield Tensor.of(v, shape);
      }
      case INT64 -> {
        long[] v = new long[size];
        for (int i = 0; i < size; i++) {
          v[i] = rnd.nextDouble() < zeros ? 0 : rnd.nextLong();
        }
        yield Tensor.ofLongs(v, shape);
      }
      case INT32 -> {
        int[] v = new int[size];
        for (int i = 0; i < size; i++) {
          v[i] = rnd.nextDouble() < zeros ? 0 : rnd.nextInt();
        }
        yield Tensor.ofInts(v, shape);
      }
      default -> {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
          v[i] = (byte) (rnd.nextDouble() < zeros ? 0 : t == DType.BOOL ? 1 : rnd.nextInt(256));
        }
        yield Tensor.ofBytes(t, v, shape);
      }
    };
  }

  private static Model oneTensor(String name, Tensor t) {
    return Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 1))
        .initializer(name, t).node(new Node("n", "Identity", List.of(name), List.of("y")))
        .output(new ValueInfo("y", DType.FLOAT, null)).build());
  }

  @Test
  void namesAndSizesTheReaderRefusesAreRefusedAtWriteTimeLeavingThePreviousFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.cdz");
    CdzFile.write(oneTensor("w", Tensor.of(new float[] {1, 2}, 2)), f, CdzFile.Options.defaults());
    byte[] before = Files.readAllBytes(f);
    List<Model> refused = new ArrayList<>();
    refused.add(oneTensor("w\nfake line", Tensor.of(new float[] {1}, 1)));
    refused.add(oneTensor("w\u202e", Tensor.of(new float[] {1}, 1)));
    refused.add(oneTensor("é".repeat(40_000), Tensor.of(new float[] {1}, 1)));
    refused.add(oneTensor("r", Tensor.zeros(DType.FLOAT, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
    // An 8192 × 8192 weight (256 MiB) pruned to two values Huffman-codes into 64 KB: more than 1024× the file.
    float[] pruned = new float[8192 * 8192];
    pruned[5] = 1;
    pruned[70_000_000 % pruned.length] = -1;
    refused.add(Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 8192))
        .initializer("z", Tensor.of(pruned, 8192, 8192)).node(new Node("n", "Gemm", List.of("x", "z"), List.of("y")))
        .output(new ValueInfo("y", DType.FLOAT, null)).build()));
    CdzFile.Options huffman = new CdzFile.Options(8, java.util.Map.of(), CdzFile.Stage.PQH);
    for (Model m : refused) {
      assertThatThrownBy(() -> CdzFile.write(m, f, huffman)).isInstanceOf(CondenseException.class)
          .hasMessageStartingWith(".cdz: tensor '").hasMessageNotContaining("\n");
      assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m.cdz");
    }
  }
}
