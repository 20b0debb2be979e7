package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small ViT of condense-engine's {@code exports/attention}: {@code info --groups} lists its
 * attention heads as groups with their head size, and a multiply-add target removes heads and MLP
 * width, written as a file ONNX Runtime reads back.
 */
class AttentionHeadsCommandsTest {
  @TempDir
  Path dir;

  private static Path vit() {
    Path p = Path.of("..", "condense-engine", "src", "test", "resources", "exports", "attention", "vit-opset13.onnx");
    assertThat(p).exists();
    return p;
  }

  @Test
  void infoListsTheHeadGroupsWithTheirHeadSize() {
    CliRun r = CliRun.of("info", vit().toString(), "--groups");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("16 channels = 2 attention heads of 8, prunable\n  made by: /post_norm/layers.0/self_attn/MatMul\n"
        + "  read by: /post_norm/layers.0/self_attn/Gemm");
  }

  @Test
  void aMultiplyAddTargetPrunesHeadsAndMlpWidth() throws Exception {
    Path data = RandomImages.npz(dir.resolve("images.npz"), 64, 32, new int[] {3, 16, 16}, 10, 5);
    CliRun r = CliRun.of("prune-filters", vit().toString(), "--data", "npz:" + data, "--target", "macs=0.67",
        "--retrain-epochs", "0", "--out", dir.resolve("vit.onnx").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode s = j.get("structure");
    assertThat(s.get("macs_after").asDouble() / s.get("macs_before").asDouble()).isLessThanOrEqualTo(0.67);
    long inProj = 0;
    long mlp = 0;
    for (JsonNode l : s.get("layers")) {
      String name = l.get("layer").asText();
      boolean thinner = l.get("params_after").asLong() < l.get("params_before").asLong();
      inProj += name.endsWith("self_attn/MatMul") && thinner ? 1 : 0;
      mlp += name.endsWith("linear1/MatMul") && thinner ? 1 : 0;
    }
    assertThat(inProj).as("attention layers that lost heads").isPositive();
    assertThat(mlp).as("MLPs that lost width").isPositive();
  }
}
