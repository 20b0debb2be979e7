package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;

/**
 * The activations exporters emit beyond Relu, Sigmoid and Tanh, each with the definition and
 * attribute defaults of ONNX's Operators.md: HardSigmoid (alpha 0.2, beta 0.5), HardSwish,
 * Elu (alpha 1), Selu (alpha ≈ 1.6733, gamma ≈ 1.0507), Celu (alpha 1), Softplus, Softsign,
 * Gelu (opset 20; approximate "none" or "tanh") and Mish. At the kinks of HardSigmoid, HardSwish
 * and Elu the derivative is PyTorch's one-sided choice.
 */
final class SmoothActivations {
  private SmoothActivations() {}

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  static final UnaryFunction HARD_SIGMOID = new UnaryFunction("HardSigmoid", 6, n -> {
    double alpha = n.floatAttr("alpha", 0.2f);
    double beta = n.floatAttr("beta", 0.5f);
    return new ScalarFunction(x -> Math.max(0, Math.min(1, alpha * x + beta)),
        (x, y) -> alpha * x + beta > 0 && alpha * x + beta < 1 ? alpha : 0);
  }, null);

  /** x · HardSigmoid(x) with alpha 1/6, beta 1/2 (HardSwish-14). */
  static final UnaryFunction HARD_SWISH = UnaryFunction.of("HardSwish", 14,
      x -> x * Math.max(0, Math.min(1, x / 6 + 0.5)),
      (x, y) -> x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6);

  static final UnaryFunction ELU = new UnaryFunction("Elu", 6, n -> {
    double alpha = n.floatAttr("alpha", 1f);
    return new ScalarFunction(x -> x >= 0 ? x : alpha * Math.expm1(x), (x, y) -> x > 0 ? 1 : alpha * Math.exp(x));
  }, null);

  static final UnaryFunction SELU = new UnaryFunction("Selu", 6, n -> {
    double alpha = n.floatAttr("alpha", 1.67326319217681884765625f);
    double gamma = n.floatAttr("gamma", 1.05070102214813232421875f);
    return new ScalarFunction(x -> x > 0 ? gamma * x : gamma * alpha * Math.expm1(x),
        (x, y) -> x > 0 ? gamma : gamma * alpha * Math.exp(x));
  }, null);

  /** max(0, x) + min(0, alpha · (exp(x / alpha) − 1)) (Celu-12). */
  static final UnaryFunction CELU = new UnaryFunction("Celu", 12, n -> {
    double alpha = n.floatAttr("alpha", 1f);
    if (alpha == 0) {
      throw new CondenseException("node " + n.label() + ": Celu alpha must not be 0");
    }
    return new ScalarFunction(x -> x > 0 ? x : alpha * Math.expm1(x / alpha), (x, y) -> x > 0 ? 1 : Math.exp(x / alpha));
  }, null);

  /** log(1 + exp(x)), computed without overflow; its derivative is the logistic sigmoid. */
  static final UnaryFunction SOFTPLUS = UnaryFunction.of("Softplus", 1, SmoothActivations::softplus,
      (x, y) -> sigmoid(x));

  static final UnaryFunction SOFTSIGN = UnaryFunction.of("Softsign", 1, x -> x / (1 + Math.abs(x)),
      (x, y) -> 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))));

  /** x · tanh(softplus(x)) (Mish-18). */
  static final UnaryFunction MISH = UnaryFunction.of("Mish", 18, x -> x * Math.tanh(softplus(x)), (x, y) -> {
    double t = Math.tanh(softplus(x));
    return t + x * (1 - t * t) * sigmoid(x);
  });

  /**
   * Gelu-20: x · Φ(x) with Φ the standard normal CDF, 0.5 · (1 + erf(x / √2)) (written with erfc
   * for x &lt; 0, where 1 + erf cancels); or with approximate="tanh",
   * 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))).
   */
  static final UnaryFunction GELU = new UnaryFunction("Gelu", 20, n -> {
    String approximate = n.stringAttr("approximate", "none");
    return switch (approximate) {
      case "none" -> new ScalarFunction(x -> x * phi(x), (x, y) -> phi(x) + x * Math.exp(-x * x / 2) * INV_SQRT_2PI);
      case "tanh" -> new ScalarFunction(x -> 0.5 * x * (1 + Math.tanh(tanhArgument(x))), (x, y) -> {
        double t = Math.tanh(tanhArgument(x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
      });
      default -> throw new CondenseException("node " + n.label() + ": Gelu approximate='" + approximate
          + "' is not one of 'none', 'tanh'");
    };
  }, null);

  private static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** The standard normal CDF. */
  private static double phi(double x) {
    return x < 0 ? 0.5 * ErrorFunction.erfc(-x / Math.sqrt(2)) : 0.5 * (1 + ErrorFunction.erf(x / Math.sqrt(2)));
  }

  private static double tanhArgument(double x) {
    return SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
  }
}
