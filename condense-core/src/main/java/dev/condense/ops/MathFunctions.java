package dev.condense.ops;

import static dev.condense.ops.ScalarFunction.piecewiseConstant;

/**
 * The element-wise math ops of ONNX (Operators.md, each "since" the version whose definition is
 * implemented; later versions only add element types): Sqrt, Exp, Log, Neg, Abs, Reciprocal,
 * Erf, Sign, Floor, Ceil and Round. Sign, Floor, Ceil and Round are step functions: their
 * gradient is zero almost everywhere (and undefined at the steps), so nothing trains through them,
 * as in PyTorch. Neg, Abs and Sign also fold integer shape arithmetic.
 */
final class MathFunctions {
  private MathFunctions() {}

  static final UnaryFunction SQRT = UnaryFunction.of("Sqrt", 6, Math::sqrt, (x, y) -> 0.5 / y);
  static final UnaryFunction EXP = UnaryFunction.of("Exp", 6, Math::exp, (x, y) -> y);
  static final UnaryFunction LOG = UnaryFunction.of("Log", 6, Math::log, (x, y) -> 1 / x);
  static final UnaryFunction NEG = UnaryFunction.of("Neg", 6, x -> -x, (x, y) -> -1).onIntegers(x -> -x);
  static final UnaryFunction ABS = UnaryFunction.of("Abs", 6, Math::abs, (x, y) -> Math.signum(x))
      .onIntegers(Math::abs);
  static final UnaryFunction RECIPROCAL = UnaryFunction.of("Reciprocal", 6, x -> 1 / x, (x, y) -> -y * y);
  static final UnaryFunction ERF = UnaryFunction.of("Erf", 9, ErrorFunction::erf,
      (x, y) -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
  static final UnaryFunction SIGN = new UnaryFunction("Sign", 9, n -> piecewiseConstant(Math::signum), Long::signum);
  static final UnaryFunction FLOOR = new UnaryFunction("Floor", 6, n -> piecewiseConstant(Math::floor), null);
  static final UnaryFunction CEIL = new UnaryFunction("Ceil", 6, n -> piecewiseConstant(Math::ceil), null);
  /** Round halves to even (ONNX Round-11), which is {@link Math#rint}. */
  static final UnaryFunction ROUND = new UnaryFunction("Round", 11, n -> piecewiseConstant(Math::rint), null);
}
