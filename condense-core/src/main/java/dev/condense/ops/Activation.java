package dev.condense.ops;

/**
 * The built-in activations the engine runs with specialised loops (branch-free Relu and
 * LeakyRelu). A new activation need not be added here: it gives its {@link UnaryMath} instead.
 */
public enum Activation {
  RELU, LEAKY_RELU, SIGMOID, TANH, CLIP
}
