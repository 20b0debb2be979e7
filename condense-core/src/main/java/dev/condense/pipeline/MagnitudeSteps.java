package dev.condense.pipeline;

import dev.condense.PerLayer;
import dev.condense.data.Dataset;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.plan.Measure;
import dev.condense.plan.SensitivityAllocation;
import dev.condense.prune.DeadNeurons;
import dev.condense.prune.DropoutAdjustment;
import dev.condense.prune.GradualSchedule;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.Masks;
import dev.condense.prune.PruningCriterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The executors of the magnitude-pruning steps (Han et al. 2015; Zhu and Gupta's gradual
 * schedule) and of dead-neuron removal. Pruned weights stay exactly zero through every later
 * training of the run.
 */
final class MagnitudeSteps {
  private MagnitudeSteps() {}

  /** Prunes by {@code c}, keeping what was pruned before; rescales dropout as Han §3.3 does. */
  static Model prune(Model m, PruningCriterion c, StepContext ctx) {
    Masks masks = MagnitudePruner.prune(m, c, ctx.pruned() ? StepContext.masks(m) : null);
    ctx.markPruned();
    Model out = masks.apply(m);
    Model original = ctx.original();
    if (out.graph().nodes().stream().anyMatch(n -> dev.condense.ops.OpTable.standard().is(n, dev.condense.ops.Kind.REGULARIZATION))
        && original.graph().initializers().keySet().equals(out.graph().initializers().keySet())) {
      Map.Entry<Model, List<DropoutAdjustment.Change>> adj = DropoutAdjustment.apply(original, out);
      for (DropoutAdjustment.Change ch : adj.getValue()) {
        ctx.log(String.format("  dropout %s: %.3f -> %.3f", ch.node(), ch.original(), ch.adjusted()));
      }
      out = adj.getKey();
    }
    return out;
  }

  /** The criterion for target sparsity {@code s} (per layer, or one global threshold). */
  private static PruningCriterion target(PerLayer<Double> s, boolean global) {
    return global ? new PruningCriterion.GlobalSparsity(s.dflt()) : new PruningCriterion.Sparsity(s);
  }

  /** Round r keeps density d^(r/R) of each layer: equal ratios per round, ending at the target. */
  static Model iterative(Model m, Step.IterativePrune ip, StepContext ctx) {
    ctx.requireData(ip);
    for (int r = 1; r <= ip.rounds(); r++) {
      double f = (double) r / ip.rounds();
      PerLayer<Double> round = ip.sparsity().map(s -> 1 - Math.pow(1 - s, f));
      m = prune(m, target(round, ip.global()), ctx);
      Stage s = ctx.stage("prune", "", m, 0);
      ctx.log(String.format("  round %d/%d: pruned to %.2f%% kept, top-1 %.2f%% before retraining", r,
          ip.rounds(), 100 * s.density(), s.test().top1Percent()));
      m = ctx.train(m, ip.retrain(), ip.retrain().epochs());
    }
    return m;
  }

  /**
   * Sensitivity-driven allocation: measures each layer's curve on calibration images (never the
   * test set), picks per-layer sparsities for the target and prunes to them iteratively.
   */
  static Model allocate(Model m, Step.AllocatePrune a, StepContext ctx) {
    ctx.requireData(a);
    Dataset train = ctx.data().calibration(ctx.data().train());
    Dataset samples = train.head(Math.min(a.samples(), train.size()));
    double[] grid = SensitivityAllocation.defaultSparsities();
    SensitivityAnalysis.Result r = SensitivityAnalysis.run(ctx.engine(), m, samples, grid, ctx.progress());
    List<SensitivityAllocation.LayerCurve> curves = new ArrayList<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      long n = m.graph().initializer(w.weight()).size();
      int valueBits = w.isConv() ? a.convBits() : a.fcBits();
      double bits = a.target().measure() == Measure.Kind.PARAMS || valueBits == 0 ? 32 : valueBits + a.gapBits();
      curves.add(new SensitivityAllocation.LayerCurve(w.layer(), n, bits, r.top1().get(w.layer())));
    }
    SensitivityAllocation.Allocation alloc = SensitivityAllocation.allocate(r.baseline(), grid, curves, a.target().fraction());
    ctx.log(String.format("  sensitivity on %d images of %s: top-1 %.2f%% unpruned", samples.size(), train.name(),
        100 * r.baseline()));
    for (SensitivityAllocation.LayerCurve c : curves) {
      ctx.log(String.format("  %-16s %,10d weights  sparsity %5.1f%%", c.layer(), c.weights(), 100 * alloc.sparsity().get(c.layer())));
    }
    ctx.log(String.format("  allocation: each layer alone loses at most %.2f points; %s %.4f of the dense layers (target %s)%s",
        100 * alloc.tolerance(), a.target().measure().key(), alloc.share(), a.target().fraction(),
        alloc.reached() ? "" : "; not reachable on this grid: every layer at its sparsest"));
    Step.IterativePrune ip = new Step.IterativePrune(PerLayer.only(alloc.sparsity()), a.rounds(), a.retrain(), false);
    return iterative(m, ip, ctx);
  }

  /** AGP: prune at the start of every epoch to the cubic schedule's sparsity, then train it. */
  static Model gradual(Model m, Step.GradualPrune g, StepContext ctx) {
    ctx.requireData(g);
    TrainSettings t = g.train();
    int epochs = t.epochs();
    TrainConfig base = ctx.config(t, ctx.lastLr() / 10, ctx.seed());
    try (Session s = ctx.engine().open(m)) {
      for (int e = 0; e < epochs; e++) {
        double f = new GradualSchedule(0, 0.999999, epochs).at(e + 1) / 0.999999;
        PerLayer<Double> now = g.sparsity().map(v -> v * f);
        Model p = prune(s.export(), target(now, g.global()), ctx);
        s.setWeights(p);
        double lr = base.schedule().at(base.lr(), e, epochs);
        TrainConfig one = base.withEpochs(1).withLr(lr).withSchedule(new LrSchedule.Constant()).withSeed(ctx.nextSeed());
        s.train(ctx.data().train(), one, ctx.constraints(p, t.freeze()), null, ctx.progress());
      }
      return s.export();
    }
  }

  /** Removes neurons and channels without inputs or outputs, and reports which. */
  static Model removeDeadNeurons(Model m, StepContext ctx) {
    DeadNeurons.Result r = DeadNeurons.remove(m);
    ctx.reportDetail(r.removed().isEmpty() ? "none" : r.removed().toString());
    return r.model();
  }
}
