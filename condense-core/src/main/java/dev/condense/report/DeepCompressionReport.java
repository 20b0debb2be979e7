package dev.condense.report;

import dev.condense.engine.Evaluation;
import dev.condense.format.CdzFile;
import dev.condense.format.EncodedTensor;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep Compression's Tables 2 and 3 from the bytes of real files: per prunable layer the weights,
 * the share kept after pruning (P), bits per kept weight spent on values and on indices with
 * quantization (P+Q) and with Huffman coding (P+Q+H), and each layer's compressed size relative
 * to dense float32; then the whole model's .cdz size at each stage against the dense ONNX file.
 */
public record DeepCompressionReport(String model, List<Row> rows, Row total, long denseOnnxBytes,
    long pBytes, long pqBytes, long pqhBytes, Evaluation reference, Evaluation after) {

  /** One layer (or the total): rates are compressed size / dense float32 size. */
  public record Row(String layer, long weights, double kept, double weightBitsPQ, double weightBitsPQH,
      double indexBitsPQ, double indexBitsPQH, double ratePQ, double ratePQH) {}

  public static DeepCompressionReport build(Model dense, Model compressed, CdzFile.Options options,
      Evaluation reference, Evaluation after) {
    CdzFile.Written p = CdzFile.toBytes(compressed, options.withStage(CdzFile.Stage.P));
    CdzFile.Written pq = CdzFile.toBytes(compressed, options.withStage(CdzFile.Stage.PQ));
    CdzFile.Written pqh = CdzFile.toBytes(compressed, options.withStage(CdzFile.Stage.PQH));
    List<Row> rows = new ArrayList<>();
    long[] sum = new long[7];
    for (PrunableWeight w : PrunableWeight.of(compressed.graph())) {
      Tensor d = dense.graph().initializer(w.weight());
      long n = d == null ? w.size() : d.size();
      EncodedTensor a = pq.tensors().get(w.weight());
      EncodedTensor b = pqh.tensors().get(w.weight());
      long nz = a.nonzeros();
      rows.add(row(w.layer(), n, nz, a.weightBits(), b.weightBits(), a.indexBits(), b.indexBits()));
      long[] add = {n, nz, a.weightBits(), b.weightBits(), a.indexBits(), b.indexBits()};
      for (int i = 0; i < add.length; i++) {
        sum[i] += add[i];
      }
    }
    Row total = row("total", sum[0], sum[1], sum[2], sum[3], sum[4], sum[5]);
    return new DeepCompressionReport(compressed.graph().name(), rows, total, OnnxWriter.toBytes(dense).length,
        p.bytes().length, pq.bytes().length, pqh.bytes().length, reference, after);
  }

  private static Row row(String layer, long n, long nz, long wq, long wqh, long iq, long iqh) {
    double per = Math.max(1, nz);
    return new Row(layer, n, (double) nz / n, wq / per, wqh / per, iq / per, iqh / per,
        (wq + iq) / (32.0 * n), (wqh + iqh) / (32.0 * n));
  }

  private static String pct(double v) {
    return String.format("%.2f%%", 100 * v);
  }

  public double ratio(long bytes) {
    return (double) denseOnnxBytes / bytes;
  }

  public String toMarkdown() {
    TextTable t = new TextTable("layer", "#weights", "weights % (P)", "weight bits (P+Q)", "weight bits (P+Q+H)",
        "index bits (P+Q)", "index bits (P+Q+H)", "rate (P+Q)", "rate (P+Q+H)");
    List<Row> all = new ArrayList<>(rows);
    all.add(total);
    for (Row r : all) {
      t.row(r.layer().equals("total") ? "**total**" : r.layer(), String.format("%,d", r.weights()), pct(r.kept()),
          String.format("%.1f", r.weightBitsPQ()), String.format("%.1f", r.weightBitsPQH()),
          String.format("%.1f", r.indexBitsPQ()), String.format("%.1f", r.indexBitsPQH()), pct(r.ratePQ()),
          pct(r.ratePQH()));
    }
    TextTable stages = new TextTable("stage", "file", "bytes", "× smaller than dense ONNX");
    stages.row("dense", "ONNX float32", String.format("%,d", denseOnnxBytes), "1.0×");
    stages.row("P", ".cdz: relative indices + float32", String.format("%,d", pBytes), String.format("%.1f×", ratio(pBytes)));
    stages.row("P+Q", ".cdz: + codebooks", String.format("%,d", pqBytes), String.format("%.1f×", ratio(pqBytes)));
    stages.row("P+Q+H", ".cdz: + Huffman", String.format("%,d", pqhBytes), String.format("%.1f×", ratio(pqhBytes)));
    return t.toMarkdown() + "\nRates are a layer's encoded bits (values, indices, codebook, Huffman tables) over its "
        + "dense float32 bits. Weight and index bits are per stored non-zero weight, tables included.\n\n"
        + stages.toMarkdown() + String.format("%nTop-1: %.2f%% dense reference, %.2f%% compressed (%+.2f points).%n",
        reference.top1Percent(), after.top1Percent(), after.top1Percent() - reference.top1Percent());
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    List<Object> rs = new ArrayList<>();
    List<Row> all = new ArrayList<>(rows);
    all.add(total);
    for (Row r : all) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("layer", r.layer());
      j.put("weights", r.weights());
      j.put("kept", r.kept());
      j.put("weight_bits_pq", r.weightBitsPQ());
      j.put("weight_bits_pqh", r.weightBitsPQH());
      j.put("index_bits_pq", r.indexBitsPQ());
      j.put("index_bits_pqh", r.indexBitsPQH());
      j.put("rate_pq", r.ratePQ());
      j.put("rate_pqh", r.ratePQH());
      rs.add(j);
    }
    m.put("layers", rs);
    m.put("dense_onnx_bytes", denseOnnxBytes);
    m.put("cdz_bytes_p", pBytes);
    m.put("cdz_bytes_pq", pqBytes);
    m.put("cdz_bytes_pqh", pqhBytes);
    m.put("ratio_p", ratio(pBytes));
    m.put("ratio_pq", ratio(pqBytes));
    m.put("ratio_pqh", ratio(pqhBytes));
    m.put("top1_reference", reference.top1Percent());
    m.put("top1_after", after.top1Percent());
    return m;
  }
}
