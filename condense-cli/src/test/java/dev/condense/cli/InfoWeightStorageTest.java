package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code condense info} says where a model's weights live (the model file or external data beside
 * it) and the types the file stores them in (fixtures of {@code onnx/dtypes/make_fixtures.py}).
 */
class InfoWeightStorageTest {
  static final Path DTYPES = Path.of("../condense-core/src/test/resources/onnx/dtypes");

  @Test
  void externalDataIsNamed() throws Exception {
    String file = DTYPES.resolve("external/model.onnx").toString();
    CliRun r = CliRun.of("info", file);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("weights: 4 of 4 initializers in external data weights.bin (4); stored as float32: 4");
    JsonNode j = new ObjectMapper().readTree(CliRun.of("info", file, "--json").out());
    assertThat(j.get("weights_external").get("weights.bin").asInt()).isEqualTo(4);
  }

  @Test
  void float16WeightsAreShownInTheirType() {
    CliRun r = CliRun.of("info", DTYPES.resolve("float16.onnx").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("weights: 4 initializers in the model file; stored as float16: 4");
  }
}
