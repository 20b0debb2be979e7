package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.condense.CondenseException;

/**
 * Fuzzes the ONNX reader and the load-time check after it (graph, tensors, attributes, shape
 * inference and constant folding): whatever the bytes, {@link OnnxReader#read} and
 * {@link ModelChecker#check} give a model or one one-line {@link CondenseException} starting with
 * the source name, never another exception or an allocation the small fuzz heap cannot hold
 * (CI runs it with {@code -Xmx256m}; see {@code .ci/run}). Every other run replays the seeds in
 * {@code src/test/resources/dev/condense/onnx/OnnxFuzzTestInputs}.
 */
class OnnxFuzzTest {
  @FuzzTest(maxDuration = "18s")
  void loadFailsOnlyWithOneLineErrors(byte[] data) {
    try {
      ModelChecker.check(OnnxReader.read(data, "fuzz"), "fuzz");
    } catch (CondenseException e) {
      assertThat(e.getMessage()).startsWith("fuzz").doesNotContain("\n");
    }
  }
}
