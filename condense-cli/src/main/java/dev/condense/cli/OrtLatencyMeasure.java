package dev.condense.cli;

import dev.condense.graph.Model;
import dev.condense.ops.FixedBatch;
import dev.condense.plan.LayerModels;
import dev.condense.plan.Measure;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A latency target's measure: a model's median milliseconds per batch in ONNX Runtime at the
 * command's thread count ({@link OrtLatency}). The first model measured is the reference (the
 * model the target is a share of); every later model is timed in alternation with it and costs
 * the reference's time × their ratio, so load that comes and goes while the plan searches slows
 * both sides of each ratio alike. A model already timed in this run (same nodes, same tensor
 * shapes: what latency depends on, {@link LayerModels#shapeHash}) is not timed again. Timings are
 * only as good as the machine is quiet.
 */
final class OrtLatencyMeasure implements Measure {
  /** The batch a latency target is timed at, unless the model declares a fixed one. */
  static final int BATCH = 64;

  private final int threads;
  private final long seed;
  private final Consumer<String> log;
  private final Map<String, Double> timed = new HashMap<>();
  private Model reference;
  private double referenceMs;

  OrtLatencyMeasure(int threads, long seed, Consumer<String> log) {
    this.threads = threads;
    this.seed = seed;
    this.log = log;
  }

  @Override
  public Kind kind() {
    return Kind.LATENCY;
  }

  @Override
  public double of(Model model) {
    return timed.computeIfAbsent(LayerModels.shapeHash(model), k -> {
      int declared = FixedBatch.declared(model.graph());
      int batch = declared > 0 ? declared : BATCH;
      String where = String.format("batch of %d, %d thread%s", batch, threads, threads == 1 ? "" : "s");
      if (reference == null) {
        reference = model;
        referenceMs = OrtLatency.medianMs(model, batch, threads, seed);
        log.accept(String.format("  timed in ONNX Runtime: %.3f ms per %s (the reference)", referenceMs, where));
        return referenceMs;
      }
      OrtLatency.Pair pair = OrtLatency.medianMs(reference, model, batch, threads, seed);
      double ratio = pair.secondMs() / pair.firstMs();
      log.accept(String.format("  timed in ONNX Runtime beside the reference: %.3f of its time (%.3f / %.3f ms per %s)",
          ratio, pair.secondMs(), pair.firstMs(), where));
      return referenceMs * ratio;
    });
  }
}
