package dev.condense.pipeline;

import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.Distillation;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.DeadNeurons;
import dev.condense.prune.DropoutAdjustment;
import dev.condense.prune.GradualSchedule;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.Masks;
import dev.condense.prune.PruningCriterion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs recipe steps on a model: training, one-shot, iterative and gradual magnitude pruning,
 * structured pruning (Network Trimming, L1 filter pruning), quantization, dead-neuron removal. After every step the model is evaluated on the test split, so the result
 * is a table of stages. Pruned weights stay exactly zero through every later training step.
 */
public final class Pipeline {
  private final Engine engine;
  private final DataSplit data;
  private final long seed;
  private final Progress progress;
  private final Consumer<String> log;
  private double lastLr = 0.01;
  private boolean pruned;
  private int runs;
  /** The model steps that distil learn from (the reference, once known), and its logits on the training set. */
  private Model teacher;
  private float[] teacherLogits;

  public Pipeline(Engine engine, DataSplit data, long seed, Progress progress, Consumer<String> log) {
    this.engine = engine;
    this.data = data;
    this.seed = seed;
    this.progress = progress;
    this.log = log;
  }

  /**
   * The outcome: the model before and after, one stage per step (the first is "start"), and the
   * reference — the model and stage just before the first step that prunes or quantizes (after
   * training, if the recipe trains first), against which the compression is judged.
   */
  public record Result(Model original, Model model, List<Stage> stages, Model reference, int referenceStage,
      List<dev.condense.report.Round> rounds) {}

  private final List<dev.condense.report.Round> rounds = new ArrayList<>();
  private boolean thinned;

  public Result run(Model model, List<Step> steps) {
    Model original = model;
    pruned = Masks.of(model).anyPruned();
    List<Stage> stages = new ArrayList<>();
    stages.add(stage("start", "", model, 0));
    Model m = model;
    Model reference = null;
    int referenceStage = 0;
    teacher = null;
    teacherLogits = null;
    for (Step step : steps) {
      long t0 = System.nanoTime();
      boolean compresses = step instanceof Step.Prune || step instanceof Step.IterativePrune
          || step instanceof Step.GradualPrune || step instanceof Step.Trim || step instanceof Step.PruneFilters
          || step instanceof Step.ChannelPrune || step instanceof Step.GapHead || step instanceof Step.Quantize
          || step instanceof Step.VectorQuantize;
      if (compresses && reference == null) {
        reference = m;
        teacher = m;
        referenceStage = stages.size() - 1;
      }
      String detail;
      if (step instanceof Step.Train t) {
        m = train(m, t.settings(), t.settings().epochs());
        detail = t.settings().epochs() + " epochs";
      } else if (step instanceof Step.Prune p) {
        m = prune(original, m, p.criterion());
        detail = describe(p.criterion());
      } else if (step instanceof Step.IterativePrune ip) {
        m = iterative(original, m, ip);
        detail = ip.rounds() + " rounds";
      } else if (step instanceof Step.GradualPrune g) {
        m = gradual(original, m, g);
        detail = g.train().epochs() + " epochs";
      } else if (step instanceof Step.VectorQuantize vq) {
        m = vectorQuantize(m, vq);
        detail = vq.quantizer().label() + (vq.fineTune().epochs() > 0 ? ", codebooks fine-tuned" : "");
      } else if (step instanceof Step.Trim t) {
        m = trim(m, t);
        detail = t.iterations() + " iterations";
      } else if (step instanceof Step.PruneFilters f) {
        m = pruneFilters(m, f);
        detail = (f.byLayer().isEmpty() ? "ratio " + f.ratio() : f.byLayer().toString()) + (f.greedy() ? ", greedy" : "");
      } else if (step instanceof Step.ChannelPrune c) {
        m = channelPrune(m, c);
        detail = c.method().name().toLowerCase(java.util.Locale.ROOT)
            + (c.speedup() > 0 ? ", " + c.speedup() + "x fewer MACs" : ", keep " + (c.byLayer().isEmpty() ? c.keep() : c.byLayer()));
      } else if (step instanceof Step.GapHead gh) {
        m = settle(dev.condense.structure.GapHead.apply(m, seed), "gap-head", 1, gh.retrain());
        detail = "global average pooling + one linear layer";
      } else if (step instanceof Step.Quantize q) {
        m = quantize(m, q);
        detail = "fc " + q.fcBits() + " bits, conv " + q.convBits() + (q.bitsByLayer().isEmpty() ? "" : ", " + q.bitsByLayer());
      } else {
        DeadNeurons.Result r = DeadNeurons.remove(m);
        m = r.model();
        detail = r.removed().isEmpty() ? "none" : r.removed().toString();
      }
      Stage s = stage(step.name(), detail, m, (System.nanoTime() - t0) / 1e9);
      log.accept(String.format("%-20s %-28s top-1 %6.2f%%  weights kept %5.2f%%  (%.1fs)", step.name(),
          detail.length() > 28 ? detail.substring(0, 25) + "..." : detail, s.test().top1Percent(),
          100 * s.density(), s.seconds()));
      stages.add(s);
    }
    return new Result(original, m, stages, reference == null ? m : reference, reference == null ? stages.size() - 1 : referenceStage,
        List.copyOf(rounds));
  }

