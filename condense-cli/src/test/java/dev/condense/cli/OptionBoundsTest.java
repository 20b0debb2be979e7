package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Numeric options are bounded by what the machine and the model allow, and memory trouble names
 * the option that helps (issue 17 §2): each case is one line naming the option or setting, and
 * nothing is written.
 */
class OptionBoundsTest {
  @TempDir
  Path dir;

  private CliRun refused(int status, String expected, String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as(r.err()).isEqualTo(status);
    assertThat(r.err().strip()).as(String.join(" ", args)).contains(expected).doesNotContain("\n").doesNotContain("Exception");
    assertThat(dir.resolve("m.cdz")).doesNotExist();
    return r;
  }

  @Test
  void vqSettingsBeyondTheLayersAreRefusedBeforeAnyKMeans() {
    String out = dir.resolve("m.cdz").toString();
    refused(1, "k = 100000000 codewords is more than the 400000 weights of the largest layer quantized",
        "vq", "lenet-5", "--method", "kmeans", "--k", "100000000", "--limit", "50", "--out", out, "--quiet");
    refused(1, "a segment width of 100000 is more than the 800 values of the longest row quantized",
        "vq", "lenet-5", "--method", "pq", "--width", "100000", "--limit", "50", "--out", out, "--quiet");
    refused(1, "1000 stages are more than the 32",
        "vq", "lenet-5", "--method", "rq", "--stages", "1000", "--limit", "50", "--out", out, "--quiet");
  }

  @Test
  void threadsCalibrationAndMaxMemoryAreBounded() {
    String out = dir.resolve("m.cdz").toString();
    refused(2, "--threads must be between 1 and 1024, got 100000",
        "train", "lenet-5", "--threads", "100000", "--limit", "10", "--out", out);
    refused(2, "--calibration 1000 is more than the 100 samples of mnist/train",
        "sensitivity", "lenet-5", "--limit", "100", "--calibration", "1000", "--out", dir.resolve("s").toString());
    refused(2, "--max-memory: '3x' is not a size", "info", "lenet-5", "--max-memory", "3x");
    refused(2, "is more than the JVM's", "info", "lenet-5", "--max-memory", "1000t");
  }

  @Test
  void epochsRatesRoundsAndTheOtherCountsHaveUpperBounds() {
    String out = dir.resolve("m.cdz").toString();
    refused(2, "--epochs must be between 0 and 10,000, got 10001", "train", "lenet-5", "--epochs", "10001", "--out", out);
    refused(2, "--lr must be a number in (0, 10], got Infinity", "train", "lenet-5", "--lr", "Infinity", "--out", out);
    refused(2, "--lr must be a number in (0, 10], got NaN", "train", "lenet-5", "--lr", "NaN", "--out", out);
    refused(2, "--lr must be a number in (0, 10], got 50.0", "train", "lenet-5", "--lr", "50", "--out", out);
    refused(2, "--momentum must be in [0, 1), got NaN", "train", "lenet-5", "--momentum", "NaN", "--out", out);
    refused(2, "--weight-decay must be in [0.0, 1.0], got 2.0", "train", "lenet-5", "--weight-decay", "2", "--out", out);
    refused(2, "--rounds must be between 1 and 1,000, got 5000", "prune", "lenet-5", "--sparsity", "0.5", "--rounds", "5000", "--out", out);
    refused(2, "--retrain-epochs must be between 0 and 10,000, got 99999",
        "prune", "lenet-5", "--sparsity", "0.5", "--retrain-epochs", "99999", "--out", out);
    refused(2, "--retrain-lr must be a number in (0, 10], got -1.0",
        "prune-filters", "lenet-5", "--ratio", "0.5", "--retrain-lr", "-1", "--out", out);
    refused(2, "--fc-bits must be between 1 and 16, got 17",
        "compress", "lenet-5", "--method", "deep-compression", "--sparsity", "0.5", "--fc-bits", "17", "--out", out);
    refused(2, "--quantize-epochs must be between 0 and 10,000, got 20000",
        "compress", "lenet-5", "--method", "deep-compression", "--sparsity", "0.5", "--quantize-epochs", "20000", "--out", out);
    refused(2, "--fine-tune-epochs must be between 0 and 10,000, got 10001",
        "vq", "lenet-5", "--method", "kmeans", "--fine-tune-epochs", "10001", "--out", out);
    refused(2, "--align must be between 1 and 4,096, got 5000", "prune-filters", "lenet-5", "--ratio", "0.5", "--align", "5000", "--out", out);
    refused(2, "--speedup must be in [1.0, 1000.0], got Infinity", "channel-prune", "lenet-5", "--method", "l1", "--speedup", "Infinity", "--out", out);
    refused(2, "--iterations must be between 1 and 1,000, got 2000", "trim", "lenet-5", "--iterations", "2000", "--out", out);
  }

