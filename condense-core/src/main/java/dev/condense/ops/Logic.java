package dev.condense.ops;

/**
 * The element-wise tests of the comparison and logic ops (Equal, Greater, Less, And, Not): each
 * gives true or false per element. Shared by load-time folding and the engine's mask kernel, so
 * both compute the same op; the engine keeps a run-time mask as float 0 and 1.
 */
public enum Logic {
  EQUAL, GREATER, LESS, AND, NOT;

  /** Whether the op takes one input (Not) rather than two. */
  public boolean unary() {
    return this == NOT;
  }

  /** The test on floats (a run-time mask or data; {@code b} is ignored by Not). */
  public boolean test(float a, float b) {
    return switch (this) {
      case EQUAL -> a == b;
      case GREATER -> a > b;
      case LESS -> a < b;
      case AND -> a != 0 && b != 0;
      case NOT -> a == 0;
    };
  }

  /** The test on integers (shape values, indices, bools), exact for all of int64. */
  public boolean test(long a, long b) {
    return switch (this) {
      case EQUAL -> a == b;
      case GREATER -> a > b;
      case LESS -> a < b;
      case AND -> a != 0 && b != 0;
      case NOT -> a == 0;
    };
  }
}
