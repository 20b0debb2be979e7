package dev.condense.cli;

import dev.condense.pipeline.SensitivityAnalysis;
import java.io.IOException;
import java.nio.file.Files;
import dev.condense.AtomicFile;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of reports (XChart, rendered headless). */
final class Plots {
  private Plots() {}

  /** Accuracy against sparsity or filters pruned, one curve per layer (Han et al. 2015, Fig. 5; Li et al. 2017, Fig. 2). */
  static void sensitivity(SensitivityAnalysis.Result r, String title, String xTitle, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle(xTitle).yAxisTitle("top-1 accuracy (%)").build();
    double[] x = new double[r.sparsities().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 * r.sparsities()[i];
    }
    for (Map.Entry<String, double[]> e : r.top1().entrySet()) {
      double[] y = new double[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = 100 * e.getValue()[i];
      }
      chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
    chart.getStyler().setXAxisDecimalPattern("#.##"); // 60, not 60.00000000000001
    write(chart, png);
  }

  /**
   * The distribution of the non-zero prunable weights before (dense reference) and after
   * compression, as Deep Compression's Fig. 5: after quantization the mass sits on the centroids.
   */
  static void weights(dev.condense.graph.Model before, dev.condense.graph.Model after, String title, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("weight value").yAxisTitle("count").build();
    float[] b = nonzeros(before);
    float[] a = nonzeros(after);
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float v : b) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int bins = 200;
    addHistogram(chart, "before (dense)", b, lo, hi, bins);
    addHistogram(chart, "after (pruned + shared)", a, lo, hi, bins);
    write(chart, png);
  }

  private static float[] nonzeros(dev.condense.graph.Model m) {
    java.util.List<Float> v = new java.util.ArrayList<>();
    for (dev.condense.ops.PrunableWeight w : dev.condense.ops.PrunableWeight.of(m.graph())) {
      for (float f : m.graph().initializer(w.weight()).floats()) {
        if (f != 0f) {
          v.add(f);
        }
      }
    }
    float[] r = new float[v.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = v.get(i);
    }
    return r;
  }

  private static void addHistogram(XYChart chart, String name, float[] v, float lo, float hi, int bins) {
    double[] x = new double[bins];
    double[] y = new double[bins];
    double w = (hi - lo) / bins;
    for (int i = 0; i < bins; i++) {
      x[i] = lo + (i + 0.5) * w;
    }
    for (float f : v) {
      int i = (int) Math.min(bins - 1, Math.max(0, (f - lo) / w));
      y[i]++;
    }
    chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
  }

  /** Top-1 against Gong's compression rate per quantizer family, plain and fine-tuned (Gong Figs. 2–4). */
  static void vqSweep(java.util.List<dev.condense.pipeline.VqSweep.Point> points, String title, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(550).title(title)
        .xAxisTitle("compression rate (Gong et al., ×)").yAxisTitle("top-1 accuracy (%)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
    for (String fam : java.util.List.of("binarization", "k-means", "PQ", "RQ")) {
      for (boolean tuned : new boolean[] {false, true}) {
        java.util.List<dev.condense.pipeline.VqSweep.Point> ps = points.stream().filter(p -> p.family().equals(fam))
            .filter(p -> !tuned || !Double.isNaN(p.top1FineTuned()))
            .sorted(java.util.Comparator.comparingDouble(dev.condense.pipeline.VqSweep.Point::paperRate)).toList();
        if (ps.isEmpty()) {
          continue;
        }
        double[] x = ps.stream().mapToDouble(dev.condense.pipeline.VqSweep.Point::paperRate).toArray();
        double[] y = ps.stream().mapToDouble(p -> 100 * (tuned ? p.top1FineTuned() : p.top1())).toArray();
        chart.addSeries(fam + (tuned ? " + fine-tuning" : ""), x, y)
            .setMarker(tuned ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE)
            .setLineStyle(tuned ? org.knowm.xchart.style.lines.SeriesLines.DASH_DASH : org.knowm.xchart.style.lines.SeriesLines.NONE);
      }
    }
    write(chart, png);
  }

  /**
   * The plan a structured run chose (issue 15 §3): each pruned layer's output channels before and
   * after, one pair of bars per layer in graph order, so where the budget went is seen at a glance.
   */
  static void plan(dev.condense.report.StructureReport s, String title, Path png) {
    System.setProperty("java.awt.headless", "true");
    java.util.List<dev.condense.report.StructureReport.Row> rows = s.rows().stream()
        .filter(r -> r.channelsBefore() > 0).toList();
    org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder()
        .width(Math.max(800, 40 * rows.size())).height(500).title(title)
        .xAxisTitle("layer").yAxisTitle("output channels").build();
    java.util.List<String> names = rows.stream().map(dev.condense.report.StructureReport.Row::layer).toList();
    chart.addSeries("before", names, rows.stream().map(r -> (Number) r.channelsBefore()).toList());
    chart.addSeries("kept", names, rows.stream().map(r -> (Number) r.channelsAfter()).toList());
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(90);
    write(chart, png);
  }

  /**
   * Accuracy on the way to the target (issue 15 §3): top-1 right after each round's channels went
   * and after its fine-tuning, against the share of the original's multiply-adds left, starting
   * from the model the run began with.
   */
  static void rounds(dev.condense.report.StructureReport s, String title, Path png) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("multiply-adds left (share of the original)").yAxisTitle("top-1 accuracy (%)").build();
    int n = s.rounds().size();
    double[] x = new double[n + 1];
    double[] pruned = new double[n + 1];
    double[] tuned = new double[n + 1];
    x[0] = 1;
    pruned[0] = tuned[0] = 100 * s.before().top1();
    for (int i = 0; i < n; i++) {
      dev.condense.report.Round r = s.rounds().get(i);
      x[i + 1] = (double) r.macs() / s.macsBefore();
      pruned[i + 1] = 100 * r.top1Pruned();
      tuned[i + 1] = 100 * r.top1Retrained();
    }
    chart.addSeries("after pruning", x, pruned).setMarker(SeriesMarkers.CIRCLE);
    chart.addSeries("after fine-tuning", x, tuned).setMarker(SeriesMarkers.DIAMOND);
    chart.getStyler().setXAxisDecimalPattern("0.00");
    write(chart, png);
  }

  /** Renders to a temporary file and moves it into place, so a failed run leaves no partial PNG. */
  static void write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
    AtomicFile.write(png, tmp -> {
      try (var out = java.nio.file.Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
    });
  }

}
