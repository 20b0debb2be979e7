package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.condense.AtomicPair;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX external data ({@code onnx/dtypes/external}, saved by {@code onnx.save_model(...,
 * save_as_external_data=True, all_tensors_to_one_file=True, size_threshold=0)}): read, run like
 * ONNX Runtime, written with one side file that both Condense and ONNX Runtime read back, and a
 * location leaving the model's directory refused in one line naming the tensor and the path.
 */
class ExternalDataTest {
  static final Path EXTERNAL = TensorTypesTest.DIR.resolve("external/model.onnx");

  @TempDir
  Path tmp;

  @Test
  void readsAndRunsLikeOnnxRuntime() throws Exception {
    Model m = OnnxReader.load(EXTERNAL);
    assertThat(m.graph().storage("conv.weight").externalFile()).isEqualTo("weights.bin");
    assertThat(m.graph().initializer("conv.weight").shape()).containsExactly(4, 1, 3, 3);
    float[] x = TensorTypesTest.input(2, 3);
    float[] ours = TensorTypesTest.engine(m, x);
    float[] ref = TensorTypesTest.ort(EXTERNAL, x);
    assertThat(ours).hasSize(6);
    for (int i = 0; i < ref.length; i++) {
      assertThat(ours[i]).isCloseTo(ref[i], org.assertj.core.api.Assertions.within(1e-5f));
    }
  }

  @Test
  void writesOneSideFileThatCondenseAndOnnxRuntimeReadBack() throws Exception {
    Model m = OnnxReader.load(EXTERNAL);
    Path out = tmp.resolve("out.onnx");
    OnnxWriter.write(m, out);
    List<String> files = names();
    assertThat(files).hasSize(2).contains("out.onnx");
    String side = files.stream().filter(n -> !n.equals("out.onnx")).findFirst().orElseThrow();
    assertThat(side).matches("out\\.onnx\\.[0-9a-f]{8}\\.data");
    ModelProto p = ModelProto.parseFrom(Files.readAllBytes(out));
    for (TensorProto t : p.getGraph().getInitializerList()) {
      assertThat(TensorCodec.isExternal(t)).as(t.getName()).isTrue();
      assertThat(ExternalData.location(t, t.getName())).isEqualTo(side);
      long offset = Long.parseLong(t.getExternalDataList().stream().filter(e -> e.getKey().equals("offset"))
          .findFirst().orElseThrow().getValue());
      assertThat(offset % 8).as("aligned offset of " + t.getName()).isZero();
    }
    Model back = OnnxReader.load(out);
    assertThat(back.graph().initializers()).isEqualTo(m.graph().initializers());
    float[] x = TensorTypesTest.input(2, 4);
    assertThat(TensorTypesTest.ort(out, x)).containsExactly(TensorTypesTest.ort(EXTERNAL, x));

    OnnxWriter.write(m, out); // a rerun: the same names, nothing left over
    assertThat(names()).containsExactlyInAnyOrderElementsOf(files);
    Model changed = m.withGraph(m.graph().withInitializer("fc.bias",
        dev.condense.graph.Tensor.of(new float[] {1, 2, 3}, 3)));
    OnnxWriter.write(changed, out); // new weights: a new side file, the old one removed
    assertThat(names()).hasSize(2).doesNotContain(side);
    assertThat(OnnxReader.load(out).graph().initializer("fc.bias").floats()).containsExactly(1, 2, 3);
    OnnxWriter.write(changed.withGraph(changed.graph().withStorage(java.util.Map.of())), out);
    assertThat(names()).as("written inline: no side file left").containsExactly("out.onnx");
  }

