package dev.condense.plan;

import dev.condense.graph.Model;
import dev.condense.report.ModelSummary;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A model's cost for a {@link Target}: a number that falls when channels go. Multiply-adds and
 * parameters are counted on the graph ({@link ModelSummary}); latency is measured by the caller
 * (the CLI times ONNX Runtime) and supplied as its own {@code Measure}.
 */
public interface Measure {

  /** What a target counts. */
  enum Kind {
    MACS("macs"), PARAMS("params"), LATENCY("latency"), SIZE("size");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    /** The kind called {@code key} (any case), or null. */
    public static Kind parse(String key) {
      return Arrays.stream(values()).filter(k -> k.key.equals(key.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }

    static String keys() {
      return Arrays.stream(values()).map(Kind::key).collect(Collectors.joining(", "));
    }
  }

  Kind kind();

  /** The model's cost; smaller is better. */
  double of(Model model);

  /** Multiply-adds per sample of the Conv, Gemm and MatMul layers. */
  Measure MACS = new Measure() {
    public Kind kind() { return Kind.MACS; }
    public double of(Model model) { return ModelSummary.of(model).macs(); }
  };

  /** Float parameters of the layers (weights, biases, normalisation). */
  Measure PARAMS = new Measure() {
    public Kind kind() { return Kind.PARAMS; }
    public double of(Model model) { return ModelSummary.of(model).params(); }
  };

  /** The graph-counted measure of {@code kind} (MACS or PARAMS), or null where it must be measured. */
  static Measure counted(Kind kind) {
    return switch (kind) {
      case MACS -> MACS;
      case PARAMS -> PARAMS;
      default -> null;
    };
  }
}
