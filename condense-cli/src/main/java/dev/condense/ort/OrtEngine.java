package dev.condense.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.engine.Engine;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;

/**
 * ONNX Runtime as a forward-only {@link Engine}: its sessions run, evaluate and capture like the
 * CPU engine's, and refuse to train. Forward-only work (evaluation, sensitivity, calibration)
 * uses it where ONNX Runtime is faster; the results agree with the engine's (see
 * {@code docs/runtimes.md}).
 *
 * <p>The engine holds one use of the process-wide {@link OrtEnvironment} (ONNX Runtime keeps a
 * single one, which is never closed here) and the session options — intra-op thread count, all
 * graph optimizations — every session it opens is built with. After {@link #close()} it opens
 * no session, and the sessions it opened refuse use.
 */
public final class OrtEngine implements Engine {
  private final OrtEnvironment env;
  private final int threads;
  private final OrtSession.SessionOptions options;
  private boolean closed;

  /** An engine whose sessions run on {@code threads} intra-op threads. */
  public OrtEngine(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.env = OrtEnvironment.getEnvironment();
    this.threads = threads;
    this.options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(threads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    } catch (OrtException e) {
      options.close();
      throw OrtFailure.of(e);
    }
  }

  @Override
  public String name() {
    return "ONNX Runtime " + env.getVersion() + " (" + threads + (threads == 1 ? " thread)" : " threads)");
  }

  @Override
  public OrtForwardSession open(Model model) {
    ensureOpen();
    return new OrtForwardSession(this, model, OnnxWriter.toBytes(model), true);
  }

  /**
   * A session running ONNX {@code bytes} that may hold ops only ONNX Runtime reads (its contrib
   * ops, such as MatMulNBits); {@code model} is Condense's form of the same graph (same inputs,
   * outputs and value names), from which value types and the fixed batch are read. Its weights
   * cannot be replaced ({@link OrtForwardSession#setWeights} refuses).
   */
  public OrtForwardSession open(byte[] bytes, Model model) {
    ensureOpen();
    return new OrtForwardSession(this, model, bytes.clone(), false);
  }

  boolean isClosed() {
    return closed;
  }

  OrtEnvironment environment() {
    return env;
  }

  /** An ONNX Runtime session of {@code bytes}, built with this engine's options. */
  OrtSession compile(byte[] bytes) {
    try {
      return env.createSession(bytes, options);
    } catch (OrtException e) {
      throw OrtFailure.of(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the engine is closed");
    }
  }

  /** Releases the session options; sessions opened from this engine can no longer be used. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      options.close();
    }
  }
}