  @Test
  void structuredRoundsAreBoundedByThePrunableChannels() {
    // lenet-5's prunable channels: conv1 20, conv2 50, ip1 500
    refused(1, "prune-filters: 600 rounds are more than the 570 prunable channels of the model (each round removes at least one) (--rounds)",
        "prune-filters", "lenet-5", "--ratio", "0.5", "--rounds", "600", "--retrain-epochs", "0", "--limit", "50",
        "--out", dir.resolve("m.cdz").toString());
  }

  @Test
  void aBatchBeyondTheMemoryLimitNamesTheNodeTheBatchThatFitsAndTheOptions() throws Exception {
    CliRun r = refused(1, "its output needs 11.3 MiB at a batch of 256, more than the 1.0 MiB one tensor may take (the memory limit)", "eval", "lenet-5", "--limit", "300",
        "--max-memory", "1m");
    assertThat(r.err()).contains("node 'conv1' (Conv -> conv1)").contains("a batch of at most").contains("(use a smaller --batch, or raise --max-memory)");
    assertThat(Files.list(dir)).isEmpty();
  }

  @Test
  void constantsFoldedAtLoadFollowMaxMemory() throws Exception {
    // y = x + ConstantOfShape([262144]): 2 MiB of constant (counted as int64) folded at load
    var g = new dev.condense.graph.Graph.Builder("c").input(dev.condense.graph.ValueInfo.batched("x", 1 << 18))
        .output(dev.condense.graph.ValueInfo.batched("y", 1 << 18))
        .initializer("s", dev.condense.graph.Tensor.ofLongs(new long[] {1 << 18}, 1))
        .node(new dev.condense.graph.Node("c", "ConstantOfShape", java.util.List.of("s"), java.util.List.of("c")))
        .node(new dev.condense.graph.Node("add", "Add", java.util.List.of("x", "c"), java.util.List.of("y"))).build();
    Path model = dir.resolve("constant.onnx");
    Files.write(model, dev.condense.onnx.OnnxWriter.toBytes(dev.condense.graph.Model.of(g)));
    CliRun ok = CliRun.of("info", model.toString());
    assertThat(ok.status()).as(ok.err()).isZero();
    refused(1, "node 'c' (ConstantOfShape -> c): ConstantOfShape computed at load time would make 262144 elements, more than"
        + " the 1.0 MiB left for constants computed at load within the memory limit", "info", model.toString(), "--max-memory", "1m");
  }

  @Test
  void outOfMemoryNamesTheCommandItsFilesTheHeapAndTheRightRemedy() {
    CommandLine eval = new CommandLine(new Cli());
    eval.parseArgs("eval", "model.onnx", "--batch", "512");
    assertThat(MemoryAdvice.outOfMemory(eval.getParseResult(), 3L << 30)).isEqualTo(
        "out of memory in 'condense eval' on model.onnx at --batch 512 (the JVM's heap of 3.0 GiB is full);"
            + " use a smaller --batch, or give the JVM more heap (JAVA_OPTS=-Xmx6g)");
    CommandLine info = new CommandLine(new Cli());
    info.parseArgs("info", "big.cdz");
    assertThat(MemoryAdvice.outOfMemory(info.getParseResult(), 1L << 30)).isEqualTo(
        "out of memory in 'condense info' on big.cdz (the JVM's heap of 1.0 GiB is full);"
            + " give the JVM more heap (JAVA_OPTS=-Xmx2g)");
    assertThat(MemoryAdvice.outOfMemory(null, 1L << 30)).startsWith("out of memory (the JVM's heap is 1.0 GiB)");
  }
}
