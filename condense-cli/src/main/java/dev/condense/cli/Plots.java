package dev.condense.cli;

import dev.condense.pipeline.SensitivityAnalysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of reports (XChart, rendered headless). */
final class Plots {
  private Plots() {}

  /** Accuracy against sparsity, one curve per layer (as Han et al. 2015, Fig. 5). */
  static void sensitivity(SensitivityAnalysis.Result r, String title, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("sparsity (%)").yAxisTitle("top-1 accuracy (%)").build();
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
    write(chart, png);
  }

  /** Renders to a temporary file and moves it into place, so a failed run leaves no partial PNG. */
  static void write(XYChart chart, Path png) throws IOException {
    Path dir = png.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".png");
    try {
      BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
      Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
