package dev.condense.pipeline;

import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.plan.LayerTimer;
import dev.condense.plan.Measure;
import dev.condense.report.Round;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs recipe steps on a model, each by its own executor ({@link Step#apply}) in a
 * {@link StepContext} made afresh for every run, so one pipeline runs any number of models
 * independently. After every step the model is evaluated on the test split: the result is a
 * table of stages. Pruned weights stay exactly zero through every later training step.
 */
public final class Pipeline {
  private final Engine engine;
  private final DataSplit data;
  private final long seed;
  private final Progress progress;
  private final Consumer<String> log;
  private final Measure latency;
  private final Engine forward;
  private final LayerTimer layerTimer;
  private final Path latencyCache;

  public Pipeline(Engine engine, DataSplit data, long seed, Progress progress, Consumer<String> log) {
    this(engine, data, seed, progress, log, null, null, null, null);
  }

  private Pipeline(Engine engine, DataSplit data, long seed, Progress progress, Consumer<String> log, Measure latency,
      Engine forward, LayerTimer layerTimer, Path latencyCache) {
    this.engine = engine;
    this.data = data;
    this.seed = seed;
    this.progress = progress;
    this.log = log;
    this.latency = latency;
    this.forward = forward;
    this.layerTimer = layerTimer;
    this.latencyCache = latencyCache;
  }

  /**
   * This pipeline with latency targets ({@code latency=F}) timed by {@code latency}, a
   * {@link Measure.Kind#LATENCY} measure; without one a latency target is refused.
   */
  public Pipeline withLatency(Measure latency) {
    return new Pipeline(engine, data, seed, progress, log, latency, forward, layerTimer, latencyCache);
  }

  /**
   * This pipeline with its forward-only measurements (APoZ, channel sampling, INT8 calibration)
   * run on {@code forward} (null: the engine), e.g. ONNX Runtime where that is faster; training
   * and the stages' evaluations stay on the engine. The caller closes it.
   */
  public Pipeline withForward(Engine forward) {
    return new Pipeline(engine, data, seed, progress, log, latency, forward, layerTimer, latencyCache);
  }

  /**
   * This pipeline with latency tables (a prune-to-target step's {@code latency-table}) timed by
   * {@code timer} and cached in {@code cacheDir} (null: not cached) unless the step names its own
   * directory; without a timer such a step is refused.
   */
  public Pipeline withLayerTimer(LayerTimer timer, Path cacheDir) {
    return new Pipeline(engine, data, seed, progress, log, latency, forward, timer, cacheDir);
  }

  /**
   * The outcome: the model before and after, one stage per step (the first is "start"), the
   * reference — the model and stage just before the first step that compresses (after training,
   * if the recipe trains first), against which the compression is judged — the structured rounds,
   * and what kinds of compression the steps applied.
   */
  public record Result(Model original, Model model, List<Stage> stages, Model reference, int referenceStage,
      List<Round> rounds, Set<Step.Kind> kinds) {
    public Result {
      stages = List.copyOf(stages);
      rounds = List.copyOf(rounds);
      kinds = Set.copyOf(kinds);
    }

    /** Whether some step applied compression of kind {@code k}. */
    public boolean applied(Step.Kind k) {
      return kinds.contains(k);
    }
  }

  public Result run(Model model, List<Step> steps) {
    return run(model, steps, ParameterChoice.NONE);
  }

  /** The steps run with {@code parameters} overriding which tensors every training updates. */
  public Result run(Model model, List<Step> steps, ParameterChoice parameters) {
    StepContext ctx = StepContext.of(model, engine, data, seed, progress, log);
    ctx.addParameters(parameters);
    ctx.measureLatencyWith(latency);
    ctx.measureForwardWith(forward);
    ctx.timeLayersWith(layerTimer, latencyCache);
    List<Stage> stages = new ArrayList<>();
    stages.add(ctx.stage("start", "", model, 0));
    Set<Step.Kind> kinds = EnumSet.noneOf(Step.Kind.class);
    Model m = model;
    Model reference = null;
    int referenceStage = 0;
    for (Step step : steps) {
      long t0 = System.nanoTime();
      if (ctx.enter(step, m)) {
        reference = m;
        referenceStage = stages.size() - 1;
      }
      kinds.add(step.kind());
      m = step.apply(m, ctx);
      String detail = ctx.takeDetail(step.detail());
      Stage s = ctx.stage(step.name(), detail, m, (System.nanoTime() - t0) / 1e9);
      log.accept(String.format("%-20s %-28s top-1 %6.2f%%  weights kept %5.2f%%  (%.1fs)", step.name(),
          detail.length() > 28 ? detail.substring(0, 25) + "..." : detail, s.test().top1Percent(),
          100 * s.density(), s.seconds()));
      stages.add(s);
    }
    kinds.remove(Step.Kind.NONE);
    return new Result(model, m, stages, reference == null ? m : reference,
        reference == null ? stages.size() - 1 : referenceStage, ctx.rounds(), kinds);
  }
}
