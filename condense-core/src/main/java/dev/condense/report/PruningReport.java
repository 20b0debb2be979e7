package dev.condense.report;

import dev.condense.codec.CsrEncoding;
import dev.condense.engine.Evaluation;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Han et al. 2015's per-layer table for a pruned model — weights, FLOPs, activation density,
 * weights kept and FLOPs kept — with accuracy before and after, and honest sizes: the bytes of
 * the dense ONNX file and of a real CSR encoding of the non-zeros (never "non-zeros × 4").
 *
 * <p>Weights and FLOPs are the dense reference model's, so kept shares stay relative to it even
 * after dead units were cut out. Conventions as in the paper: FLOPs = 2 × multiply-adds per
 * sample; Act% = share of non-zero
 * outputs of the layer after its activation (the next layer's input); FLOPs kept = weights kept ×
 * the density of the layer's input, with the network's input counted as dense.
 */
public record PruningReport(String model, List<Row> rows, Row total, Evaluation before, Evaluation after,
    long denseOnnxBytes, long prunedOnnxBytes, long csrBytes) {

  /** One layer; {@code paperKept} is Han et al.'s share for the same layer, or null. */
  public record Row(String layer, long weights, long flops, double act, double weightsKept, double flopsKept,
      Double paperKept) {}

  /**
   * @param inputDensity non-zero share of each prunable layer's input activation, by layer
   */
  public static PruningReport build(Model original, Model pruned, Map<String, Double> inputDensity,
      Evaluation before, Evaluation after) {
    List<PrunableWeight> layers = PrunableWeight.of(pruned.graph());
    // Sizes and FLOPs of the dense reference: removing dead units must not inflate density.
    ModelSummary summary = ModelSummary.of(original);
    List<Row> rows = new ArrayList<>();
    long totalW = 0;
    long totalF = 0;
    double keptW = 0;
    double keptF = 0;
    double actWeighted = 0;
    for (int i = 0; i < layers.size(); i++) {
      PrunableWeight w = layers.get(i);
      Tensor t = pruned.graph().initializer(w.weight());
      Tensor dense = original.graph().initializer(w.weight());
      long size = dense == null ? t.size() : dense.size();
      long nz = dev.condense.graph.CompressionState.kept(pruned, w.weight());
      LayerStats st = summary.layer(w.layer());
      long flops = 2 * (st == null ? 0 : st.macs());
      double in = i == 0 ? 1 : inputDensity.getOrDefault(w.layer(), 1.0);
      double act = i + 1 < layers.size() ? inputDensity.getOrDefault(layers.get(i + 1).layer(), 1.0) : 1.0;
      double kept = (double) nz / size;
      rows.add(new Row(w.layer(), size, flops, act, kept, kept * in,
          PaperReference.han2015Kept(pruned.graph().name(), w.layer())));
      totalW += size;
      totalF += flops;
      keptW += nz;
      keptF += kept * in * flops;
      actWeighted += act * flops;
    }
    Row total = new Row("total", totalW, totalF, totalF == 0 ? 1 : actWeighted / totalF,
        totalW == 0 ? 1 : keptW / totalW, totalF == 0 ? 1 : keptF / totalF, null);
    return new PruningReport(pruned.graph().name(), rows, total, before, after, OnnxWriter.toBytes(original).length,
        OnnxWriter.toBytes(pruned).length, csrBytes(pruned));
  }

  /** Bytes of the model's parameters with prunable weights in CSR and everything else dense. */
  public static long csrBytes(Model m) {
    long bytes = 0;
    java.util.Set<String> prunable = new java.util.HashSet<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      prunable.add(w.weight());
      int rows = w.shape()[0];
      bytes += CsrEncoding.encode(m.graph().initializer(w.weight()).floats(), rows, w.size() / rows).length;
    }
    for (Map.Entry<String, Tensor> e : m.graph().initializers().entrySet()) {
      if (!prunable.contains(e.getKey())) {
        bytes += e.getValue().byteSize();
      }
    }
    return bytes;
  }

  private static String pct(double v) {
    return String.format("%.1f%%", 100 * v);
  }

  private static String k(long v) {
    return v >= 10_000 ? String.format("%.0fK", v / 1000.0) : v >= 1000 ? String.format("%.1fK", v / 1000.0) : Long.toString(v);
  }

  public String toMarkdown() {
    TextTable t = new TextTable("layer", "weights", "FLOPs", "act%", "weights kept", "FLOPs kept", "Han 2015 kept");
    for (Row r : rows) {
      t.row(r.layer(), k(r.weights()), k(r.flops()), pct(r.act()), pct(r.weightsKept()), pct(r.flopsKept()),
          r.paperKept() == null ? "-" : pct(r.paperKept()));
    }
    Double paperTotal = PaperReference.han2015TotalKept(model);
    t.row("**total**", k(total.weights()), k(total.flops()), pct(total.act()), pct(total.weightsKept()),
        pct(total.flopsKept()), paperTotal == null ? "-" : pct(paperTotal));
    return t.toMarkdown() + "\n" + String.format("Top-1: %.2f%% before, %.2f%% after (%+.2f points); "
        + "weights kept %.2f%% (%.1f× fewer).%n%nSizes: dense ONNX %,d bytes; CSR of the non-zeros %,d bytes "
        + "(%.1f× smaller).%n", before.top1Percent(), after.top1Percent(), after.top1Percent() - before.top1Percent(),
        100 * total.weightsKept(), 1 / total.weightsKept(), denseOnnxBytes, csrBytes,
        (double) denseOnnxBytes / csrBytes);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    List<Object> rs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("layer", r.layer());
      j.put("weights", r.weights());
      j.put("flops", r.flops());
      j.put("act", r.act());
      j.put("weights_kept", r.weightsKept());
      j.put("flops_kept", r.flopsKept());
      if (r.paperKept() != null) {
        j.put("han2015_kept", r.paperKept());
      }
      rs.add(j);
    }
    m.put("layers", rs);
    m.put("weights_kept", total.weightsKept());
    m.put("flops_kept", total.flopsKept());
    m.put("top1_before", before.top1Percent());
    m.put("top1_after", after.top1Percent());
    m.put("dense_onnx_bytes", denseOnnxBytes);
    m.put("pruned_onnx_bytes", prunedOnnxBytes);
    m.put("csr_bytes", csrBytes);
    return m;
  }
}
