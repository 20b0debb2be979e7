package dev.condense.pipeline;

import dev.condense.CondenseException;
import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.Distillation;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.prune.Masks;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.plan.ChannelFloor;
import dev.condense.plan.LatencyCache;
import dev.condense.plan.LatencyTable;
import dev.condense.plan.LatencyTableSpec;
import dev.condense.plan.LayerTimer;
import dev.condense.plan.Measure;
import dev.condense.report.Round;
import dev.condense.structure.ChannelGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state of one run of steps, built afresh for every run: the engine and data (absent for a
 * run of steps that need none), the seed and the counter that derives each training's seed from
 * it, learning-rate inheritance (the last training rate; a tenth of it once the model is pruned
 * or thinned), the distillation teacher, the structured rounds, and the dense reference count
 * that densities are relative to. Masks are read from a model's zeros here and only here.
 */
public final class StepContext {
  private final Engine engine;
  private final DataSplit data;
  private final long seed;
  private final Progress progress;
  private final Consumer<String> log;
  private final Model original;
  private final long denseWeights;
  private final List<Round> rounds = new ArrayList<>();
  private double lastLr = TrainConfig.LR;
  private boolean pruned;
  private boolean thinned;
  private int runs;
  private Teacher teacher;
  private String detail;
  private ParameterChoice parameters = ParameterChoice.NONE;
  private Measure latency;
  private Engine forward;
  private LayerTimer layerTimer;
  private Path latencyCache;

  private StepContext(Engine engine, DataSplit data, long seed, Progress progress, Consumer<String> log, Model start) {
    this.engine = engine;
    this.data = data;
    this.seed = seed;
    this.progress = progress;
    this.log = log;
    this.original = start;
    this.denseWeights = masks(start).sizeTotal();
    this.pruned = masks(start).anyPruned();
  }

  /** A run starting from {@code start} that trains and evaluates on {@code engine} with {@code data}. */
  public static StepContext of(Model start, Engine engine, DataSplit data, long seed, Progress progress,
      Consumer<String> log) {
    return new StepContext(engine, data, seed, progress, log, start);
  }

  /** A run without engine or data: only steps that need neither (see {@link Step#needsData()}). */
  public static StepContext withoutData(Model start, long seed) {
    return new StepContext(null, null, seed, Progress.NONE, line -> { }, start);
  }

  /**
   * Times models for latency targets with {@code m} (a {@link Measure.Kind#LATENCY} measure the
   * caller supplies: the CLI times ONNX Runtime, a library user may time their own device).
   */
  public void measureLatencyWith(Measure m) {
    if (m != null && m.kind() != Measure.Kind.LATENCY) {
      throw new IllegalArgumentException("a " + m.kind() + " measure given for latency");
    }
    latency = m;
  }

  /** Times layers for latency tables with {@code timer}, cached in {@code cacheDir} (null: not cached). */
  public void timeLayersWith(LayerTimer timer, Path cacheDir) {
    layerTimer = timer;
    latencyCache = cacheDir;
  }

  /**
   * The latency table of {@code groups} of {@code m} for {@code step}, as {@code spec} asks:
   * timed by this run's layer timer, cached in the spec's directory or else the run's.
   */
  LatencyTable latencyTable(Model m, List<ChannelGroup> groups, ChannelFloor floor, LatencyTableSpec spec, String step) {
    if (layerTimer == null) {
      throw new CondenseException(step + ": a latency table needs a layer timer (the command line times ONNX Runtime; "
          + "library users give one to Pipeline.withLayerTimer)");
    }
    int batch = LatencyTable.batchOf(m, spec.batch());
    Path dir = spec.cache() != null ? spec.cache() : latencyCache;
    LatencyCache cache = dir == null ? null : LatencyCache.in(dir, m, layerTimer.setting(), batch);
    return LatencyTable.build(m, groups, floor, batch, layerTimer, cache, log);
  }

