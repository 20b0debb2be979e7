package dev.condense.pipeline;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model that distilling steps learn from (a run's reference), and its logits on the training
 * set, computed once, when the first step that distils asks for them.
 */
public final class Teacher {
  private final Model model;
  private float[] logits;

  Teacher(Model model) {
    this.model = model;
  }

  boolean hasLogits() {
    return logits != null;
  }

  /** The logits (see {@link dev.condense.ops.OpTable#logitsValue}) on every sample of {@code d}: [samples, classes]. */
  float[] logits(Engine engine, Dataset d) {
    if (logits == null) {
      logits = logitsOf(model, engine, d);
    }
    return logits;
  }

  /** The logits of {@code model} on every sample of {@code d}, [samples, classes] (for a distillation teacher). */
  public static float[] logitsOf(Model model, Engine engine, Dataset d) {
    String out = dev.condense.ops.OpTable.standard().logitsValue(model.graph());
    List<float[]> rows = new ArrayList<>();
    try (Session s = engine.open(model)) {
      s.capture(d, 256, List.of(out), (batch, values, shapes, labels) ->
          rows.add(Arrays.copyOf(values[0], batch * Arrays.stream(shapes[0], 1, shapes[0].length)
              .reduce(1, (a, b) -> a * b))), Progress.NONE);
    }
    int width = rows.stream().mapToInt(r -> r.length).sum();
    float[] all = new float[width];
    int at = 0;
    for (float[] r : rows) {
      System.arraycopy(r, 0, all, at, r.length);
      at += r.length;
    }
    return all;
  }
}
