package dev.condense.engine;

import dev.condense.data.Dataset;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A model loaded into an engine: inference, evaluation on a data set, capture of intermediate
 * values, and training under weight constraints. The session owns a copy of the weights; {@link
 * #export()} writes the current weights back into a {@link Model}.
 *
 * <p>A session is used from one thread at a time. Close it to release its buffers; a closed
 * session, or one whose engine is closed, throws {@link IllegalStateException} on every use (as
 * ONNX Runtime's {@code OrtSession} does). Closing twice does nothing.
 */
public interface Session extends AutoCloseable {

  /** Runs the graph on named inputs and returns every graph output. */
  Map<String, Tensor> run(Map<String, Tensor> inputs);

  /** Runs the graph and returns the named values (any intermediate value, input or output). */
  Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> values);

  /** Top-1 / top-5 accuracy and mean cross-entropy of the model's first output on {@code data}. */
  Evaluation evaluate(Dataset data, int batchSize, Progress progress);

  /**
   * Runs the model over {@code data} in inference mode and hands the named intermediate values
   * of every batch to {@code sink}; the arrays given are reused for the next batch.
   */
  void capture(Dataset data, int batchSize, List<String> values, CaptureSink sink, Progress progress);

  /** Trains the weights on {@code data}; weight constraints are honoured on every step. */
  TrainHistory train(Dataset data, TrainConfig config, Constraints constraints, Dataset validation,
      Progress progress);

  /**
   * The model with the session's current weights (and BatchNorm statistics). It carries the
   * annotations of the model opened (or last given to {@link #setWeights}) that still describe
   * those weights — masks survive training under their {@link Constraint.Mask} — and, for every
   * weight trained under a one-stage {@link Constraint.Shared}, its codebook with the centroids as
   * trained.
   */
  Model export();

  /**
   * The trained table (codebooks, centroids) of a weight trained under a
   * {@link Constraint.Shared} in the last {@link #train} call.
   */
  float[] sharedTable(String weight);

  /**
   * Replaces the session's weights with those of {@code model}, which must have the same graph
   * and initializer shapes (e.g. this session's export after pruning). Optimiser state (momentum)
   * is kept, so a gradual schedule can prune between epochs without restarting SGD. The model's
   * annotations replace the session's.
   */
  void setWeights(Model model);

  @Override
  void close();

  /** Receives captured values batch by batch. */
  @FunctionalInterface
  interface CaptureSink {
    /**
     * {@code values[i]} holds {@code batch} samples of the i-th requested value, row-major with
     * shape {@code shapes[i]} (first dim = batch); {@code labels} are the batch's labels.
     */
    void accept(int batch, float[][] values, int[][] shapes, int[] labels);
  }
}
