package dev.condense.ops;

/**
 * The arithmetic of an element-wise binary op. The engine runs each with its own loop (one
 * switch per element over this small enum, the same expressions everywhere).
 */
public enum BinaryMath {
  ADD, SUB, MUL, DIV
}