  /** Prunable weights of the model the run started from: densities stay relative to it. */
  private long denseWeights = -1;

  private Stage stage(String name, String detail, Model m, double seconds) {
    Evaluation e;
    try (Session s = engine.open(m)) {
      e = s.evaluate(data.test(), 256, Progress.NONE);
    }
    Masks masks = Masks.of(m);
    if (denseWeights < 0) {
      denseWeights = masks.sizeTotal();
    }
    return new Stage(name, detail, e, masks.keptTotal(), denseWeights, m.graph().parameterCount(), seconds);
  }

  private Constraints constraints(Model m, TrainSettings.Freeze freeze) {
    Constraints c = pruned ? Masks.of(m).constraints() : Constraints.NONE;
    if (freeze == TrainSettings.Freeze.NONE) {
      return c;
    }
    for (Node n : m.graph().nodes()) {
      dev.condense.ops.Kind kind = dev.condense.ops.OpTable.standard().kind(n);
      boolean conv = kind == dev.condense.ops.Kind.CONVOLUTION;
      boolean fc = kind == dev.condense.ops.Kind.FULLY_CONNECTED;
      if ((freeze == TrainSettings.Freeze.CONV && conv) || (freeze == TrainSettings.Freeze.FC && fc)) {
        for (String in : n.inputs()) {
          if (m.graph().initializer(in) != null && m.graph().initializer(in).dtype() == dev.condense.graph.DType.FLOAT
              && !in.equals(n.input(0))) {
            c = c.with(in, new Constraint.Frozen());
          }
        }
      }
    }
    return c;
  }

  private Model train(Model m, TrainSettings settings, int epochs) {
    return train(m, settings, epochs, data.train(), 0);
  }

  /** Trains on {@code train}, which is the training set or its window starting at sample {@code offset}. */
  private Model train(Model m, TrainSettings settings, int epochs, Dataset train, int offset) {
    TrainConfig cfg = config(settings, lastLr / (pruned || thinned ? 10 : 1), seed + runs++, train, offset)
        .withEpochs(epochs);
    if (!pruned && !thinned) {
      lastLr = cfg.lr();
    }
    try (Session s = engine.open(m)) {
      s.train(train, cfg, constraints(m, settings.freeze()), null, progress);
      return s.export();
    }
  }

  private TrainConfig config(TrainSettings s, double inheritedLr, long runSeed) {
    return config(s, inheritedLr, runSeed, data.train(), 0);
  }

  /**
   * The engine configuration of a training step on {@code train}, the training set or its window
   * from sample {@code offset}; a step that distils gets the teacher's logits on those samples
   * (computed once, on the whole training set).
   */
  private TrainConfig config(TrainSettings s, double inheritedLr, long runSeed, Dataset train, int offset) {
    TrainConfig c = s.config(inheritedLr, runSeed);
    if (s.distill() == null) {
      return c;
    }
    if (teacher == null) {
      throw new dev.condense.CondenseException("'distill' needs a trained model to learn from: use it only on steps "
          + "after the first one that prunes or quantizes (the model before that step is the teacher)");
    }
    Dataset all = data.train();
    if (teacherLogits == null) {
      log.accept(String.format("  distilling from the reference model (T %s, alpha %s): its logits on %s",
          s.distill().temperature(), s.distill().alpha(), all.name()));
      teacherLogits = logits(teacher, all);
    }
    int classes = teacherLogits.length / all.size();
    float[] window = train == all ? teacherLogits
        : java.util.Arrays.copyOfRange(teacherLogits, offset * classes, (offset + train.size()) * classes);
    return c.withDistillation(new Distillation(window, classes, s.distill().temperature(), s.distill().alpha()));
  }

