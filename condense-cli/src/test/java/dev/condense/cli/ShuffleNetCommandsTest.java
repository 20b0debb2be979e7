package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny torchvision ShuffleNetV2 of condense-engine's {@code exports/shufflenet}: {@code info
 * --groups} lists the groups a channel shuffle merged (with the filters of each branch they hold)
 * and says what pins the others, and a multiply-add target thins it into a file ONNX Runtime
 * reads back.
 */
class ShuffleNetCommandsTest {
  @TempDir
  Path dir;

  private static Path tiny(int opset) {
    Path p = Path.of("..", "condense-engine", "src", "test", "resources", "exports", "shufflenet", "tiny-opset" + opset + ".onnx");
    assertThat(p).exists();
    return p;
  }

  @Test
  void infoListsTheShuffleGroupsAndWhatPinsTheRest() {
    CliRun r = CliRun.of("info", tiny(13).toString(), "--groups");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("17 channel groups, 14 prunable\n")
        .contains("4 channels, prunable\n  made by: /stage2/stage2.0/branch1/branch1.2/Conv, /stage2/stage2.0/branch2/branch2.5/Conv\n"
            + "  filters: 4-7 of each\n  shuffled by: /stage2/stage2.0/Reshape\n  read by: /stage2/stage2.1/branch2/branch2.0/Conv\n")
        .contains("2 channels, prunable\n  made by: /stage2/stage2.0/branch1/branch1.2/Conv, /stage2/stage2.0/branch2/branch2.5/Conv,"
            + " /stage2/stage2.1/branch2/branch2.5/Conv\n  filters: 2-3; 4-7 (2 per channel)\n"
            + "  shuffled by: /stage2/stage2.0/Reshape, /stage2/stage2.1/Reshape\n")
        .contains("  pinned: sliced by node '/stage2/stage2.4/Slice' (Slice -> /stage2/stage2.4/Slice_output_0) inside the"
            + " channels of one layer, at position 8 inside one of its channels of 16 positions")
        .contains("16 channels, prunable\n  made by: /stage3/stage3.0/branch1/branch1.2/Conv, /stage3/stage3.0/branch2/branch2.5/Conv\n"
            + "  filters: 0-15 of each\n  shuffled by: /stage3/stage3.0/Reshape\n");
  }

  @Test
  void aMultiplyAddTargetThinsTheShuffledStreams() throws Exception {
    for (int opset : new int[] {13, 17}) {
      Path data = RandomImages.npz(dir.resolve("images.npz"), 64, 32, new int[] {3, 32, 32}, 10, 5);
      CliRun r = CliRun.of("prune-filters", tiny(opset).toString(), "--data", "npz:" + data, "--target", "macs=0.67",
          "--retrain-epochs", "0", "--out", dir.resolve("tiny.onnx").toString(), "--json");
      assertThat(r.status()).as(r.err()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
      JsonNode s = j.get("structure");
      assertThat(s.get("macs_after").asDouble() / s.get("macs_before").asDouble()).as("opset %d", opset).isLessThanOrEqualTo(0.67);
      boolean shuffled = false;
      for (JsonNode l : s.get("layers")) {
        shuffled |= l.get("layer").asText().equals("/stage3/stage3.0/branch1/branch1.2/Conv")
            && l.get("params_after").asLong() < l.get("params_before").asLong();
      }
      assertThat(shuffled).as("stage 3's shuffled stream lost channels").isTrue();
    }
  }
}
