package dev.condense.ort;

import ai.onnxruntime.OrtException;
import dev.condense.CondenseException;

/**
 * ONNX Runtime's errors as Condense's one-line errors: its messages can run over several lines
 * (a stack of its own), of which the first says what went wrong.
 */
final class OrtFailure {
  private OrtFailure() {}

  static CondenseException of(OrtException e) {
    String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return new CondenseException("ONNX Runtime could not run the model: " + first, e);
  }
}
