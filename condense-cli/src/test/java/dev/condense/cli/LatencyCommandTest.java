package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.CondenseException;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.quant.int4.Int4Format;
import dev.condense.quant.int4.Int4Quantizer;
import dev.condense.quant.int4.Int4Rounding;
import dev.condense.zoo.Zoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code condense latency} times the file ONNX Runtime loads, not Condense's reading of it: a
 * 4-bit MatMulNBits file (ONNX Runtime's contrib op, which Condense's reader refuses) and a
 * DequantizeLinear-21 file, both written by the int4 quantizer from the zoo's LeNet-300-100, are
 * timed against the float model; a file ONNX Runtime itself cannot load is one line naming it.
 */
class LatencyCommandTest {
  @TempDir
  static Path dir;

  static Int4Quantizer.Result int4;
  static Path nbits;
  static Path dq;

  @BeforeAll
  static void write() throws Exception {
    Model m = Zoo.create("lenet-300-100", 1, Zoo.MNIST_SAMPLE, 10);
    try (Engine e = NativeEngines.create(1)) {
      int4 = new Int4Quantizer(32, false, Int4Rounding.RTN, 1, 1).quantize(m, e, null, Progress.NONE);
    }
    nbits = dir.resolve("l300-nbits.onnx");
    dq = dir.resolve("l300-dq.onnx");
    Files.write(nbits, int4.bytes(Int4Format.MATMULNBITS));
    Files.write(dq, int4.bytes(Int4Format.QDQ));
  }

  @Test
  void timesAMatMulNBitsFileThatOnlyOnnxRuntimeReads() throws Exception {
    assertThatThrownBy(() -> OnnxReader.load(nbits)).isInstanceOf(CondenseException.class)
        .hasMessageContaining("MatMulNBits");
    CliRun r = CliRun.of("latency", "lenet-300-100", nbits.toString(), "--batch", "2", "--threads", "1", "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("macs_original").asLong()).isEqualTo(266_200);
    assertThat(j.get("macs_model").isNull()).isTrue();
    assertThat(j.get("macs_ratio").isNull()).isTrue();
    assertThat(j.get("macs_uncounted").get(nbits.toString()).asText()).contains("MatMulNBits").contains("com.microsoft");
    JsonNode row = j.get("latency").get(0);
    assertThat(row.get("batch").asInt()).isEqualTo(2);
    assertThat(row.get("original_ms").asDouble()).isPositive();
    assertThat(row.get("model_ms").asDouble()).isPositive();

    CliRun text = CliRun.of("latency", nbits.toString(), "lenet-300-100", "--batch", "1", "--threads", "1");
    assertThat(text.status()).as(text.err()).isZero();
    assertThat(text.out()).contains("multiply-adds of " + nbits + " not counted").contains("(MACs not counted) against");
  }

  @Test
  void timesADequantizeLinearFileAndCountsItsMultiplyAdds() throws Exception {
    CliRun r = CliRun.of("latency", "lenet-300-100", dq.toString(), "--batch", "1,3", "--threads", "1", "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("macs_model").asLong()).isEqualTo(266_200);
    assertThat(j.get("macs_ratio").asDouble()).isEqualTo(1.0);
    assertThat(j.has("macs_uncounted")).isFalse();
    assertThat(j.get("latency")).hasSize(2);
    assertThat(j.get("latency").get(1).get("batch").asInt()).isEqualTo(3);
    assertThat(j.get("latency").get(1).get("model_ms").asDouble()).isPositive();
  }

  @Test
  void aFileOnnxRuntimeCannotLoadIsOneLineNamingIt() throws Exception {
    // the MatMulNBits nodes in the default domain, where ONNX has no such op
    Path defaultDomain = dir.resolve("nbits-default-domain.onnx");
    Files.write(defaultDomain, OnnxWriter.toBytes(int4.matMulNBits()));
    Path garbage = dir.resolve("garbage.onnx");
    Files.write(garbage, "not a model".getBytes(StandardCharsets.US_ASCII));
    for (Path bad : new Path[] {defaultDomain, garbage}) {
      CliRun r = CliRun.of("latency", "lenet-300-100", bad.toString(), "--batch", "1", "--threads", "1");
      assertThat(r.status()).as(r.err()).isEqualTo(1);
      assertThat(r.err().strip()).startsWith("condense: error: " + bad + ": ONNX Runtime cannot load it: ")
          .doesNotContain("\n").doesNotContain("Exception");
    }
    CliRun missing = CliRun.of("latency", "lenet-300-100", dir.resolve("none.onnx").toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err().strip()).contains("none.onnx: no such file").doesNotContain("\n");
  }
}