  /** A model's logits (see {@link dev.condense.ops.OpTable#logitsValue}) on every sample of {@code d}: [samples, classes]. */
  private float[] logits(Model m, Dataset d) {
    String out = dev.condense.ops.OpTable.standard().logitsValue(m.graph());
    List<float[]> rows = new ArrayList<>();
    try (Session s = engine.open(m)) {
      s.capture(d, 256, List.of(out), (batch, values, shapes, labels) ->
          rows.add(java.util.Arrays.copyOf(values[0], batch * java.util.Arrays.stream(shapes[0], 1, shapes[0].length)
              .reduce(1, (a, b) -> a * b))), Progress.NONE);
    }
    int width = rows.stream().mapToInt(r -> r.length).sum();
    float[] all = new float[width];
    int at = 0;
    for (float[] r : rows) {
      System.arraycopy(r, 0, all, at, r.length);
      at += r.length;
    }
    return all;
  }

  private Model prune(Model original, Model m, PruningCriterion c) {
    Masks masks = MagnitudePruner.prune(m, c, pruned ? Masks.of(m) : null);
    pruned = true;
    Model out = masks.apply(m);
    if (out.graph().nodes().stream().anyMatch(n -> dev.condense.ops.OpTable.standard().is(n, dev.condense.ops.Kind.REGULARIZATION))
        && original.graph().initializers().keySet().equals(out.graph().initializers().keySet())) {
      Map.Entry<Model, List<DropoutAdjustment.Change>> adj = DropoutAdjustment.apply(original, out);
      for (DropoutAdjustment.Change ch : adj.getValue()) {
        log.accept(String.format("  dropout %s: %.3f -> %.3f", ch.node(), ch.original(), ch.adjusted()));
      }
      out = adj.getKey();
    }
    return out;
  }

  /** Round r keeps density d^(r/R) of each layer: equal ratios per round, ending at the target. */
  private Model iterative(Model original, Model m, Step.IterativePrune ip) {
    for (int r = 1; r <= ip.rounds(); r++) {
      double f = (double) r / ip.rounds();
      Map<String, Double> round = new HashMap<>();
      ip.sparsity().forEach((k, s) -> round.put(k, 1 - Math.pow(1 - s, f)));
      double dflt = Double.isNaN(ip.dflt()) ? Double.NaN : 1 - Math.pow(1 - ip.dflt(), f);
      m = prune(original, m, ip.global() ? new PruningCriterion.GlobalSparsity(dflt) : new PruningCriterion.Sparsity(round, dflt));
      Stage s = stage("prune", "", m, 0);
      log.accept(String.format("  round %d/%d: pruned to %.2f%% kept, top-1 %.2f%% before retraining", r,
          ip.rounds(), 100 * s.density(), s.test().top1Percent()));
      m = train(m, ip.retrain(), ip.retrain().epochs());
    }
    return m;
  }

  /** AGP: prune at the start of every epoch to the cubic schedule's sparsity, then train it. */
  private Model gradual(Model original, Model m, Step.GradualPrune g) {
    TrainSettings t = g.train();
    int epochs = t.epochs();
    TrainConfig base = config(t, lastLr / 10, seed);
    try (Session s = engine.open(m)) {
      for (int e = 0; e < epochs; e++) {
        double f = new GradualSchedule(0, 0.999999, epochs).at(e + 1) / 0.999999;
        Map<String, Double> now = new HashMap<>();
        g.sparsity().forEach((k, v) -> now.put(k, v * f));
        double dflt = Double.isNaN(g.dflt()) ? Double.NaN : g.dflt() * f;
        Model p = prune(original, s.export(),
            g.global() ? new PruningCriterion.GlobalSparsity(dflt) : new PruningCriterion.Sparsity(now, dflt));
        s.setWeights(p);
        double lr = base.schedule().at(base.lr(), e, epochs);
        TrainConfig one = base.withEpochs(1).withLr(lr).withSchedule(new LrSchedule.Constant()).withSeed(seed + runs++);
        s.train(data.train(), one, constraints(p, t.freeze()), null, progress);
      }
      return s.export();
    }
  }

  /** Hu et al.'s Network Trimming: APoZ → trim the most idle layers → retrain, per iteration. */
  private Model trim(Model m, Step.Trim t) {
    Dataset samples = data.train().head(Math.min(t.samples(), data.train().size()));
    for (int it = 1; it <= t.iterations(); it++) {
      StructuredPruning.TrimChoice c = StructuredPruning.trim(engine, m, samples, t, Progress.NONE);
      for (dev.condense.prune.Apoz.Layer l : c.measured()) {
        log.accept(String.format("  iteration %d: %-24s mean APoZ %5.1f%%  std %4.1f%%%s", it, l.group().name(),
            100 * l.mean(), 100 * l.std(), c.remove().containsKey(l.group())
                ? "  -> trim " + c.remove().get(l.group()).length + " of " + l.apoz().length : ""));
      }
      if (c.remove().isEmpty()) {
        log.accept("  iteration " + it + ": no channel above the threshold; trimming stops");
        break;
      }
      m = thin(m, c.remove(), "trim", it, t.retrain());
    }
    return m;
  }

