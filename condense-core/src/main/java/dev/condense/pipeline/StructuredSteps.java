package dev.condense.pipeline;

import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.data.Dataset;
import dev.condense.graph.Model;
import dev.condense.plan.ChannelPlan;
import dev.condense.plan.GlobalChannelPlan;
import dev.condense.plan.LatencyTable;
import dev.condense.plan.Measure;
import dev.condense.plan.Target;
import dev.condense.prune.Apoz;
import dev.condense.report.ModelSummary;
import dev.condense.report.Round;
import dev.condense.report.TabledCount;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.GapHead;
import dev.condense.structure.Thinning;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The executors of the steps that remove channels for real — Network Trimming, L1 filter
 * pruning, channel pruning through the next layer — and of the GAP head: each cut is evaluated,
 * retrained and recorded as a round of the run.
 */
final class StructuredSteps {
  private StructuredSteps() {}

  /** Hu et al.'s Network Trimming: APoZ → trim the most idle layers → retrain, per iteration. */
  static Model trim(Model m, Step.Trim t, StepContext ctx) {
    ctx.requireData(t);
    Dataset train = ctx.data().calibration(ctx.data().train());
    Dataset samples = train.head(Math.min(t.samples(), train.size()));
    ctx.log("  APoZ measured on " + samples.size() + " images of " + train.name());
    for (int it = 1; it <= t.iterations(); it++) {
      StructuredPruning.TrimChoice c = StructuredPruning.trim(ctx.forwardEngine(), m, samples, t, dev.condense.engine.Progress.NONE);
      for (Apoz.Layer l : c.measured()) {
        ctx.log(String.format("  iteration %d: %-24s mean APoZ %5.1f%%  std %4.1f%%%s", it, l.group().name(),
            100 * l.mean(), 100 * l.std(), c.remove().containsKey(l.group())
                ? "  -> trim " + c.remove().get(l.group()).length + " of " + l.apoz().length : ""));
      }
      for (String note : c.notes()) {
        ctx.log("  iteration " + it + ": " + note);
      }
      if (c.remove().isEmpty()) {
        ctx.log("  iteration " + it + ": nothing to trim (fallback 0); trimming stops");
        break;
      }
      m = thin(m, c.remove(), "trim", it, t.retrain(), ctx);
    }
    return m;
  }

  /**
   * Refuses more rounds than the model has prunable channels: a round that removes no channel
   * only retrains, so such a run would train for nothing (before any round starts).
   */
  private static void checkRounds(String step, int rounds, Map<String, Integer> channels) {
    int total = channels.values().stream().mapToInt(Integer::intValue).sum();
    if (rounds > total) {
      throw new CondenseException(step + ": " + rounds + " rounds are more than the " + total
          + " prunable channels of the model (each round removes at least one)");
    }
  }

  /** Li et al.'s L1 filter pruning, one shot or over several rounds, retraining after each. */
  static Model pruneFilters(Model m, Step.PruneFilters f, StepContext ctx) {
    if (f.needsData()) {
      ctx.requireData(f);
    }
    Map<String, Integer> original = StructuredPruning.channels(m);
    checkRounds("prune-filters", f.rounds(), original);
    for (int r = 1; r <= f.rounds(); r++) {
      Map<ChannelGroup, int[]> remove = StructuredPruning.filters(m, f, original, (double) r / f.rounds());
      m = thin(m, remove, "prune-filters", r, f.retrain(), ctx);
    }
    return m;
  }

