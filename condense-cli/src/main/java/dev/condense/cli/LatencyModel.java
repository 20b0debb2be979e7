package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.report.ModelSummary;
import dev.condense.zoo.ModelSource;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One side of {@code condense latency}: the model ONNX Runtime times (an ONNX file as it is on
 * disk; a zoo model or a {@code .cdz} file serialized), its input as ONNX Runtime reports it,
 * and its multiply-adds where Condense reads the model. What can be timed is ONNX Runtime's
 * decision, not Condense's: a file holding ops only ONNX Runtime runs (its contrib domain's
 * MatMulNBits, written by {@code condense quantize --weights int4}) is timed all the same, and
 * only its multiply-adds go uncounted, with Condense's reason kept for the report.
 *
 * @param spec the zoo name or file as given
 * @param ort the model ONNX Runtime loads
 * @param input its only input, as ONNX Runtime reports it
 * @param macs multiply-adds per sample, where Condense reads the model
 * @param uncounted why the multiply-adds are not counted (Condense's one-line refusal), or null
 */
record LatencyModel(String spec, OrtModel ort, OrtModel.Input input, OptionalLong macs, String uncounted) {
  /** The zoo model or file {@code spec}; a file ONNX Runtime cannot load is a one-line error naming it. */
  static LatencyModel load(String spec, long seed, MemoryLimit limit) {
    if (Zoo.has(spec) || spec.toLowerCase(Locale.ROOT).endsWith(".cdz")) {
      Model m = ModelSource.load(spec, seed, limit);
      OrtModel ort = OrtModel.of(m, spec);
      return new LatencyModel(spec, ort, ort.input(), OptionalLong.of(ModelSummary.of(m).macs()), null);
    }
    Path file = Path.of(spec);
    if (!Files.isRegularFile(file)) {
      throw new CondenseException(spec + ": " + (Files.isDirectory(file) ? "is a directory, not a file" : "no such file"));
    }
    OrtModel ort = OrtModel.file(file);
    OrtModel.Input input = ort.input();
    try {
      Model m = OnnxReader.load(file, limit);
      return new LatencyModel(spec, ort, input, OptionalLong.of(ModelSummary.of(m).macs()), null);
    } catch (CondenseException e) {
      return new LatencyModel(spec, ort, input, OptionalLong.empty(), e.getMessage());
    }
  }

  /** The input's shape without its batch dimension; a symbolic dimension there is a one-line error. */
  int[] sample() {
    long[] s = input.shape();
    if (s.length == 0 || Arrays.stream(s, 1, s.length).anyMatch(d -> d < 1)) {
      throw new CondenseException(spec + ": input '" + input.name() + "' of shape " + Arrays.toString(s)
          + " needs a fixed shape apart from its batch dimension to be timed");
    }
    return Arrays.stream(s, 1, s.length).mapToInt(Math::toIntExact).toArray();
  }

  /** The input's shape at {@code batch}; a model whose input fixes another batch is a one-line error. */
  long[] shape(int batch) {
    long[] s = input.shape().clone();
    if (s[0] > 0 && s[0] != batch) {
      throw new CondenseException(spec + ": input '" + input.name() + "' has a fixed batch of " + s[0]
          + ", so it cannot be timed at batch " + batch);
    }
    s[0] = batch;
    return s;
  }
}
