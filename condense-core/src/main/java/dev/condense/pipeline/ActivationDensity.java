package dev.condense.pipeline;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The share of non-zero elements of chosen activations over a data set, captured from the
 * engine: the "Act%" of Han et al.'s tables (a zero input costs a sparse kernel no multiply).
 */
public final class ActivationDensity {
  private ActivationDensity() {}

  public static Map<String, Double> measure(Engine engine, Model model, Dataset data, List<String> values) {
    long[] nonzero = new long[values.size()];
    long[] total = new long[values.size()];
    try (Session s = engine.open(model)) {
      s.capture(data, 250, values, (batch, arrays, shapes, labels) -> {
        for (int i = 0; i < arrays.length; i++) {
          long n = dev.condense.graph.Tensor.numel(shapes[i]);
          float[] a = arrays[i];
          long nz = 0;
          for (int k = 0; k < n; k++) {
            nz += a[k] != 0f ? 1 : 0;
          }
          nonzero[i] += nz;
          total[i] += n;
        }
      }, Progress.NONE);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out.put(values.get(i), total[i] == 0 ? 1 : (double) nonzero[i] / total[i]);
    }
    return out;
  }
}