  /** Li et al.'s L1 filter pruning, one shot or over several rounds, retraining after each. */
  private Model pruneFilters(Model m, Step.PruneFilters f) {
    Map<String, Integer> original = StructuredPruning.channels(m);
    for (int r = 1; r <= f.rounds(); r++) {
      Map<dev.condense.structure.ChannelGroup, int[]> remove = StructuredPruning.filters(m, f, original, (double) r / f.rounds());
      m = thin(m, remove, "prune-filters", r, f.retrain());
    }
    return m;
  }

  /** He et al.'s, ThiNet's, L1 or random channel pruning through the next layer, then fine-tuning. */
  private Model channelPrune(Model m, Step.ChannelPrune c) {
    double keep = c.speedup() > 0 ? ChannelPruning.keepFor(m, c.speedup(), c.align()) : c.keep();
    java.util.function.UnaryOperator<Model> afterLayer = c.layerEpochs() > 0 ? layerTuning(c) : x -> x;
    Model cut = ChannelPruning.prune(engine, m, data.train(), c.method(), c.byLayer(), keep, c.align(), c.sampling(), seed,
        progress, afterLayer, l -> log.accept(String.format("  %s: %d -> %d channels%s", l.layer(), l.before(), l.after(),
            l.sampleBytes() > 0 ? String.format(" (samples %.1f MB)", l.sampleBytes() / 1e6) : "")));
    return settle(cut, "channel-prune", 1, c.fineTune());
  }

  /**
   * ThiNet's fine-tuning after each pruned layer: {@code layerEpochs} epochs on the whole training
   * set, or with {@code layerImages} > 0 on the next window of that many training images (wrapping
   * around), so that a deep model's per-layer tuning costs a fraction of an epoch per layer.
   */
  private java.util.function.UnaryOperator<Model> layerTuning(Step.ChannelPrune c) {
    Dataset all = data.train();
    int n = c.layerImages() > 0 ? Math.min(c.layerImages(), all.size()) : all.size();
    int[] next = {0};
    return x -> {
      int from = next[0] + n <= all.size() ? next[0] : 0;
      next[0] = from + n;
      return train(x, c.fineTune(), c.layerEpochs(), n == all.size() ? all : all.slice(from, from + n), from);
    };
  }

  /** Removes the channels for real, evaluates, retrains, and records the iteration. */
  private Model thin(Model m, Map<dev.condense.structure.ChannelGroup, int[]> remove, String step, int round,
      TrainSettings retrain) {
    return settle(dev.condense.structure.Thinning.apply(m, remove), step, round, retrain);
  }

  /** Evaluates a model whose channels were cut, retrains it, and records the round. */
  private Model settle(Model cut, String step, int round, TrainSettings retrain) {
    thinned = true;
    double before = evaluate(cut);
    Model trained = retrain.epochs() > 0 ? train(cut, retrain, retrain.epochs()) : cut;
    double after = retrain.epochs() > 0 ? evaluate(trained) : before;
    dev.condense.report.Round it = new dev.condense.report.Round(step, round, StructuredPruning.channels(trained), dev.condense.ops.OpTable.standard().learnableParameterCount(trained.graph()),
        dev.condense.report.ModelSummary.of(trained).macs(), before, after);
    rounds.add(it);
    log.accept(String.format("  %s round %d: %,d parameters, %,d MACs; top-1 %.2f%% pruned, %.2f%% retrained", step,
        round, it.params(), it.macs(), 100 * before, 100 * after));
    return trained;
  }

  private double evaluate(Model m) {
    try (Session s = engine.open(m)) {
      return s.evaluate(data.test(), 256, Progress.NONE).top1();
    }
  }

  /** Bits for a layer: its own entry, else the conv or fc default. */
  static int bitsFor(Step.Quantize q, PrunableWeight w) {
    return q.bitsByLayer().getOrDefault(w.layer(), w.isConv() ? q.convBits() : q.fcBits());
  }

