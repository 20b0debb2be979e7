package dev.condense.cli;

import dev.condense.engine.Evaluation;
import dev.condense.engine.TrainHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON shapes of the results commands share, and file checks for outputs. */
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

  /**
   * Refuses, before any work starts, an output path that is the input model, sits in a missing or
   * read-only directory, or names something other than a regular file (a directory, a device
   * node, a FIFO): the write at the end would fail or destroy it.
   */
  static void checkOutput(Path out, String inputSpec) {
    String why = dev.condense.AtomicFile.unwritableReason(out);
    if (why != null) {
      throw new Cli.UsageError("--out: cannot write " + out + ": " + why);
    }
    Path in = Path.of(inputSpec);
    if (Files.exists(in) && Files.exists(out)) {
      try {
        if (Files.isSameFile(in, out)) {
          throw new Cli.UsageError("--out: " + out + " is the input model; Condense never overwrites its input");
        }
      } catch (java.io.IOException e) {
        // cannot compare: fall through, the write itself will report problems
      }
    }
  }
}
