package dev.condense.ops;

/**
 * The arithmetic of an element-wise binary op. The engine runs each with its own loop (one
 * switch per element over this small enum, the same expressions everywhere).
 */
public enum BinaryMath {
  ADD, SUB, MUL, DIV,
  /** a^b (Pow); a constant exponent gets no gradient (it is not a parameter). */
  POW,
  /** a for a &gt; 0 (at 0 too), else b · a (PRelu, b the slope); both get gradients: the slope trains. */
  PRELU,
  /** a − trunc(a / b) · b, the sign of the dividend (float Mod, fmod 1, C's fmod): ∂/∂a = 1, ∂/∂b = −trunc(a / b). */
  FMOD
}