  /**
   * The measure of a {@code kind} target for {@code step}: multiply-adds and parameters are
   * counted on the graph, latency is timed by the measure this run was given.
   */
  public Measure measure(Measure.Kind kind, String step) {
    Measure counted = Measure.counted(kind);
    if (counted != null) {
      return counted;
    }
    if (kind == Measure.Kind.LATENCY && latency != null) {
      return latency;
    }
    throw new CondenseException(step + ": a " + kind.key() + " target "
        + (kind == Measure.Kind.LATENCY ? "needs a latency measure (the command line times ONNX Runtime; "
            + "library users give one to Pipeline.withLatency)" : "is not met by removing channels; use macs, params or latency"));
  }

  /**
   * Adds the user's overrides of which tensors train ({@code --trainable}/{@code --frozen}, a
   * recipe's {@code trainable}/{@code frozen}) to every later training of this run; a pattern
   * that matches no float initializer of the run's start model is refused here, before any step.
   */
  public void addParameters(ParameterChoice p) {
    p.check(original.graph());
    parameters = parameters.and(p);
  }

  /** Refuses a step that needs data in a run without it. */
  void requireData(Step step) {
    if (!hasData()) {
      throw new CondenseException(step.name() + ": this step trains or measures the model, so it needs an engine "
          + "and data (give them to the step's context)");
    }
  }

  /** Whether this run has an engine and data. */
  public boolean hasData() {
    return engine != null && data != null;
  }

  public Engine engine() {
    return engine;
  }

  /** Runs the forward-only measurements of later steps on {@code e} (null: the engine); see {@link #forwardEngine}. */
  public void measureForwardWith(Engine e) {
    forward = e;
  }

  /**
   * Where forward-only measurements run — APoZ, channel sampling, INT8 calibration: the engine
   * given to {@link #measureForwardWith}, or the run's engine.
   */
  public Engine forwardEngine() {
    return forward != null ? forward : engine;
  }

  public DataSplit data() {
    return data;
  }

  public long seed() {
    return seed;
  }

  public Progress progress() {
    return progress;
  }

  /** The model the run started from. */
  Model original() {
    return original;
  }

  void log(String line) {
    log.accept(line);
  }

  /** The structured rounds recorded so far (trim, prune-filters, channel-prune, gap-head). */
  public List<Round> rounds() {
    return List.copyOf(rounds);
  }

  void addRound(Round r) {
    rounds.add(r);
  }

  /** Whether any weight was pruned (set to zero) in this run or before it. */
  boolean pruned() {
    return pruned;
  }

  void markPruned() {
    pruned = true;
  }

  void markThinned() {
    thinned = true;
  }

  /** The seed of the next training run. */
  long nextSeed() {
    return seed + runs++;
  }

  /** The last training rate (before compression): retraining steps inherit a tenth of it. */
  double lastLr() {
    return lastLr;
  }

  /**
   * Called before each step with the model it gets: before the first step that compresses, that
   * model becomes the run's reference, which steps that distil learn from. Returns whether it did.
   */
  boolean enter(Step step, Model m) {
    if (!step.compresses() || teacher != null) {
      return false;
    }
    teacher = new Teacher(m);
    return true;
  }

  /** Replaces the step's {@link Step#detail()} in its stage by what it found (e.g. the neurons removed). */
  void reportDetail(String d) {
    detail = d;
  }

  /** The detail a step reported, else {@code fallback}; then forgets it. */
  String takeDetail(String fallback) {
    String d = detail == null ? fallback : detail;
    detail = null;
    return d;
  }

  /** A model's masks: its mask annotations, or the zeros of a model that carries none. */
  static Masks masks(Model m) {
    return Masks.of(m);
  }

  /** The model evaluated on the test split, with its prunable weights kept against the run's start. */
  Stage stage(String name, String detail, Model m, double seconds) {
    Evaluation e;
    try (Session s = engine.open(m)) {
      e = s.evaluate(data.test(), 256, Progress.NONE);
    }
    return new Stage(name, detail, e, masks(m).keptTotal(), denseWeights, m.graph().parameterCount(), seconds);
  }

