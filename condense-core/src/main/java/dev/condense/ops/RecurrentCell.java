package dev.condense.ops;

import java.util.List;

/**
 * The cell of an ONNX recurrent op (LSTM, GRU, RNN): how many gate blocks of {@code hidden_size}
 * rows its W and R stack, whether it carries a cell state (LSTM's Y_c, initial_c), and the
 * activations Condense runs, which are ONNX's defaults (Operators.md, LSTM-14, GRU-14, RNN-14).
 * The engine picks its kernel by it; nothing compares op names.
 */
public enum RecurrentCell {
  /** Gates i, o, f, c; f = Sigmoid, g = h = Tanh; peepholes P [D, 3H]. */
  LSTM(4, true, List.of("Sigmoid", "Tanh", "Tanh")),
  /** Gates z, r, h; f = Sigmoid, g = Tanh; {@code linear_before_reset} 0 or 1. */
  GRU(3, false, List.of("Sigmoid", "Tanh")),
  /** One gate; f = Tanh. */
  RNN(1, false, List.of("Tanh"));

  private final int gates;
  private final boolean cellState;
  private final List<String> activations;

  RecurrentCell(int gates, boolean cellState, List<String> activations) {
    this.gates = gates;
    this.cellState = cellState;
    this.activations = activations;
  }

  /** Gate blocks stacked in W and R (W is [D, gates·H, I]). */
  public int gates() {
    return gates;
  }

  /** Whether the cell has a cell state besides the hidden state (LSTM). */
  public boolean hasCellState() {
    return cellState;
  }

  /** The default activations of one direction, the only ones Condense runs. */
  public List<String> activations() {
    return activations;
  }

  /** The inputs the op may have: X, W, R, B, sequence_lens, initial_h, and LSTM's initial_c and P. */
  int maxInputs() {
    return cellState ? 8 : 6;
  }

  /** The outputs: Y, Y_h, and LSTM's Y_c. */
  int maxOutputs() {
    return cellState ? 3 : 2;
  }
}
