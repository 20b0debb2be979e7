package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of ONNX's test data ({@code libonnx-testdata}): a directory with {@code model.onnx}
 * and {@code test_data_set_*} folders of inputs and expected outputs, run on the engine and
 * compared at relative tolerance 1e-4 plus absolute 1e-5, the tolerance of ONNX's own backend
 * tests.
 */
final class TestDataCase {
  private TestDataCase() {}

  /** What became of one case: "pass", "rejected" (a CondenseException), "FAIL" or "CRASH". */
  record Outcome(String test, String status, String detail) {}

  /** Runs every data set of the case in {@code dir} on {@code model}. */
  static Outcome run(CpuEngine engine, String test, Path dir, Model model) {
    try {
      List<Path> sets;
      try (Stream<Path> s = Files.list(dir)) {
        sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
      }
      try (Session session = engine.open(model)) {
        for (Path set : sets) {
          Map<String, Tensor> inputs = new LinkedHashMap<>();
          List<ValueInfo> ins = model.graph().inputs();
          for (int i = 0; i < ins.size(); i++) {
            inputs.put(ins.get(i).name(), OnnxReader.readTensor(set.resolve("input_" + i + ".pb")));
          }
          Map<String, Tensor> actual = session.run(inputs);
          List<ValueInfo> outs = model.graph().outputs();
          for (int i = 0; i < outs.size(); i++) {
            Tensor expected = OnnxReader.readTensor(set.resolve("output_" + i + ".pb"));
            String diff = compare(expected, actual.get(outs.get(i).name()));
            if (diff != null) {
              return new Outcome(test, "FAIL", set.getFileName() + " output " + i + ": " + diff);
            }
          }
        }
      }
      return new Outcome(test, "pass", "");
    } catch (CondenseException e) {
      return new Outcome(test, "rejected", e.getMessage());
    } catch (RuntimeException | IOException | AssertionError e) {
      return new Outcome(test, "CRASH", e.toString());
    }
  }

  /** Null when equal within tolerance, else what differs. */
  static String compare(Tensor expected, Tensor actual) {
    if (actual == null) {
      return "missing output";
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return "shape " + Arrays.toString(actual.shape()) + " expected " + Arrays.toString(expected.shape());
    }
    if (expected.dtype() != DType.FLOAT) {
      return expected.equals(actual) ? null : "values differ";
    }
    float[] e = expected.floats();
    float[] a = actual.floats();
    for (int i = 0; i < e.length; i++) {
      boolean ok = Math.abs(a[i] - e[i]) <= 1e-4 * Math.abs(e[i]) + 1e-5 || (Float.isNaN(a[i]) && Float.isNaN(e[i]));
      if (!ok) {
        return "element " + i + " is " + a[i] + ", expected " + e[i];
      }
    }
    return null;
  }
}