  /** Whether the run holds out a validation set for decisions on accuracy. */
  boolean hasValidation() {
    return data != null && data.validation() != null;
  }

  /** Top-1 accuracy on the held-out validation set (see {@link DataSplit#withValidation}). */
  double validate(Model m) {
    try (Session s = engine.open(m)) {
      return s.evaluate(data.validation(), 256, Progress.NONE).top1();
    }
  }

  /** Top-1 accuracy on the test split. */
  double evaluate(Model m) {
    try (Session s = engine.open(m)) {
      return s.evaluate(data.test(), 256, Progress.NONE).top1();
    }
  }

  /** Masks of a pruned model (its zeros stay zero), and frozen weights as asked. */
  Constraints constraints(Model m, TrainSettings.Freeze freeze) {
    Constraints c = pruned ? masks(m).constraints() : Constraints.NONE;
    if (freeze == TrainSettings.Freeze.NONE) {
      return c;
    }
    for (Node n : m.graph().nodes()) {
      Kind kind = OpTable.standard().kind(n);
      boolean conv = kind == Kind.CONVOLUTION;
      boolean fc = kind == Kind.FULLY_CONNECTED;
      if ((freeze == TrainSettings.Freeze.CONV && conv) || (freeze == TrainSettings.Freeze.FC && fc)) {
        for (String in : n.inputs()) {
          if (m.graph().initializer(in) != null && m.graph().initializer(in).dtype() == DType.FLOAT
              && !in.equals(n.input(0))) {
            c = c.with(in, new Constraint.Frozen());
          }
        }
      }
    }
    return c;
  }

  /** Trains {@code epochs} epochs on the training set. */
  Model train(Model m, TrainSettings settings, int epochs) {
    return train(m, settings, epochs, data.train(), 0);
  }

  /** Trains on {@code train}, which is the training set or its window starting at sample {@code offset}. */
  Model train(Model m, TrainSettings settings, int epochs, Dataset train, int offset) {
    TrainConfig cfg = config(settings, lastLr / (pruned || thinned ? 10 : 1), nextSeed(), train, offset)
        .withEpochs(epochs);
    if (!pruned && !thinned) {
      lastLr = cfg.lr();
    }
    try (Session s = engine.open(m)) {
      s.train(train, cfg, constraints(m, settings.freeze()), null, progress);
      return s.export();
    }
  }

  /** The engine configuration of a training step on the whole training set. */
  TrainConfig config(TrainSettings s, double inheritedLr, long runSeed) {
    return config(s, inheritedLr, runSeed, data.train(), 0);
  }

  /**
   * The engine configuration of a training step on {@code train}, the training set or its window
   * from sample {@code offset}; a step that distils gets the teacher's logits on those samples
   * (computed once, on the whole training set).
   */
  TrainConfig config(TrainSettings s, double inheritedLr, long runSeed, Dataset train, int offset) {
    TrainConfig c = s.config(inheritedLr, runSeed);
    c = c.withParameters(c.parameters().and(parameters));
    if (data.augmentation() != null) {
      c = c.withAugmentation(data.augmentation());
    }
    if (s.distill() == null) {
      return c;
    }
    if (teacher == null) {
      throw new CondenseException("'distill' needs a trained model to learn from: use it only on steps "
          + "after the first one that prunes or quantizes (the model before that step is the teacher)");
    }
    Dataset all = data.train();
    if (!teacher.hasLogits()) {
      log(String.format("  distilling from the reference model (T %s, alpha %s): its logits on %s",
          s.distill().temperature(), s.distill().alpha(), all.name()));
    }
    float[] logits = teacher.logits(engine, all);
    int classes = logits.length / all.size();
    float[] window = train == all ? logits
        : java.util.Arrays.copyOfRange(logits, offset * classes, (offset + train.size()) * classes);
    return c.withDistillation(new Distillation(window, classes, s.distill().temperature(), s.distill().alpha()));
  }
}