  /** k-means per layer, then fine-tuning of the centroids under fixed assignments (Eq. 3). */
  private Model quantize(Model m, Step.Quantize q) {
    Map<String, dev.condense.quant.Codebook> books = new java.util.LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      int bits = bitsFor(q, w);
      books.put(w.weight(), dev.condense.quant.Codebook.fit(m.graph().initializer(w.weight()).floats(), (1 << bits) - 1,
          q.init(), seed));
    }
    Model quantized = dev.condense.quant.WeightSharing.apply(m, books);
    Stage s = stage("quantize", "", quantized, 0);
    log.accept(String.format("  k-means: top-1 %.2f%% before fine-tuning the centroids", s.test().top1Percent()));
    if (q.fineTune().epochs() == 0) {
      return quantized;
    }
    TrainConfig cfg = config(q.fineTune(), lastLr / 10, seed + runs++);
    Constraints c = dev.condense.quant.WeightSharing.constraints(quantized);
    Constraints frozen = constraints(quantized, q.fineTune().freeze());
    for (Map.Entry<String, Constraint> e : frozen.byWeight().entrySet()) {
      if (e.getValue() instanceof Constraint.Frozen) {
        c = c.with(e.getKey(), e.getValue());
      }
    }
    try (Session session = engine.open(quantized)) {
      session.train(data.train(), cfg, c, null, progress);
      return session.export();
    }
  }

  /** Vector quantization of the FC layers (and conv kernels if asked), then codebook fine-tuning. */
  private Model vectorQuantize(Model m, Step.VectorQuantize step) {
    Map<String, dev.condense.quant.VqLayer> coded = new java.util.LinkedHashMap<>();
    Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
    Map<String, dev.condense.graph.Tensor> init = new java.util.LinkedHashMap<>(m.graph().initializers());
    try (dev.condense.numeric.Parallel par = new dev.condense.numeric.Parallel(
        Runtime.getRuntime().availableProcessors())) {
      dev.condense.quant.KMeans km = new dev.condense.quant.KMeans(
          new dev.condense.numeric.Blas(new dev.condense.numeric.JavaGemm()), par);
      for (PrunableWeight w : PrunableWeight.of(m.graph())) {
        dev.condense.quant.VectorQuantizer q = step.byLayer().getOrDefault(w.layer(),
            w.isConv() && !step.convToo() ? null : step.quantizer());
        if (q == null) {
          continue;
        }
        int rows = w.shape()[0];
        dev.condense.quant.VqLayer layer = q.quantize(init.get(w.weight()).floats(), rows, w.size() / rows, seed, km);
        coded.put(w.weight(), layer);
        shapes.put(w.weight(), w.shape());
        init.put(w.weight(), dev.condense.graph.Tensor.of(layer.reconstruction(), w.shape()));
      }
    }
    Model reconstructed = m.withGraph(m.graph().withInitializers(init));
    if (step.fineTune().epochs() > 0) {
      Constraints c = Constraints.NONE;
      for (Map.Entry<String, dev.condense.quant.VqLayer> e : coded.entrySet()) {
        c = c.with(e.getKey(), new Constraint.Shared(e.getValue().indices(), e.getValue().table(), true));
      }
      TrainConfig cfg = config(step.fineTune(), lastLr / 10, seed + runs++);
      try (Session session = engine.open(reconstructed)) {
        session.train(data.train(), cfg, c, null, progress);
        for (Map.Entry<String, dev.condense.quant.VqLayer> e : coded.entrySet()) {
          e.setValue(e.getValue().withTable(session.sharedTable(e.getKey())));
        }
        reconstructed = session.export();
      }
    }
    // The coded weights become subgraphs that rebuild them from their codebooks and codes.
    Map<String, dev.condense.graph.Tensor> out = new java.util.LinkedHashMap<>(reconstructed.graph().initializers());
    List<Node> nodes = new ArrayList<>();
    for (Map.Entry<String, dev.condense.quant.VqLayer> e : coded.entrySet()) {
      out.remove(e.getKey());
      dev.condense.quant.VqLayer.Subgraph sg = e.getValue().toGraph(e.getKey(), shapes.get(e.getKey()));
      out.putAll(sg.initializers());
      nodes.addAll(sg.nodes());
    }
    nodes.addAll(reconstructed.graph().nodes());
    return reconstructed.withGraph(reconstructed.graph().withInitializers(out).withNodes(nodes));
  }

  static String describe(PruningCriterion c) {
    if (c instanceof PruningCriterion.Quality q) {
      return "quality " + (q.byLayer().isEmpty() ? q.dflt() : q.byLayer());
    }
    if (c instanceof PruningCriterion.Sparsity s) {
      return "sparsity " + (s.byLayer().isEmpty() ? s.dflt() : s.byLayer());
    }
    return "global sparsity " + ((PruningCriterion.GlobalSparsity) c).sparsity();
  }
}