  /** Global structured pruning to a multiply-add, parameter or latency target, in one or more rounds. */
  static Model pruneToTarget(Model m, Step.PruneToTarget t, StepContext ctx) {
    if (t.needsData()) {
      ctx.requireData(t);
    }
    Measure measure = ctx.measure(t.target().measure(), "prune-to-target");
    checkRounds("prune-to-target", t.rounds(), StructuredPruning.channels(m));
    double original = measure.of(m);
    boolean guarded = !Double.isNaN(t.maxDrop());
    if (guarded && !ctx.hasValidation()) {
      throw new CondenseException("prune-to-target: a max drop needs a validation set held out of the training data");
    }
    double start = guarded ? ctx.validate(m) : Double.NaN;
    if (guarded) {
      ctx.log(String.format("  validation top-1 %.2f%% before pruning; each round may lose at most %.2f points",
          100 * start, 100 * t.maxDrop()));
    }
    for (int r = 1; r <= t.rounds(); r++) {
      double goal = original * Math.pow(t.target().fraction(), (double) r / t.rounds());
      double now = measure.of(m);
      if (now <= goal) {
        ctx.log(String.format("  round %d: already at %.3f of the original's %s", r, now / original, t.target().measure().key()));
        continue;
      }
      Target step = new Target(t.target().measure(), goal / now);
      List<ChannelGroup> candidates = GlobalChannelPlan.candidates(m);
      Dataset samples = null;
      if (t.criterion().needsData()) {
        Dataset train = ctx.data().calibration(ctx.data().train());
        samples = train.head(Math.min(t.samples(), train.size()));
      }
      // Taylor's gradient comes from a training step; APoZ and reconstruction only run forward
      dev.condense.engine.Engine measuring = t.criterion() == dev.condense.plan.Criterion.TAYLOR ? ctx.engine()
          : ctx.forwardEngine();
      Map<ChannelGroup, double[]> scores =
          t.criterion().importance(measuring, samples, ctx.seed() + r, ctx.progress()).score(m, candidates);
      LatencyTable table = t.latencyTable() == null ? null
          : ctx.latencyTable(m, candidates, t.floor(), t.latencyTable(), "prune-to-target");
      ChannelPlan plan = GlobalChannelPlan.plan(m, candidates, scores, step, measure, t.floor(), table,
          t.latencyTable() == null ? 1 : t.latencyTable().reach());
      for (ChannelPlan.Row row : plan.rows()) {
        ctx.log(String.format("  round %d: %-28s %4d -> %4d channels%s%s", r, row.group().name(), row.group().size(),
            row.kept(), row.kept() == row.floor() && row.remove().length > 0 ? " (floor)" : "",
            row.moved() ? String.format(" (ranked %d; the latency table: %.4f ms at %d, %.4f ms at %d)", row.ranked(),
                table.ms(row.group(), row.ranked()), row.ranked(), table.ms(row.group(), row.kept()), row.kept()) : ""));
      }
      if (table != null && plan.table() == null) {
        ctx.log("  round " + r + ": with the latency table's counts the target is out of reach; the plan keeps the ranked counts");
      }
      ctx.log(String.format("  round %d: %s %.3f of the original (goal %.3f)%s", r, t.target().measure().key(),
          plan.after() / original, goal / original, plan.reached() ? "" : "; not reachable: every group is at its floor"));
      Model next = settle(Thinning.apply(m, plan.removals()), "prune-to-target", r, t.retrain(), ctx, tabled(table, plan));
      if (guarded) {
        double v = ctx.validate(next);
        if (start - v > t.maxDrop()) {
          ctx.log(String.format("  round %d: validation top-1 %.2f%%, %.2f points below the start, more than the "
              + "max drop: round %d is undone and pruning stops at %.3f of the original's %s", r, 100 * v,
              100 * (start - v), r, measure.of(m) / original, t.target().measure().key()));
          return m;
        }
        ctx.log(String.format("  round %d: validation top-1 %.2f%% (%+.2f points)", r, 100 * v, 100 * (v - start)));
      }
      m = next;
    }
    return m;
  }

