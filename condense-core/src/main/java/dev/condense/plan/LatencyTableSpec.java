package dev.condense.plan;

import dev.condense.CondenseException;
import java.nio.file.Path;

/**
 * How a global plan is steered by a {@link LatencyTable}: the batch the layers are timed at (a
 * model that declares a fixed batch is timed at its own), how far a kept count may move up (to
 * the next multiple of {@code reach}, never past the group's size), and the directory the table
 * is cached in (null: the directory the run was given, {@code Pipeline.withLayerTimer}).
 */
public record LatencyTableSpec(int batch, int reach, Path cache) {
  /** Batch 1: the latency a single request sees. */
  public static final int BATCH = 1;
  /** Up to the next multiple of 16: ONNX Runtime's widest blocked-kernel step on AVX-512 ({@code bench/results/ort-alignment.md}). */
  public static final int REACH = 16;

  public LatencyTableSpec {
    if (batch < 1 || reach < 1) {
      throw new CondenseException("a latency table needs a batch ≥ 1 and a reach ≥ 1, got batch " + batch + ", reach " + reach);
    }
  }

  /** Batch 1, reach 16, the run's cache directory. */
  public static LatencyTableSpec defaults() {
    return new LatencyTableSpec(BATCH, REACH, null);
  }
}
