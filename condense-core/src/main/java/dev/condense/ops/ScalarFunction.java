package dev.condense.ops;

import java.util.function.DoubleUnaryOperator;

/**
 * A real function of one variable and its derivative, both in double: the math of an
 * element-wise op, which the engine runs through {@link UnaryMath} (rounding each result to
 * float) and constant folding and dead-unit folding evaluate directly.
 *
 * @param value f(x)
 * @param derivative f'(x), given x and y = f(x) (many derivatives are cheapest from y)
 */
public record ScalarFunction(DoubleUnaryOperator value, Derivative derivative) implements UnaryMath {

  /** f'(x) from x and y = f(x). */
  @FunctionalInterface
  public interface Derivative {
    double at(double x, double y);
  }

  /** A step function (Sign, Floor, Ceil, Round): its derivative is zero almost everywhere. */
  static ScalarFunction piecewiseConstant(DoubleUnaryOperator value) {
    return new ScalarFunction(value, (x, y) -> 0);
  }

  @Override
  public float forward(float x) {
    return (float) value.applyAsDouble(x);
  }

  @Override
  public float backward(float x, float y, float dy) {
    return (float) (dy * derivative.at(x, y));
  }
}
