package dev.condense.graph;

import java.util.Map;
import java.util.Set;

/**
 * The ONNX operators Condense implements, each with the oldest opset version whose definition
 * of the op is the one Condense implements. A model at an older opset may use an op only if its
 * definition did not change since (Conv at opset 11 is Conv at opset 13; Softmax before 13
 * flattened its input, so it is refused there). Cast, Gather, Transpose and ConstantOfShape are
 * computed at load time from constant inputs only.
 */
public final class OpSet {
  private OpSet() {}

  private static final Map<String, Integer> SINCE = Map.ofEntries(
      Map.entry("Conv", 1), Map.entry("Gemm", 7), Map.entry("MatMul", 1), Map.entry("Add", 7),
      Map.entry("Sub", 7), Map.entry("Mul", 7), Map.entry("Div", 7), Map.entry("Relu", 6),
      Map.entry("LeakyRelu", 6), Map.entry("Clip", 11), Map.entry("Sigmoid", 6), Map.entry("Tanh", 6),
      Map.entry("MaxPool", 8), Map.entry("AveragePool", 7), Map.entry("GlobalAveragePool", 1),
      Map.entry("BatchNormalization", 9), Map.entry("Flatten", 1), Map.entry("Reshape", 5),
      Map.entry("Dropout", 7), Map.entry("Softmax", 13), Map.entry("Identity", 1), Map.entry("Concat", 4), Map.entry("Pad", 11), Map.entry("Slice", 10), Map.entry("ConstantOfShape", 9),
      Map.entry("Constant", 1), Map.entry("Cast", 13), Map.entry("Gather", 13), Map.entry("Transpose", 1));

  /** Names of the supported ops. */
  public static final Set<String> OPS = SINCE.keySet();

  public static boolean supports(String op) {
    return SINCE.containsKey(op);
  }

  /** The oldest opset at which Condense runs {@code op} as defined there, or -1 if unsupported. */
  public static int since(String op) {
    return SINCE.getOrDefault(op, -1);
  }
}
