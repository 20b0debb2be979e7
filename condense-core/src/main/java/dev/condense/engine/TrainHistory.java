package dev.condense.engine;

import java.util.List;

/** What happened during a training run, epoch by epoch. */
public record TrainHistory(List<Epoch> epochs) {

  public TrainHistory {
    epochs = List.copyOf(epochs);
  }

  /**
   * One epoch: its learning rate, mean training loss and accuracy, validation top-1 (NaN if no
   * validation set was given) and wall time.
   */
  public record Epoch(int index, double lr, double trainLoss, double trainTop1, double validationTop1,
      double seconds) {}

  public Epoch last() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }
}
