package dev.condense.cli;

import ai.onnxruntime.OrtEnvironment;
import dev.condense.graph.Model;
import dev.condense.plan.LayerTimer;

/**
 * A latency table's layer timer on ONNX Runtime: each one-layer model is timed alone by
 * {@link OrtLatency} (its own session, warmed up, one turn of {@link OrtLatency.Budget#LAYER}) at
 * the command's thread count and the batch its input declares. The setting names the runtime's
 * version and the threads, so a cache written by another version or thread count is not read.
 */
final class OrtLayerTimer implements LayerTimer {
  private final int threads;
  private final long seed;

  OrtLayerTimer(int threads, long seed) {
    this.threads = threads;
    this.seed = seed;
  }

  @Override
  public double ms(Model layer) {
    int batch = layer.graph().inputs().get(0).shapeOr(1)[0];
    return OrtLatency.medianMs(layer, batch, threads, seed, OrtLatency.Budget.LAYER);
  }

  @Override
  public String setting() {
    return "onnxruntime-" + OrtEnvironment.getEnvironment().getVersion() + "-t" + threads;
  }
}