  /** He et al.'s, ThiNet's, L1 or random channel pruning through the next layer, then fine-tuning. */
  static Model channelPrune(Model m, Step.ChannelPrune c, StepContext ctx) {
    ctx.requireData(c);
    PerLayer<Double> keep = c.speedup() > 0
        ? PerLayer.of(c.keep().byLayer(), ChannelPruning.keepFor(m, c.speedup(), c.align())) : c.keep();
    ctx.markThinned(); // the per-layer tuning retrains a thinned model: it inherits a tenth of the rate
    UnaryOperator<Model> afterLayer = c.layerEpochs() > 0 ? layerTuning(c, ctx) : x -> x;
    Dataset calibration = ctx.data().calibration(ctx.data().train());
    if (calibration != ctx.data().train()) {
      ctx.log("  channels chosen on " + calibration.name());
    }
    Model cut = ChannelPruning.prune(ctx.forwardEngine(), m, calibration, c.method(), keep, c.align(), c.sampling(),
        ctx.seed(), ctx.progress(), afterLayer, l -> ctx.log(String.format("  %s: %d -> %d channels%s", l.layer(),
            l.before(), l.after(), l.sampleBytes() > 0 ? String.format(" (samples %.1f MB)", l.sampleBytes() / 1e6) : "")));
    return settle(cut, "channel-prune", 1, c.fineTune(), ctx);
  }

  /**
   * ThiNet's fine-tuning after each pruned layer: {@code layerEpochs} epochs on the whole training
   * set, or with {@code layerImages} > 0 on the next window of that many training images (wrapping
   * around), so that a deep model's per-layer tuning costs a fraction of an epoch per layer.
   */
  private static UnaryOperator<Model> layerTuning(Step.ChannelPrune c, StepContext ctx) {
    Dataset all = ctx.data().train();
    int n = c.layerImages() > 0 ? Math.min(c.layerImages(), all.size()) : all.size();
    int[] next = {0};
    return x -> {
      int from = next[0] + n <= all.size() ? next[0] : 0;
      next[0] = from + n;
      return ctx.train(x, c.fineTune(), c.layerEpochs(), n == all.size() ? all : all.slice(from, from + n), from);
    };
  }

  /** ThiNet's GAP head in place of the fully connected layers, then retraining. */
  static Model gapHead(Model m, Step.GapHead g, StepContext ctx) {
    if (g.needsData()) {
      ctx.requireData(g);
    }
    return settle(GapHead.apply(m, ctx.seed()), "gap-head", 1, g.retrain(), ctx);
  }

  /** Each group's tabled latency at full width, at the ranked and at the kept count, for the report (none without a table). */
  private static List<TabledCount> tabled(LatencyTable table, ChannelPlan plan) {
    if (table == null) {
      return List.of();
    }
    return plan.rows().stream().map(row -> new TabledCount(row.group().name(), row.group().size(), row.ranked(), row.kept(),
        table.ms(row.group(), row.group().size()), table.ms(row.group(), row.ranked()), table.ms(row.group(), row.kept())))
        .toList();
  }

  /** Removes the channels for real, evaluates, retrains, and records the iteration. */
  private static Model thin(Model m, Map<ChannelGroup, int[]> remove, String step, int round, TrainSettings retrain,
      StepContext ctx) {
    return settle(Thinning.apply(m, remove), step, round, retrain, ctx);
  }

  /** Evaluates a model whose channels were cut, retrains it, and records the round (with data). */
  private static Model settle(Model cut, String step, int round, TrainSettings retrain, StepContext ctx) {
    return settle(cut, step, round, retrain, ctx, List.of());
  }

  /** As above, the round recording the latency table's counts of its plan. */
  private static Model settle(Model cut, String step, int round, TrainSettings retrain, StepContext ctx,
      List<TabledCount> tabled) {
    ctx.markThinned();
    if (!ctx.hasData()) {
      return cut;
    }
    double before = ctx.evaluate(cut);
    Model trained = retrain.epochs() > 0 ? ctx.train(cut, retrain, retrain.epochs()) : cut;
    double after = retrain.epochs() > 0 ? ctx.evaluate(trained) : before;
    Round it = new Round(step, round, StructuredPruning.channels(trained), dev.condense.ops.OpTable.standard().learnableParameterCount(trained.graph()),
        ModelSummary.of(trained).macs(), before, after, tabled);
    ctx.addRound(it);
    ctx.log(String.format("  %s round %d: %,d parameters, %,d MACs; top-1 %.2f%% pruned, %.2f%% retrained", step,
        round, it.params(), it.macs(), 100 * before, 100 * after));
    return trained;
  }
}
