package dev.condense.report;

import dev.condense.engine.Evaluation;
import dev.condense.graph.Model;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What structured pruning did to a model: per Conv/Gemm layer its output channels, learnable
 * parameters and multiply-adds per image before and after, the totals and their ratios (the
 * "FLOPs" and "params" columns of Li et al. 2017's tables count multiply-adds of the conv and
 * fully connected layers), the per-round table of the structured steps, and — when the caller
 * measured it — the latency of the original and thinned ONNX files, so the speed-up can be read
 * next to the FLOPs ratio.
 */
public record StructureReport(List<Row> rows, long paramsBefore, long paramsAfter, long macsBefore, long macsAfter,
    Evaluation before, Evaluation after, List<Round> rounds, List<Latency> latency) {

  public StructureReport {
    rows = List.copyOf(rows);
    rounds = List.copyOf(rounds);
    latency = List.copyOf(latency);
  }

  /** One layer: output channels, parameters (weights and bias) and multiply-adds, before and after. */
  public record Row(String layer, String op, int channelsBefore, int channelsAfter, long paramsBefore, long paramsAfter,
      long macsBefore, long macsAfter) {}

  /** Median milliseconds per batch of the original and the thinned model in one runtime. */
  public record Latency(String runtime, int batch, double originalMs, double prunedMs) {
    public double speedUp() {
      return originalMs / prunedMs;
    }
  }

  public static StructureReport build(Model original, Model pruned, Evaluation before, Evaluation after,
      List<Round> rounds, List<Latency> latency) {
    ModelSummary a = ModelSummary.of(original);
    ModelSummary b = ModelSummary.of(pruned);
    List<Row> rows = new ArrayList<>();
    long macsA = 0;
    long macsB = 0;
    // Layers of the original (a layer that went, e.g. a head replaced by pooling, shows 0 after),
    // then layers only the pruned model has (a new classifier shows 0 before).
    for (LayerStats l : a.layers()) {
      if (matrix(l)) {
        LayerStats m = b.layer(l.name());
        rows.add(m == null ? new Row(l.name(), l.op(), l.outputShape()[1], 0, l.params(), 0, l.macs(), 0)
            : new Row(l.name(), l.op(), l.outputShape()[1], m.outputShape()[1], l.params(), m.params(), l.macs(), m.macs()));
      }
    }
    for (LayerStats m : b.layers()) {
      if (matrix(m) && a.layer(m.name()) == null) {
        rows.add(new Row(m.name(), m.op(), 0, m.outputShape()[1], 0, m.params(), 0, m.macs()));
      }
    }
    for (Row r : rows) {
      macsA += r.macsBefore();
      macsB += r.macsAfter();
    }
    return new StructureReport(rows, OpTable.standard().learnableParameterCount(original.graph()),
        OpTable.standard().learnableParameterCount(pruned.graph()),
        macsA, macsB, before, after, rounds, latency);
  }

  /** "64", "64 → 32", "new → 10" or "128 → removed". */
  private static String channels(Row r) {
    if (r.channelsBefore() == r.channelsAfter()) {
      return String.valueOf(r.channelsBefore());
    }
    return (r.channelsBefore() == 0 ? "new" : String.valueOf(r.channelsBefore())) + " → "
        + (r.channelsAfter() == 0 ? "removed" : String.valueOf(r.channelsAfter()));
  }

  /** Whether the row is a layer (Conv, Gemm, MatMul), not a BatchNormalization with parameters. */
  private static boolean matrix(LayerStats l) {
    Op op = OpTable.standard().find(l.op());
    return op != null && op.kind().isLayer();
  }

  /** Share of multiply-adds removed (Li et al.'s "FLOP pruned"). */
  public double macsPruned() {
    return 1 - (double) macsAfter / macsBefore;
  }

  public double paramsPruned() {
    return 1 - (double) paramsAfter / paramsBefore;
  }

  public String toMarkdown() {
    Map<String, TabledCount> tabled = lastTabled();
    TextTable t = tabled.isEmpty() ? new TextTable("layer", "channels", "params", "params after", "MACs", "MACs after")
        : new TextTable("layer", "channels", "params", "params after", "MACs", "MACs after", "tabled ms, kept");
    for (Row r : rows) {
      List<Object> cells = new ArrayList<>(List.of(r.layer(), channels(r), String.format("%,d", r.paramsBefore()),
          String.format("%,d", r.paramsAfter()), String.format("%,d", r.macsBefore()), String.format("%,d", r.macsAfter())));
      if (!tabled.isEmpty()) {
        TabledCount c = tabled.get(r.layer());
        cells.add(c == null ? "" : String.format("%.4f", c.keptMs()));
      }
      t.row(cells.toArray());
    }
    StringBuilder s = new StringBuilder(t.toMarkdown());
    s.append(String.format("%nLearnable parameters %,d → %,d (%.1f%% pruned); multiply-adds per image %,d → %,d "
        + "(%.1f%% pruned, %.2f× fewer).%n", paramsBefore, paramsAfter, 100 * paramsPruned(), macsBefore, macsAfter,
        100 * macsPruned(), (double) macsBefore / macsAfter));
    s.append(String.format("%nTop-1: %.2f%% before, %.2f%% after (%+.2f points).%n", before.top1Percent(),
        after.top1Percent(), after.top1Percent() - before.top1Percent()));
    if (!rounds.isEmpty()) {
      TextTable it = new TextTable("step", "round", "channels per layer", "params", "MACs", "top-1 pruned", "top-1 retrained");
      for (Round i : rounds) {
        it.row(i.step(), i.round(), channels(i.channels()), String.format("%,d", i.params()), String.format("%,d", i.macs()),
            String.format("%.2f%%", 100 * i.top1Pruned()), String.format("%.2f%%", 100 * i.top1Retrained()));
      }
      s.append("\n### Rounds\n\n").append(it.toMarkdown());
    }
    for (Round i : rounds) {
      if (!i.tabled().isEmpty()) {
        s.append("\n### Latency table, ").append(i.step()).append(" round ").append(i.round()).append("\n\n")
            .append(tabled(i.tabled()));
      }
    }
    if (!latency.isEmpty()) {
      TextTable lt = new TextTable("runtime", "batch", "original ms", "pruned ms", "speed-up", "MACs ratio",
          "speed-up / MACs ratio");
      double ratio = (double) macsBefore / macsAfter;
      for (Latency l : latency) {
        lt.row(l.runtime(), l.batch(), String.format("%.3f", l.originalMs()), String.format("%.3f", l.prunedMs()),
            String.format("%.2f×", l.speedUp()), String.format("%.2f×", ratio), String.format("%.2f", l.speedUp() / ratio));
      }
      s.append("\n### Measured latency (median per batch)\n\n").append(lt.toMarkdown());
    }
    return s.toString();
  }

  /**
   * The last steered round's groups by name (a group made by one layer is named by it): the
   * layer table's "tabled ms, kept" column, the group's tabled latency at the count the plan kept.
   */
  private Map<String, TabledCount> lastTabled() {
    Map<String, TabledCount> out = new LinkedHashMap<>();
    for (Round r : rounds) {
      if (!r.tabled().isEmpty()) {
        out.clear();
        r.tabled().forEach(c -> out.put(c.group(), c));
      }
    }
    return out;
  }

  /**
   * The plan's groups with the table's milliseconds (the sum of the group's layers, each timed
   * alone with only this group's width changed) at full width, at the ranking's count and at the
   * count kept: a row whose kept count differs from the ranked one was moved up by the table.
   */
  private static String tabled(List<TabledCount> rows) {
    TextTable t = new TextTable("group", "channels", "ranked", "kept", "tabled ms, full", "tabled ms, ranked",
        "tabled ms, kept");
    for (TabledCount c : rows) {
      t.row(c.group(), c.size(), c.ranked(), c.kept() + (c.kept() != c.ranked() ? " (moved)" : ""),
          String.format("%.4f", c.fullMs()), String.format("%.4f", c.rankedMs()), String.format("%.4f", c.keptMs()));
    }
    return t.toMarkdown();
  }

  private static String channels(Map<String, Integer> c) {
    StringBuilder s = new StringBuilder();
    c.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return s.toString();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> layers = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("layer", r.layer());
      j.put("op", r.op());
      j.put("channels_before", r.channelsBefore());
      j.put("channels_after", r.channelsAfter());
      j.put("params_before", r.paramsBefore());
      j.put("params_after", r.paramsAfter());
      j.put("macs_before", r.macsBefore());
      j.put("macs_after", r.macsAfter());
      layers.add(j);
    }
    m.put("layers", layers);
    m.put("params_before", paramsBefore);
    m.put("params_after", paramsAfter);
    m.put("params_pruned", paramsPruned());
    m.put("macs_before", macsBefore);
    m.put("macs_after", macsAfter);
    m.put("macs_pruned", macsPruned());
    m.put("top1_before", before.top1Percent());
    m.put("top1_after", after.top1Percent());
    List<Object> its = new ArrayList<>();
    for (Round i : rounds) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("step", i.step());
      j.put("round", i.round());
      j.put("channels", i.channels());
      j.put("params", i.params());
      j.put("macs", i.macs());
      j.put("top1_pruned", 100 * i.top1Pruned());
      j.put("top1_retrained", 100 * i.top1Retrained());
      if (!i.tabled().isEmpty()) {
        List<Object> tab = new ArrayList<>();
        for (TabledCount c : i.tabled()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("group", c.group());
          e.put("channels", c.size());
          e.put("ranked", c.ranked());
          e.put("kept", c.kept());
          e.put("tabled_ms_full", c.fullMs());
          e.put("tabled_ms_ranked", c.rankedMs());
          e.put("tabled_ms_kept", c.keptMs());
          tab.add(e);
        }
        j.put("latency_table", tab);
      }
      its.add(j);
    }
    m.put("rounds", its);
    List<Object> lat = new ArrayList<>();
    for (Latency l : latency) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("runtime", l.runtime());
      j.put("batch", l.batch());
      j.put("original_ms", l.originalMs());
      j.put("pruned_ms", l.prunedMs());
      j.put("speed_up", l.speedUp());
      j.put("macs_ratio", (double) macsBefore / macsAfter);
      lat.add(j);
    }
    m.put("latency", lat);
    return m;
  }
}
