package dev.condense.pipeline;

import dev.condense.PerLayer;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.format.CdzFile;
import dev.condense.format.EncodedTensor;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.quant.VectorQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rate–accuracy sweep of Gong et al. 2014 (Figs. 2–4): the fully connected layers of a
 * trained model coded by each quantizer at a range of settings, evaluated as coded (as Gong) and
 * after fine-tuning the codebooks (beyond Gong), with the compression rate both as the paper
 * defines it and as the real bytes of the coded layers in a .cdz file.
 */
public final class VqSweep {
  private VqSweep() {}

  /**
   * One setting: Gong's rate over all FC layers, the dense float32 bytes of those layers against
   * the .cdz bytes of their codebooks and bit-packed codes, and top-1 without and with fine-tuning
   * (NaN when not run).
   */
  public record Point(String family, String setting, double paperRate, long denseBytes, long codedBytes,
      double top1, double top1FineTuned) {
    public double realRate() {
      return (double) denseBytes / codedBytes;
    }
  }

  /** The settings swept: the four quantizers over a range of rates. */
  public static List<VectorQuantizer> defaultGrid() {
    List<VectorQuantizer> g = new ArrayList<>();
    g.add(new VectorQuantizer.Binary(true));
    for (int k : new int[] {2, 4, 8, 16, 32, 64, 256}) {
      g.add(new VectorQuantizer.Scalar(k));
    }
    for (int w : new int[] {2, 4, 8, 16}) {
      for (int k : new int[] {16, 64, 256}) {
        g.add(new VectorQuantizer.Product(w, k, false));
      }
    }
    for (int t : new int[] {1, 2, 4}) {
      for (int k : new int[] {16, 64}) {
        g.add(new VectorQuantizer.Residual(t, k));
      }
    }
    return g;
  }

  public static String family(VectorQuantizer q) {
    if (q instanceof VectorQuantizer.Binary) {
      return "binarization";
    }
    if (q instanceof VectorQuantizer.Scalar) {
      return "k-means";
    }
    return q instanceof VectorQuantizer.Product ? "PQ" : "RQ";
  }

  public static List<Point> run(Engine engine, Model model, DataSplit data, List<VectorQuantizer> grid,
      int fineTuneEpochs, double fineTuneLr, long seed, Progress progress) {
    List<PrunableWeight> fc = PrunableWeight.of(model.graph()).stream().filter(w -> !w.isConv()).toList();
    long denseBytes = 0;
    for (PrunableWeight w : fc) {
      denseBytes += 4L * w.size();
    }
    List<Point> out = new ArrayList<>();
    progress.start("vq sweep", grid.size());
    int done = 0;
    TrainSettings none = Step.VectorQuantize.FINE_TUNE.withEpochs(0);
    TrainSettings tune = Step.VectorQuantize.FINE_TUNE.withEpochs(fineTuneEpochs).withLr(fineTuneLr);
    for (VectorQuantizer q : grid) {
      Model coded = new Step.VectorQuantize(PerLayer.all(q), false, none).apply(model, StepContext.withoutData(model, seed));
      double paper = paperRate(fc, q);
      long codedBytes = codedBytes(coded, fc);
      double top1 = evaluate(engine, coded, data);
      double tuned = Double.NaN;
      if (fineTuneEpochs > 0) {
        Model t = new Pipeline(engine, data, seed, Progress.NONE, l -> { })
            .run(model, List.of(new Step.VectorQuantize(PerLayer.all(q), false, tune))).model();
        tuned = evaluate(engine, t, data);
      }
      out.add(new Point(family(q), q.label(), paper, denseBytes, codedBytes, top1, tuned));
      progress.update(++done, q.label());
    }
    progress.finish("");
    return out;
  }

  private static double evaluate(Engine engine, Model m, DataSplit data) {
    try (Session s = engine.open(m)) {
      return s.evaluate(data.test(), 500, Progress.NONE).top1();
    }
  }

  /** Gong's rate over all FC layers together: 32 Σmn over the bits the formula charges each. */
  static double paperRate(List<PrunableWeight> fc, VectorQuantizer q) {
    double bits = 0;
    double floats = 0;
    for (PrunableWeight w : fc) {
      int rows = w.shape()[0];
      bits += 32.0 * w.size() / q.paperRate(rows, w.size() / rows);
      floats += w.size();
    }
    return 32 * floats / bits;
  }

  /** .cdz bytes of everything that replaced the FC weights: codebooks and packed codes. */
  private static long codedBytes(Model coded, List<PrunableWeight> fc) {
    CdzFile.Written w = CdzFile.toBytes(coded, CdzFile.Options.defaults());
    long bytes = 0;
    for (Map.Entry<String, EncodedTensor> e : w.tensors().entrySet()) {
      for (PrunableWeight p : fc) {
        if (e.getKey().startsWith(p.weight() + ".vq")) {
          bytes += e.getValue().payload().length;
        }
      }
    }
    return bytes;
  }
}
