package dev.condense.ops;

/**
 * How a variadic element-wise op (Sum, Mean, Max, Min) combines its broadcast inputs. The engine
 * runs each with one loop; Max and Min send the gradient to the input that won, split evenly
 * between inputs that tie (as PyTorch's maximum and minimum do).
 */
public enum VariadicMath {
  SUM, MEAN, MAX, MIN
}
