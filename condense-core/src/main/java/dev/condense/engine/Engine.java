package dev.condense.engine;

import dev.condense.graph.Model;

/**
 * Something that runs and trains models: Condense's CPU engine, or another beside it. Compression
 * methods only talk to this interface and to {@link Session}; they never touch engine tensors.
 */
public interface Engine {
  /** A short name for reports ("cpu (OpenBLAS)"). */
  String name();

  /** Opens a session holding a copy of the model's weights. */
  Session open(Model model);
}
