package dev.condense.runtime;

import dev.condense.data.Dataset;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.numeric.JavaGemm;
import dev.condense.ops.QdqFusion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code .cdz} model directly, in pure Java with no native code (so it also runs where
 * only condense-core is shipped, e.g. on Android): pruned fully connected layers as sparse
 * matrices over their codebooks ({@link CsrMatrix}), the Conv and Gemm layers of an INT8 (QDQ)
 * model on integers (each QDQ group rewritten into a QLinearConv by {@link QdqFusion}, so a
 * device without ONNX Runtime gets the integer model), everything else with the engine's kernels
 * on the Java GEMM. The runtime owns its engine's threads until {@link #close()}.
 */
public final class CdzRuntime implements AutoCloseable {
  private final Model model;
  private final List<String> integerLayers;
  private final CpuEngine engine;
  private final Session session;

  private CdzRuntime(Model model, int threads, boolean integer) {
    this.model = model;
    QdqFusion fusion = integer ? QdqFusion.of(model.graph()) : new QdqFusion(model.graph(), List.of());
    this.integerLayers = fusion.fused();
    this.engine = new CpuEngine(threads, new JavaGemm(), true);
    try {
      this.session = engine.open(fusion.fused().isEmpty() ? model : model.withGraph(fusion.graph()));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** The runtime of a .cdz file, its INT8 layers on integers. */
  public static CdzRuntime open(Path cdz, int threads) {
    return open(cdz, threads, true);
  }

  /**
   * The runtime of a .cdz file; {@code integer} false runs an INT8 model's layers as the float
   * simulation of its QDQ graph instead (the engine's reading of the same file, for comparison).
   */
  public static CdzRuntime open(Path cdz, int threads, boolean integer) {
    return new CdzRuntime(CdzFile.read(cdz), threads, integer);
  }

  /** A runtime over a model already in memory (e.g. read from .cdz bytes), its INT8 layers on integers. */
  public static CdzRuntime of(Model model, int threads) {
    return new CdzRuntime(model, threads, true);
  }

  public Model model() {
    return model;
  }

  /** The layers that run on integers (QLinearConv), by node name; empty for a float model. */
  public List<String> integerLayers() {
    return integerLayers;
  }

  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    return session.run(inputs);
  }

  public Evaluation evaluate(Dataset data, int batchSize, Progress progress) {
    return session.evaluate(data, batchSize, progress);
  }

  @Override
  public void close() {
    session.close();
    engine.close();
  }
}
