package dev.condense.ops;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Everything Condense knows about one ONNX operator, in one place: its opset, what it is
 * ({@link Kind}), its shape inference, its constant folding, how channels flow through it, its
 * multiply-adds, its parameter and shape input slots, and the engine kernel that runs it. Passes
 * look an op up in an {@link OpTable} by the node's op type and ask it; they never compare names.
 *
 * <p>Open: a user adds an op by implementing this interface and registering it with
 * {@link OpTable#with}. The defaults describe an op without parameters that blocks channel
 * analysis, never folds and has no kernel. See {@code docs/adding-an-op.md}.
 */
public interface Op {

  /** The ONNX op type, e.g. "Conv". */
  String type();

  /**
   * The oldest opset whose definition of the op is the one Condense implements: a model at an
   * older opset may use the op only if its definition did not change since.
   */
  int since();

  Kind kind();

  /**
   * The types of the node's outputs, from the types of its inputs ({@code in}; null where an
   * optional input is left out) and the constant values known so far (null for a value that is
   * not constant). Errors are {@link dev.condense.CondenseException}s naming the node.
   */
  List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants);

  /** Whether Condense computes the op only at load time, from constant inputs (e.g. Cast, Gather). */
  default boolean constantOnly() {
    return false;
  }

  /**
   * Whether the op folds constant float initializers too (it decodes weights stored compressed:
   * a codebook gathered by its indices, transposed segments). Other ops fold only values already
   * decoded or computed, so that a float weight merely passing them stays a trainable weight.
   */
  default boolean decodesWeights() {
    return constantOnly();
  }

  /** {@link #constantOnly()} for one node, where it depends on the node (a Cast to int64 but not one to float16). */
  default boolean constantOnly(Node n) {
    return constantOnly();
  }

  /** {@link #decodesWeights()} for one node, where it depends on the node. */
  default boolean decodesWeights(Node n) {
    return decodesWeights();
  }

  /**
   * The node's output where it depends only on its inputs' types, not their values (Shape,
   * Size): it is known as soon as the plan's input shapes are, and folds the shape arithmetic
   * after it. Null for every other op.
   */
  default Tensor valueFromTypes(Node n, List<ValueType> in) {
    return null;
  }

  /**
   * For an op with a constant shape input an exporter may have written for a fixed batch size
   * (Reshape to {@code [T, 1·heads, d]}, Expand to {@code [1, 1, E]}): that input's slot, or -1.
   * {@link FixedBatch} replaces it by the node's full output shape, with the dim that carries the
   * batch following the input's batch, so the op must accept its output shape there.
   */
  default int batchShapeSlot() {
    return -1;
  }

  /**
   * Whether the op with a {@link #batchShapeSlot} keeps its input's elements in order (Reshape),
   * so that only dims that keep each sample's elements together may carry the batch; false for an
   * op that broadcasts (Expand), whose output may gain the batch in a dim of length 1.
   */
  default boolean batchShapeKeepsOrder() {
    return false;
  }

  /** Whether the node is computed once at load time when its inputs are these constants. */
  default boolean foldable(Node n, List<Tensor> in) {
    return false;
  }

  /**
   * How many elements {@link #fold} would produce for these constant inputs, computed without
   * producing them, so that a small file cannot make a fold allocate gigabytes: by default the
   * size of the inferred output type {@code inferred} (null where the op infers none). Ops whose
   * output size depends on their inputs' values (ConstantOfShape, Range) override it.
   */
  default long foldedElements(Node n, List<Tensor> in, ValueType inferred) {
    return inferred == null ? 0 : inferred.size();
  }

  /** The node's output for constant inputs; called only where {@link #foldable} holds. */
  default Tensor fold(Node n, List<Tensor> in) {
    throw new UnsupportedOperationException(type() + " does not fold");
  }

  /** How channels flow through the op (see {@link ChannelRule}). */
  default ChannelRule channelRule() {
    return ChannelRule.BLOCKS;
  }

  /**
   * For {@link ChannelRule#SPATIAL} ops: null when the node leaves the channel axis of its
   * input (shape {@code x}) alone, else what it does to it ("padded along the channel axis").
   */
  default String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    return null;
  }

  /**
   * Where axis {@code axis} of input 0 (of rank {@code rank}) lies in the output with its indices
   * kept apart and in order — nothing of index i combined with another index along it — or -1
   * where the node moves or mixes it (the default). Channel analysis follows attention heads
   * through such nodes (a Transpose moves the heads' axis, a Softmax over another axis keeps it).
   */
  default int keptAxis(Node n, int rank, int axis) {
    return -1;
  }

  /**
   * How a channel that holds one constant value everywhere maps through the node (for folding a
   * dead unit's constant output into the next layer's bias), or null where Condense does not
   * fold through it. Computed in double.
   */
  default DoubleUnaryOperator onConstant(Node n) {
    return null;
  }

  /**
   * Multiply-adds of the node for one sample of the batch (the pruning papers' "FLOPs"), given
   * the shapes of a graph where its output has a type.
   */
  default long multiplyAdds(Node n, ShapeInference.Result shapes) {
    return 0;
  }

  /** The input slot of the op's weight (the prunable connections of a layer), or -1. */
  default int weightSlot() {
    return -1;
  }

  /**
   * Whether input {@code slot} holds a learned parameter of the op when it is a constant (an
   * initializer): a weight, a bias, a normalisation scale or shift, a PRelu slope. These train by
   * default ({@link TrainableTensors}); a constant in any other float slot trains only where it
   * enters the data path after a layer. The default: the {@link #weightSlot()}. Ops with a bias
   * or scale/shift slots say so (Conv: 1 and 2; BatchNormalization: 1 and 2, never its statistics).
   */
  default boolean isParameterSlot(int slot) {
    return slot >= 0 && slot == weightSlot();
  }

  /** Whether input {@code slot} is a float tensor (not a shape, axes or a seed). */
  default boolean isFloatSlot(int slot) {
    return true;
  }

  /**
   * Whether input {@code slot} holds integer indices the engine reads at run time (Gather's
   * indices: token ids into an embedding table), so that a graph input feeding only such slots
   * stays a run-time value instead of a constant compiled into the plan.
   */
  default boolean isIndexSlot(int slot) {
    return false;
  }

  /**
   * Whether input {@code slot}'s elements reach the output unchanged, only moved (a view, a
   * transpose): token ids may pass such an op on their way to an {@link #isIndexSlot} and still run
   * as run-time values ({@link RunTimeIndices}).
   */
  default boolean carriesIndices(int slot) {
    return false;
  }

  /** Whether input {@code slot} holds running statistics, not learned parameters (BN's mean, var). */
  default boolean isStatistic(int slot) {
    return false;
  }

  /** Whether the node's output is just a view of its first input in the engine. */
  default boolean isView(boolean training) {
    return false;
  }

  /** Whether the op outputs exact zeros for all negative inputs (APoZ counts them). */
  default boolean zeroesNegatives() {
    return false;
  }

  /** How ONNX Runtime runs the op on 8-bit integers in QDQ form ({@link IntegerForm}); NONE by default. */
  default IntegerForm integerForm() {
    return IntegerForm.NONE;
  }

  /**
   * Whether ONNX Runtime fuses the op's QDQ form only when its weight's DequantizeLinear has its
   * zero point, an input ONNX makes optional (0 by default): the INT8 writer leaves it out of every
   * other layer's weight. False by default.
   */
  default boolean integerWeightNeedsZeroPoint() {
    return false;
  }

  /** The engine kernel that runs the node, picked from the engine's {@code kernels}. */
  default <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.none(n);
  }
}
