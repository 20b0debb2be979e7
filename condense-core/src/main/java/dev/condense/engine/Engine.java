package dev.condense.engine;

import dev.condense.graph.Model;

/**
 * Something that runs and trains models: Condense's CPU engine, or another beside it. Compression
 * methods only talk to this interface and to {@link Session}; they never touch engine tensors.
 *
 * <p>An engine owns its worker threads and its sessions share them; close the engine when done
 * (try-with-resources). After {@link #close()} it opens no sessions, and sessions opened from it
 * refuse further use.
 */
public interface Engine extends AutoCloseable {
  /** A short name for reports ("cpu (OpenBLAS)"). */
  String name();

  /**
   * Opens a session holding a copy of the model's weights.
   *
   * @throws IllegalStateException if the engine is closed
   */
  Session open(Model model);

  /** Stops the engine's worker threads. Closing twice does nothing. */
  @Override
  void close();
}
