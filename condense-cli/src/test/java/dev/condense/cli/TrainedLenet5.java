package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A LeNet-5 trained briefly with {@code condense train} (2,000 MNIST images, 1 epoch): the INT8 tests' input. */
final class TrainedLenet5 {
  private TrainedLenet5() {}

  /** Trains it into {@code dir/l5.onnx} and returns the path. */
  static Path write(Path dir) {
    Path trained = dir.resolve("l5.onnx");
    CliRun r = CliRun.of("train", "lenet-5", "--limit", "2000", "--epochs", "1", "--lr", "0.02", "--batch", "32",
        "--out", trained.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    return trained;
  }
}
