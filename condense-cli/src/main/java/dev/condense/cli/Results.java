package dev.condense.cli;

import dev.condense.engine.Evaluation;
import dev.condense.engine.TrainHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON shapes of the results commands share. */
final class Results {
  private Results() {}

  static Map<String, Object> evaluation(Evaluation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", e.samples());
    m.put("top1", round(e.top1Percent()));
    m.put("top5", round(e.top5Percent()));
    m.put("loss", round(e.loss()));
    return m;
  }

  static List<Object> history(TrainHistory h) {
    List<Object> r = new ArrayList<>();
    for (TrainHistory.Epoch e : h.epochs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", e.index() + 1);
      m.put("lr", e.lr());
      m.put("train_loss", round(e.trainLoss()));
      m.put("train_top1", round(100 * e.trainTop1()));
      if (!Double.isNaN(e.validationTop1())) {
        m.put("test_top1", round(100 * e.validationTop1()));
      }
      m.put("seconds", round(e.seconds()));
      r.add(m);
    }
    return r;
  }

  /** Four decimals; NaN and infinities stay what they are. */
  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
  }
}
