package dev.condense.engine;

/**
 * Progress of long work (an epoch, an evaluation, a sweep), reported as units done out of a
 * total. The CLI draws it as a bar with an ETA; library users may ignore it ({@link #NONE}).
 */
public interface Progress {
  /** Starts a task of {@code total} units. */
  void start(String task, long total);

  /** {@code done} units of the current task are finished; {@code status} is a short suffix. */
  void update(long done, String status);

  /** The current task is over. */
  void finish(String summary);

  /** Reports nothing. */
  Progress NONE = new Progress() {
    @Override
    public void start(String task, long total) {}

    @Override
    public void update(long done, String status) {}

    @Override
    public void finish(String summary) {}
  };
}
