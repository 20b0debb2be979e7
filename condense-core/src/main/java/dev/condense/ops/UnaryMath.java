package dev.condense.ops;

/**
 * The math of an element-wise activation the engine has no specialised loop for: its value and
 * its derivative, element by element. An op returns one from {@link Op#kernel} through
 * {@link EngineKernels#unary}; that is all the engine needs to run and train it.
 */
public interface UnaryMath {
  /** y = f(x). */
  float forward(float x);

  /** The gradient of the input: dy · f'(x), given x, y = f(x) and dy. */
  float backward(float x, float y, float dy);
}
