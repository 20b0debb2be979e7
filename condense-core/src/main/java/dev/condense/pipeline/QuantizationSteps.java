package dev.condense.pipeline;

import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.ops.PrunableWeight;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans;
import dev.condense.quant.VectorQuantizer;
import dev.condense.quant.VqLayer;
import dev.condense.quant.WeightSharing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The executors of the quantization steps: Deep Compression's weight sharing with trained
 * centroids, and Gong et al.'s vector quantizers with optionally fine-tuned codebooks.
 */
final class QuantizationSteps {
  private QuantizationSteps() {}

  /** Bits for a layer: its own entry, else the conv or fc default. */
  static int bitsFor(Step.Quantize q, PrunableWeight w) {
    return q.bitsByLayer().getOrDefault(w.layer(), w.isConv() ? q.convBits() : q.fcBits());
  }

  /**
   * INT8 QDQ: calibrated on a seeded sample of the training images; with a max drop, mixed
   * precision decided on the run's validation set, or on a tenth of the training images (at most
   * {@link Int8MixedPrecision#VALIDATION}) held out here when the run has none.
   */
  static Model int8(Model m, Step.QuantizeInt8 q, StepContext ctx) {
    ctx.requireData(q);
    dev.condense.data.DataSplit d = ctx.data();
    boolean mixed = !Double.isNaN(q.maxDrop());
    if (mixed && d.validation() == null) {
      d = d.withValidation(Math.max(1, Math.min(Int8MixedPrecision.VALIDATION, d.train().size() / 10)), ctx.seed());
      ctx.log("  INT8: validation: " + d.validation().name());
    }
    dev.condense.data.Dataset cal = d.withCalibration(Math.min(q.samples(), d.train().size()), ctx.seed()).calibration(d.train());
    dev.condense.quant.int8.Int8Quantizer quantizer = new dev.condense.quant.int8.Int8Quantizer(
        dev.condense.quant.int8.Int8Quantizer.observers(q.calibrate(), "quantize-int8: calibrate"), cal.size(),
        q.activations(), dev.condense.quant.int8.Int8Quantizer.BATCH);
    dev.condense.quant.int8.Int8Quantizer.Result r = quantizer.quantize(m, ctx.forwardEngine(), cal, ctx.progress());
    ctx.log(String.format("  INT8: %d layers, activations observed on %s", r.layerMacs().size(), cal.name()));
    if (mixed) { // the recipe reader refuses max-drop with qat-epochs: QAT trains an all-INT8 model
      return Int8MixedPrecision.choose(m, q.maxDrop(), quantizer, r, cal, d.validation(), ctx);
    }
    if (q.qat().epochs() == 0) {
      return r.model();
    }
    TrainConfig cfg = ctx.config(q.qat(), ctx.lastLr() / 10, ctx.nextSeed());
    dev.condense.quant.int8.QuantizationAwareTraining.Result t = new dev.condense.quant.int8.QuantizationAwareTraining(cfg)
        .train(r, ctx.engine(), ctx.data().train(), null, ctx.progress());
    ctx.log(String.format("  QAT: %d epoch(s) at lr %s, training loss %.4f", cfg.epochs(), cfg.lr(),
        t.history().last().trainLoss()));
    return t.model();
  }

