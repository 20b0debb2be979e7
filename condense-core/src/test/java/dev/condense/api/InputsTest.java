package dev.condense.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.Normalization;
import dev.condense.data.Preprocess;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
  @TempDir
  Path dir;

  @Test
  void aZooModelUsesTheDataDefaultWithoutAWarningAndStoresIt() {
    Inputs in = Inputs.load("lenet-300-100", 1, "mnist", 50, null);
    assertThat(in.origin()).isEqualTo(Inputs.Origin.ZOO);
    assertThat(in.warning()).isNull();
    assertThat(in.preprocess().normalization()).isEqualTo(Normalization.MNIST);
    assertThat(in.model().metadata()).containsEntry(Preprocess.METADATA_KEY, in.preprocess().text());
  }

  @Test
  void aFileWithoutASpecIsWarnedAboutAndOneWithASpecIsReadWithIt() throws Exception {
    Model zoo = Inputs.load("lenet-300-100", 1, "mnist", 50, null).model();
    Model bare = new Model(zoo.graph(), zoo.irVersion(), zoo.opsetImports(), "", "", "", java.util.Map.of());
    Path bareFile = dir.resolve("bare.onnx");
    OnnxWriter.write(bare, bareFile);
    Inputs guessed = Inputs.load(bareFile.toString(), 1, "mnist", 50, null);
    assertThat(guessed.origin()).isEqualTo(Inputs.Origin.DATA_DEFAULT);
    assertThat(guessed.warning()).contains("bare.onnx stores no preprocessing").contains("mnist is read with its default")
        .contains("scale=1/255,mean=0.1307,std=0.3081");

    Path stored = dir.resolve("unit.onnx");
    OnnxWriter.write(bare.withMetadata(Preprocess.METADATA_KEY, "unit"), stored);
    Inputs read = Inputs.load(stored.toString(), 1, "mnist", 50, null);
    assertThat(read.origin()).isEqualTo(Inputs.Origin.MODEL);
    assertThat(read.warning()).isNull();
    assertThat(read.data().test().preprocess()).isEqualTo(Preprocess.UNIT);

    Inputs given = Inputs.load(stored.toString(), 1, "mnist", 50, Preprocess.NONE);
    assertThat(given.origin()).isEqualTo(Inputs.Origin.GIVEN);
    assertThat(given.data().train().preprocess()).isEqualTo(Preprocess.NONE);
    assertThat(given.model().metadata()).containsEntry(Preprocess.METADATA_KEY, Preprocess.NONE.text());
  }
}
