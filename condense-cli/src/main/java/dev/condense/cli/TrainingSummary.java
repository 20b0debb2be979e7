package dev.condense.cli;

import dev.condense.ops.TrainableTensors;
import dev.condense.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code condense info} says about training: how many values train, and every frozen
 * constant with the reason the rule gives (running statistics summed up in one line).
 */
final class TrainingSummary {
  private static final String STATISTIC = "running statistic";

  private TrainingSummary() {}

  static String text(TrainableTensors t) {
    List<TrainableTensors.Entry> all = t.entries();
    long values = all.stream().mapToLong(TrainableTensors.Entry::size).sum();
    long tensors = all.stream().filter(TrainableTensors.Entry::trains).count();
    StringBuilder b = new StringBuilder(String.format("training: %,d of %,d float values train (%d of %d tensors)",
        t.trainableCount(), values, tensors, all.size()));
    List<TrainableTensors.Entry> stats = new ArrayList<>();
    TextTable frozen = new TextTable("frozen", "values", "why");
    int rows = 0;
    for (TrainableTensors.Entry e : all) {
      if (e.trains()) {
        continue;
      }
      if (e.reason().startsWith(STATISTIC)) {
        stats.add(e);
      } else {
        frozen.row(e.name(), e.size(), e.reason());
        rows++;
      }
    }
    if (!stats.isEmpty()) {
      b.append(String.format("; %d running-statistic tensors (%,d values) are not trained",
          stats.size(), stats.stream().mapToLong(TrainableTensors.Entry::size).sum()));
    }
    if (rows > 0) {
      b.append("\n").append(frozen.toText());
    }
    return b.toString();
  }

  static Map<String, Object> json(TrainableTensors t) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("trainable_params", t.trainableCount());
    List<Object> frozen = new ArrayList<>();
    for (TrainableTensors.Entry e : t.entries()) {
      if (!e.trains()) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", e.name());
        j.put("values", e.size());
        j.put("why", e.reason());
        frozen.add(j);
      }
    }
    r.put("frozen", frozen);
    return r;
  }
}
