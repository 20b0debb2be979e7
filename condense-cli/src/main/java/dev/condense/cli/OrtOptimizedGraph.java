package dev.condense.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.onnx.NodeListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The graph ONNX Runtime actually runs for a model: a session at ORT_ENABLE_ALL (what
 * {@code OrtEvaluator} and deployments use) writes its optimized graph to a temporary file
 * ({@code SessionOptions.setOptimizedModelFilePath}), whose nodes are listed and the file deleted.
 */
final class OrtOptimizedGraph {
  private OrtOptimizedGraph() {}

  static List<NodeListing.Listed> of(byte[] model, int threads) {
    Path file = null;
    try {
      file = Files.createTempFile("condense-ort-optimized", ".onnx");
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        so.setIntraOpNumThreads(threads);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setOptimizedModelFilePath(file.toString());
        so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(model, so)) {
          return NodeListing.of(Files.readAllBytes(file), "ONNX Runtime's optimized graph");
        }
      }
    } catch (OrtException e) {
      throw new CondenseException("ONNX Runtime could not load the model: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }
}