  /** k-means per layer, then fine-tuning of the centroids under fixed assignments (Eq. 3). */
  static Model quantize(Model m, Step.Quantize q, StepContext ctx) {
    if (q.needsData()) {
      ctx.requireData(q);
    }
    Map<String, Codebook> books = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      int bits = bitsFor(q, w);
      books.put(w.weight(), Codebook.fit(m.graph().initializer(w.weight()).floats(), (1 << bits) - 1, q.init(), ctx.seed()));
    }
    Model quantized = WeightSharing.apply(m, books);
    if (ctx.hasData()) {
      Stage s = ctx.stage("quantize", "", quantized, 0);
      ctx.log(String.format("  k-means: top-1 %.2f%% before fine-tuning the centroids", s.test().top1Percent()));
    }
    if (q.fineTune().epochs() == 0) {
      return quantized;
    }
    TrainConfig cfg = ctx.config(q.fineTune(), ctx.lastLr() / 10, ctx.nextSeed());
    Constraints c = WeightSharing.constraints(quantized);
    Constraints frozen = ctx.constraints(quantized, q.fineTune().freeze());
    for (Map.Entry<String, Constraint> e : frozen.byWeight().entrySet()) {
      if (e.getValue() instanceof Constraint.Frozen) {
        c = c.with(e.getKey(), e.getValue());
      }
    }
    try (Session session = ctx.engine().open(quantized)) {
      session.train(ctx.data().train(), cfg, c, null, ctx.progress());
      return session.export();
    }
  }

  /** Checks, before any k-means runs, each quantizer's k and width against the layers it codes. */
  private static void checkFits(Model m, Step.VectorQuantize step) {
    Map<VectorQuantizer, List<int[]>> layers = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      VectorQuantizer q = step.quantizerFor(w);
      if (q != null) {
        int rows = w.shape()[0];
        layers.computeIfAbsent(q, x -> new ArrayList<>()).add(new int[] {rows, w.size() / rows});
      }
    }
    layers.forEach((q, l) -> q.checkFits(l.toArray(int[][]::new)));
  }

  /** Vector quantization of the FC layers (and conv kernels if asked), then codebook fine-tuning. */
  static Model vectorQuantize(Model m, Step.VectorQuantize step, StepContext ctx) {
    if (step.needsData()) {
      ctx.requireData(step);
    }
    Map<String, VqLayer> coded = new LinkedHashMap<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    try (Parallel par = new Parallel(Runtime.getRuntime().availableProcessors())) {
      KMeans km = new KMeans(new Blas(new JavaGemm()), par);
      checkFits(m, step);
      for (PrunableWeight w : PrunableWeight.of(m.graph())) {
        VectorQuantizer q = step.quantizerFor(w);
        if (q == null) {
          continue;
        }
        int rows = w.shape()[0];
        VqLayer layer = q.quantize(init.get(w.weight()).floats(), rows, w.size() / rows, ctx.seed(), km);
        coded.put(w.weight(), layer);
        shapes.put(w.weight(), w.shape());
        init.put(w.weight(), Tensor.of(layer.reconstruction(), w.shape()));
      }
    }
    Model reconstructed = m.withGraph(m.graph().withInitializers(init));
    if (step.fineTune().epochs() > 0) {
      Constraints c = Constraints.NONE;
      for (Map.Entry<String, VqLayer> e : coded.entrySet()) {
        c = c.with(e.getKey(), new Constraint.Shared(e.getValue().indices(), e.getValue().table(), true));
      }
      TrainConfig cfg = ctx.config(step.fineTune(), ctx.lastLr() / 10, ctx.nextSeed());
      try (Session session = ctx.engine().open(reconstructed)) {
        session.train(ctx.data().train(), cfg, c, null, ctx.progress());
        for (Map.Entry<String, VqLayer> e : coded.entrySet()) {
          e.setValue(e.getValue().withTable(session.sharedTable(e.getKey())));
        }
        reconstructed = session.export();
      }
    }
    // The coded weights become subgraphs that rebuild them from their codebooks and codes.
    Map<String, Tensor> out = new LinkedHashMap<>(reconstructed.graph().initializers());
    List<Node> nodes = new ArrayList<>();
    for (Map.Entry<String, VqLayer> e : coded.entrySet()) {
      out.remove(e.getKey());
      VqLayer.Subgraph sg = e.getValue().toGraph(e.getKey(), shapes.get(e.getKey()));
      out.putAll(sg.initializers());
      nodes.addAll(sg.nodes());
    }
    nodes.addAll(reconstructed.graph().nodes());
    return reconstructed.withGraph(reconstructed.graph().withInitializers(out).withNodes(nodes));
  }
}
