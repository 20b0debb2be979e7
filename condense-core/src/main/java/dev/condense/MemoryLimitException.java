package dev.condense;

/**
 * A {@link CondenseException} for work refused because it would not fit the {@link MemoryLimit}:
 * the message names what needed how much, and {@link #remedy()} says what helps — a smaller batch
 * (the amount grows with it) or a higher limit (it does not) — so the CLI can name the right
 * option instead of always suggesting the same one.
 */
public final class MemoryLimitException extends CondenseException {
  /** What makes the work fit. */
  public enum Remedy {
    /** Fewer samples per batch: the amount is per batch and one sample fits. */
    BATCH,
    /** A higher memory limit (and a heap to match): the amount does not depend on the batch. */
    LIMIT
  }

  private final Remedy remedy;

  public MemoryLimitException(String message, Remedy remedy) {
    super(message);
    this.remedy = remedy;
  }

  public Remedy remedy() {
    return remedy;
  }
}
