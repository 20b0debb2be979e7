package dev.condense.cli;

import dev.condense.engine.Engine;
import dev.condense.ort.OrtEngine;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --runtime}: where a command's forward-only work (evaluation, sensitivity, calibration)
 * runs — Condense's engine or ONNX Runtime, whose results agree with the engine's
 * ({@code docs/runtimes.md}). One definition for every command; {@code eval} alone also takes
 * {@code both} and {@code java}, which are ways of evaluating rather than engines.
 */
final class RuntimeOption {
  enum Runtime { engine, ort, both, java }

  @Option(names = "--runtime", paramLabel = "R", defaultValue = "engine",
      description = "Where forward-only work runs: engine (Condense's) or ort (ONNX Runtime; the results agree with "
          + "the engine's). eval also takes both (run both and compare their predictions) and java (the pure-Java "
          + "runtime for compressed models: sparse FC layers over codebooks) (default: ${DEFAULT-VALUE}).")
  Runtime runtime = Runtime.engine;

  /**
   * The engine forward-only work of {@code command} runs on, with --threads: the CPU engine or
   * ONNX Runtime. The caller closes it.
   */
  Engine forward(CommonOptions common, String command) {
    Engine ort = separate(common, command);
    return ort != null ? ort : common.engine();
  }

  /**
   * Runs {@code work} on {@code engine} (the command's CPU engine) with --runtime engine, or on an
   * ONNX Runtime engine opened for it and closed after.
   */
  <T> T forwardOnly(Engine engine, CommonOptions common, String command, Function<Engine, T> work) {
    try (Engine ort = separate(common, command)) {
      return work.apply(ort != null ? ort : engine);
    }
  }

  /**
   * The engine for forward-only work apart from the command's CPU engine: ONNX Runtime with
   * --runtime ort, or null with --runtime engine (the work stays on the CPU engine).
   */
  Engine separate(CommonOptions common, String command) {
    check(command);
    return runtime == Runtime.ort ? new OrtEngine(common.threadCount()) : null;
  }

  /** Refuses, before any work, a --runtime that {@code command} (not eval) cannot take. */
  void check(String command) {
    if (runtime == Runtime.both || runtime == Runtime.java) {
      throw new Cli.UsageError("--runtime " + runtime + " goes with eval; " + command + " takes engine or ort");
    }
  }
}