  @Test
  void aFailedWriteLeavesThePreviousPairAndNoStrayFile() throws Exception {
    Path out = tmp.resolve("out.onnx");
    OnnxWriter.write(OnnxReader.load(EXTERNAL), out);
    List<String> before = names();
    byte[] model = Files.readAllBytes(out);
    Throwable t = catchThrowable(() -> AtomicPair.write(out, ".data", o -> o.write(new byte[] {1, 2, 3}), name -> {
      throw new CondenseException("render failed");
    }));
    assertThat(t).hasMessage("render failed");
    assertThat(names()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(Files.readAllBytes(out)).isEqualTo(model);
  }

  @Test
  void locationsOutsideTheModelsDirectoryAreRefused() throws Exception {
    Path escape = TensorTypesTest.DIR.resolve("escape/model.onnx");
    assertThat(refusal(escape)).isEqualTo(escape + ": initializer 'conv.weight': external data"
        + " '../external/weights.bin' is outside the model's directory " + escape.toAbsolutePath().getParent() + " ('..')");
    Path abs = withLocation(tmp.resolve("abs"), t -> EXTERNAL.resolveSibling("weights.bin").toAbsolutePath().toString());
    assertThat(refusal(abs)).contains("initializer 'conv.weight': external data '/").endsWith("(an absolute path)");
    Path linked = withLocation(tmp.resolve("link"), t -> "w.bin");
    Files.createSymbolicLink(linked.resolveSibling("w.bin"), EXTERNAL.resolveSibling("weights.bin").toAbsolutePath());
    assertThat(refusal(linked)).contains("initializer 'conv.weight': external data 'w.bin' is outside")
        .contains("(a symbolic link to ");
    Path missing = withLocation(tmp.resolve("missing"), t -> "gone.bin");
    assertThat(refusal(missing)).endsWith("initializer 'conv.weight': external data file "
        + missing.resolveSibling("gone.bin") + " does not exist");
  }

  @Test
  void aSideFileShorterThanDeclaredOrOverTheBudgetIsRefused() throws Exception {
    Path shortDir = Files.createDirectories(tmp.resolve("short"));
    Path shortModel = withLocation(shortDir, t -> "weights.bin");
    byte[] all = Files.readAllBytes(EXTERNAL.resolveSibling("weights.bin"));
    Files.write(shortDir.resolve("weights.bin"), java.util.Arrays.copyOf(all, all.length - 4));
    assertThat(refusal(shortModel)).contains("external data 'weights.bin' has " + (all.length - 4)
        + " bytes, shorter than the");
    // A tensor declaring 2^28 floats over a 2-KiB file must be refused before 1 GiB is allocated.
    Path big = Files.createDirectories(tmp.resolve("big")).resolve("model.onnx");
    ModelProto.Builder p = ModelProto.parseFrom(Files.readAllBytes(EXTERNAL)).toBuilder();
    p.getGraphBuilder().getInitializerBuilder(0).clearDims().addDims(1 << 28).removeExternalData(2)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(4L << 28)));
    Files.write(big, p.build().toByteArray());
    Files.copy(EXTERNAL.resolveSibling("weights.bin"), big.resolveSibling("weights.bin"));
    assertThat(refusal(big)).contains("external data 'weights.bin': would need 1.0 GiB, more than the 64.0 MiB");
  }

  /** A copy of the external fixture in {@code dir} whose tensors' location is {@code location}. */
  private Path withLocation(Path dir, UnaryOperator<String> location) throws IOException {
    Files.createDirectories(dir);
    ModelProto.Builder p = ModelProto.parseFrom(Files.readAllBytes(EXTERNAL)).toBuilder();
    for (TensorProto.Builder t : p.getGraphBuilder().getInitializerBuilderList()) {
      for (StringStringEntryProto.Builder e : t.getExternalDataBuilderList()) {
        if (e.getKey().equals("location")) {
          e.setValue(location.apply(e.getValue()));
        }
      }
    }
    Path f = dir.resolve("model.onnx");
    Files.write(f, p.build().toByteArray());
    return f;
  }

  private static String refusal(Path model) {
    Throwable t = catchThrowable(() -> OnnxReader.load(model));
    assertThat(t).isInstanceOf(CondenseException.class);
    assertThat(t.getMessage()).startsWith(model + ": ").doesNotContain("\n");
    return t.getMessage();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
