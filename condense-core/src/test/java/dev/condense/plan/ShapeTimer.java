package dev.condense.plan;

import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.report.ModelSummary;

/**
 * A deterministic fake {@link LayerTimer} for tests: a layer costs its multiply-adds, times
 * {@code factor} where both the weight's output and input widths are multiples of 16 (a runtime
 * whose blocked kernels run those faster, factor < 1, or slower, factor > 1). Counts its calls.
 */
final class ShapeTimer implements LayerTimer {
  private final double factor;
  private final String setting;
  int calls;

  ShapeTimer(double factor, String setting) {
    this.factor = factor;
    this.setting = setting;
  }

  @Override
  public double ms(Model layer) {
    calls++;
    Node n = layer.graph().nodes().get(0);
    Tensor w = layer.graph().initializer(n.input(1));
    boolean blocked = w.dim(0) % 16 == 0 && w.dim(1) % 16 == 0;
    return ModelSummary.of(layer).macs() * 1e-6 * (blocked ? factor : 1);
  }

  @Override
  public String setting() {
    return setting;
  }
}
