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
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a {@code .cdz} model directly, in pure Java with no native code (so it also runs where
 * only condense-core is shipped, e.g. on Android): pruned fully connected layers as sparse
 * matrices over their codebooks ({@link CsrMatrix}), everything else with the engine's kernels
 * on the Java GEMM. The runtime owns its engine's threads until {@link #close()}.
 */
public final class CdzRuntime implements AutoCloseable {
  private final Model model;
  private final CpuEngine engine;
  private final Session session;

  private CdzRuntime(Model model, int threads) {
    this.model = model;
    this.engine = new CpuEngine(threads, new JavaGemm(), true);
    try {
      this.session = engine.open(model);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  public static CdzRuntime open(Path cdz, int threads) {
    return new CdzRuntime(CdzFile.read(cdz), threads);
  }

  /** A runtime over a model already in memory (e.g. read from .cdz bytes). */
  public static CdzRuntime of(Model model, int threads) {
    return new CdzRuntime(model, threads);
  }

  public Model model() {
    return model;
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
