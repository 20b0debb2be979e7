package dev.condense.api;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.RecipeReader;
import java.nio.file.Path;

/**
 * The library's front door: load a model, write it (checked by reading it back), get data, an
 * engine, or a recipe as a {@link Transformation}. With the methods beside it
 * ({@link MagnitudePruning}, {@link FilterPruning}, {@link WeightSharing}, {@link ChannelPruning}):
 *
 * <pre>
 * Model m = Condense.load(Path.of("model.onnx"));
 * Model thin = FilterPruning.l1(0.3).apply(m);
 * Condense.write(thin, Path.of("thin.onnx"));
 * </pre>
 */
public final class Condense {
  /** The seed of every random choice unless a {@link dev.condense.pipeline.StepContext} gives another. */
  public static final long SEED = 1;

  private Condense() {}

  /** An ONNX file (read and checked: an unsupported op is one error naming it) or a {@code .cdz} file. */
  public static Model load(Path file) {
    return ModelFiles.isCdz(file) ? CdzFile.read(file) : OnnxReader.load(file);
  }

  /**
   * Writes {@code m} as {@code .cdz} (Huffman-coded, the gap width chosen per layer) or ONNX, and
   * reads the file back to check it; ONNX holds weights shared in at most 255 values as
   * codebook + indices when every prunable weight is shared that way.
   */
  public static ModelFiles.Written write(Model m, Path file) {
    return ModelFiles.write(m, file, new CdzFile.Options(0, java.util.Map.of(), CdzFile.Stage.PQH),
        WeightSharing.isShared(m), true);
  }

  /** A data set: "mnist" (built in), "fashion-mnist", "cifar10:DIR", an IDX directory, "npz:FILE", "npy:DIR"... */
  public static DataSplit data(String spec) {
    return DataSources.resolve(spec);
  }

  /** The first {@code limit} samples of each split of {@link #data(String)}. */
  public static DataSplit data(String spec, int limit) {
    return DataSources.resolve(spec, limit);
  }

  /** The pure-Java CPU engine on all processors (condense-engine's {@code NativeEngines} adds OpenBLAS). */
  public static Engine engine() {
    return new CpuEngine(Runtime.getRuntime().availableProcessors());
  }

  /** A YAML recipe (see {@code recipes/}) as one transformation. */
  public static Transformation recipe(Path file) {
    Recipe r = RecipeReader.read(file);
    return () -> r;
  }
}
