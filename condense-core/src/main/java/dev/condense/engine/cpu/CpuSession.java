package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.data.Batches;
import dev.condense.data.Dataset;
import dev.condense.engine.BatchInput;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.Distillation;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Scorer;
import dev.condense.engine.Session;
import dev.condense.engine.SoftmaxCrossEntropy;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Annotations;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import dev.condense.onnx.ModelChecker;
import dev.condense.ops.FixedBatch;
import dev.condense.ops.OpTable;
import dev.condense.ops.RunTimeIndices;
import dev.condense.ops.TrainableTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model in the CPU engine. Holds its own copy of the float weights, the momentum buffers and a
 * few compiled {@link Plan}s (one per input shape and mode, least recently used dropped first).
 */
final class CpuSession implements Session {
  private static final int MAX_PLANS = 4;

  private final Model model;
  private final Graph graph;
  /** What plans compile: the graph, with a fixed batch size freed where it can be ({@link FixedBatch}). */
  private final FixedBatch.Freed runGraphs;
  private final Ctx ctx;
  private final Map<String, float[]> weights = new LinkedHashMap<>();
  private final Map<String, float[]> grads = new HashMap<>();
  private final Map<String, float[]> momentum = new HashMap<>();
  private final LinkedHashMap<String, Plan> plans = new LinkedHashMap<>(8, 0.75f, true);
  /** The annotations of the model opened, or of the last one whose weights were set. */
  private Annotations annotations;
  /** The last training's Shared constraints (with the tables it trained), by weight. */
  private final Map<String, Constraint.Shared> sharedTrained = new LinkedHashMap<>();
  /** The logits: the first output, or the input of a final Softmax. */
  private final String lossValue;

  /** Whether inference runs pruned constant fully connected weights sparse. */
  private final boolean sparse;
  /** What one plan's buffers may take. */
  private final MemoryLimit limit;
  private boolean closed;

  /** A session whose plans stay within {@code limit}, timing its kernels into {@code profile} (null: no timing). */
  CpuSession(Model model, Blas blas, Parallel par, boolean sparse, MemoryLimit limit, OpProfile profile) {
    model = ModelChecker.runnable(model);
    this.sparse = sparse;
    this.limit = limit;
    this.model = model;
    this.graph = model.graph();
    this.runGraphs = FixedBatch.free(OpTable.standard(), graph);
    this.annotations = model.annotations();
    this.ctx = new Ctx(blas, par, profile);
    for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
      if (e.getValue().dtype() == DType.FLOAT) {
        weights.put(e.getKey(), e.getValue().floatsCopy());
      }
    }
    if (graph.outputs().isEmpty()) {
      throw new CondenseException("the model has no outputs");
    }
    lossValue = OpTable.standard().logitsValue(graph);
  }

  /** Refuses use after {@link #close()} or after the engine's close, as ONNX Runtime's OrtSession does. */
  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (ctx.par.isClosed()) {
      throw new IllegalStateException("the session's engine is closed");
    }
  }

  // ---------------------------------------------------------------- plans

  private Plan plan(boolean training, Map<String, ValueType> inputs, Map<String, Tensor> values,
      Set<String> frozen) {
    StringBuilder key = new StringBuilder(training ? "T" : "I");
    inputs.forEach((k, v) -> key.append('|').append(k).append(v));
    values.forEach((k, v) -> key.append('|').append(k).append('=')
        .append(v.dtype() == DType.FLOAT ? Arrays.toString(v.floats()) : Arrays.toString(v.toLongs())));
    key.append('|').append(new java.util.TreeSet<>(frozen));
    String k = key.toString();
    Plan p = plans.get(k);
    if (p == null) {
      p = new Plan(OpTable.standard(), runGraph(inputs), inputs, values, weights, grads, frozen, training, lossValue,
          sparse, limit);
      plans.put(k, p);
      if (plans.size() > MAX_PLANS) {
        plans.remove(plans.keySet().iterator().next());
      }
    }
    return p;
  }

  /** The graph a plan for these input types compiles: refused, naming the node, at a batch it cannot run. */
  private Graph runGraph(Map<String, ValueType> inputs) {
    for (ValueInfo vi : graph.inputs()) {
      ValueType t = inputs.get(vi.name());
      if (t != null && t.shape().length > 0) {
        return runGraphs.at(t.shape()[0]);
      }
    }
    return runGraphs.at(runGraphs.declared());
  }

  /**
   * Whether a float input is read only where a node takes a description, not data (Resize's
   * scales and roi, {@link dev.condense.ops.Op#isFloatSlot}): its value is then a constant of
   * the plan, as an int64 shape input's is.
   */
  private boolean describesOnly(String input) {
    return dev.condense.ops.DescribingInputs.describesOnly(OpTable.standard(), graph, input);
  }

  /** The data input and its concrete type for a batch of {@code n} samples of {@code data}. */
  private Map<String, ValueType> batchInput(Dataset data, int n) {
    BatchInput in = BatchInput.of(graph, data, n);
    return Map.of(in.name(), new ValueType(in.dtype(), in.shape())); // token ids are held as floats too
  }

  private String dataInput() {
    return graph.inputs().get(0).name();
  }

  // ---------------------------------------------------------------- inference

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    ensureOpen();
    List<String> outs = new ArrayList<>();
    graph.outputs().forEach(o -> outs.add(o.name()));
    return run(inputs, outs);
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> values) {
    ensureOpen();
    Map<String, ValueType> types = new LinkedHashMap<>();
    Map<String, Tensor> constants = new LinkedHashMap<>();
    for (ValueInfo vi : graph.inputs()) {
      Tensor t = inputs.get(vi.name());
      if (t == null) {
        throw new CondenseException("missing model input '" + vi.name() + "' " + vi);
      }
      types.put(vi.name(), new ValueType(t.dtype(), t.shape()));
    }
    Graph runGraph = runGraph(types);
    for (ValueInfo vi : graph.inputs()) {
      checkInput(runGraph.input(vi.name()), inputs.get(vi.name()));
    }
    Set<String> indices = RunTimeIndices.inputs(OpTable.standard(), runGraph, types);
    for (ValueInfo vi : graph.inputs()) {
      Tensor t = inputs.get(vi.name());
      boolean constant = t.dtype() == DType.FLOAT ? describesOnly(vi.name()) : !indices.contains(vi.name());
      if (constant) {
        constants.put(vi.name(), t);
      }
    }
    for (String name : inputs.keySet()) {
      if (graph.input(name) == null) {
        throw new CondenseException("'" + name + "' is not an input of the model (inputs: "
            + graph.inputs().stream().map(ValueInfo::name).toList() + ")");
      }
    }
    Plan p = plan(false, types, constants, Set.of());
    for (ValueInfo vi : graph.inputs()) {
      Tensor t = inputs.get(vi.name());
      if (t.dtype() == DType.FLOAT && !constants.containsKey(vi.name())) {
        System.arraycopy(t.floats(), 0, p.buf(vi.name()).data, 0, t.size());
      } else if (indices.contains(vi.name())) {
        indicesAsFloats(vi.name(), t, p.buf(vi.name()).data);
      }
    }
    p.forward(ctx);
    Map<String, Tensor> r = new LinkedHashMap<>();
    for (String v : values) {
      r.put(v, p.value(v));
    }
    return r;
  }

  /** Integer indices into the engine's float buffer: exact up to 2^24, refused beyond. */
  private static void indicesAsFloats(String input, Tensor t, float[] into) {
    long[] v = t.toLongs();
    for (int i = 0; i < v.length; i++) {
      if (Math.abs(v[i]) > 1 << 24) {
        throw new CondenseException("input '" + input + "': index " + v[i] + " exceeds 2^24, beyond what the engine holds exactly");
      }
      into[i] = v[i];
    }
  }

  private static void checkInput(ValueInfo vi, Tensor t) {
    // A float16 or double input arrives as float32 (how tensors hold them); shape inference then
    // refuses the model's interface, naming the input and its type.
    if (t.dtype() != vi.dtype().computeType()) {
      throw new CondenseException("input '" + vi.name() + "' must be " + vi.dtype().name().toLowerCase()
          + ", got " + t.dtype().name().toLowerCase());
    }
    int[] declared = vi.shapeOr(-1);
    if (declared == null) {
      return;
    }
    boolean ok = declared.length == t.rank();
    for (int i = 0; ok && i < declared.length; i++) {
      ok = declared[i] < 0 || declared[i] == t.dim(i);
    }
    if (!ok) {
      throw new CondenseException("input '" + vi.name() + "' expects shape " + vi.dims() + ", got "
          + Arrays.toString(t.shape()));
    }
  }

  @Override
  public Evaluation evaluate(Dataset data, int batchSize, Progress progress) {
    ensureOpen();
    int n = data.size();
    Scorer scorer = new Scorer(n);
    int batches = Batches.count(n, batchSize);
    progress.start("evaluate " + data.name(), batches);
    for (int bi = 0, s = 0; s < n; bi++, s += batchSize) {
      int nb = Math.min(batchSize, n - s);
      int[] labels = new int[nb];
      Plan p = inferBatch(data, s, nb, labels);
      Buf logits = logits(p, nb, data);
      scorer.add(logits.data, nb, logits.dim(1), labels);
      progress.update(bi + 1, "");
    }
    Evaluation e = scorer.result();
    progress.finish(e.toString());
    return e;
  }

  /** Runs samples [s, s+nb) of {@code data} through an inference plan; fills {@code labels}. */
  private Plan inferBatch(Dataset data, int s, int nb, int[] labels) {
    Plan p = plan(false, batchInput(data, nb), Map.of(), Set.of());
    data.fill(null, s, nb, p.buf(dataInput()).data, labels);
    p.forward(ctx);
    return p;
  }

  /** The logits buffer of a plan run on {@code nb} samples, checked to be [nb, classes]. */
  private Buf logits(Plan p, int nb, Dataset data) {
    Buf logits = p.buf(lossValue);
    if (logits.rank() != 2 || logits.dim(0) != nb) {
      throw new CondenseException("classification needs a [batch, classes] output, '" + lossValue
          + "' has shape " + Arrays.toString(logits.shape));
    }
    if (data.numClasses() > logits.dim(1)) {
      throw new CondenseException("data set '" + data.name() + "' has labels 0.." + (data.numClasses() - 1)
          + ", outside the model's " + logits.dim(1) + " classes (output '" + lossValue + "')");
    }
    return logits;
  }

  @Override
  public void capture(Dataset data, int batchSize, List<String> values, CaptureSink sink,
      Progress progress) {
    ensureOpen();
    int n = data.size();
    progress.start("capture " + data.name(), Batches.count(n, batchSize));
    float[][] arrays = new float[values.size()][];
    int[][] shapes = new int[values.size()][];
    for (int bi = 0, s = 0; s < n; bi++, s += batchSize) {
      int nb = Math.min(batchSize, n - s);
      int[] labels = new int[nb];
      Plan p = inferBatch(data, s, nb, labels);
      for (int i = 0; i < values.size(); i++) {
        Buf b = p.buf(values.get(i));
        if (b.data == null) {
          throw new CondenseException("value '" + values.get(i) + "' is not a float tensor");
        }
        arrays[i] = b.data;
        shapes[i] = b.shape.clone();
      }
      sink.accept(nb, arrays, shapes, labels);
      progress.update(bi + 1, "");
    }
    progress.finish("");
  }

  // ---------------------------------------------------------------- training

  /** Per channel, the value a black pixel normalises to (what augmentation pads with); checks the layout. */
  private static float[] blackPixel(Dataset data, dev.condense.data.Augmentation a) {
    int[] sample = data.sampleShape();
    if (sample.length != 3 || data.preprocess().channelsLast()) {
      throw new CondenseException("augmentation " + a.text() + " needs NCHW images, " + data.name()
          + " has samples of shape " + Arrays.toString(sample) + (data.preprocess().channelsLast() ? " (NHWC)" : ""));
    }
    dev.condense.data.Normalization n = data.preprocess().normalization();
    float[] fill = new float[sample[0]];
    for (int c = 0; c < fill.length; c++) {
      fill[c] = -n.meanOf(c) / n.stdOf(c);
    }
    return fill;
  }

  @Override
  public TrainHistory train(Dataset data, TrainConfig cfg, Constraints constraints, Dataset validation,
      Progress progress) {
    ensureOpen();
    // Only parameters train: the op table's rule, with the user's overrides (TrainableTensors).
    Set<String> frozen = new HashSet<>(cfg.parameters().frozen(weights.keySet(),
        TrainableTensors.of(graph, OpTable.standard()).frozen()));
    Map<String, boolean[]> masks = new HashMap<>();
    Map<String, Constraint.Shared> shared = new HashMap<>();
    Map<String, float[]> centroidMomentum = new HashMap<>();
    for (Map.Entry<String, Constraint> e : constraints.byWeight().entrySet()) {
      float[] w = weights.get(e.getKey());
      if (w == null) {
        throw new CondenseException("constraint on '" + e.getKey() + "', which is not a float weight of the model");
      }
      if (e.getValue() instanceof Constraint.Frozen) {
        frozen.add(e.getKey());
      } else if (e.getValue() instanceof Constraint.Mask m) {
        if (m.keep().length != w.length) {
          throw new CondenseException("mask for '" + e.getKey() + "' has " + m.keep().length
              + " entries, the weight has " + w.length);
        }
        masks.put(e.getKey(), m.keep());
        Sgd.applyMask(w, m.keep());
      } else if (e.getValue() instanceof Constraint.Shared sh) {
        for (int[] index : sh.indices()) {
          if (index.length != w.length) {
            throw new CondenseException("codebook indices for '" + e.getKey() + "' have " + index.length
                + " entries, the weight has " + w.length);
          }
          for (int i : index) {
            if (i >= sh.table().length) {
              throw new CondenseException("codebook index " + i + " for '" + e.getKey() + "' is out of range");
            }
          }
        }
        // The session trains its own copy of the table; callers read it back with sharedTable().
        Constraint.Shared own = new Constraint.Shared(sh.indices(), sh.table().clone(), sh.averaged());
        shared.put(e.getKey(), own);
        sharedTrained.put(e.getKey(), own);
        centroidMomentum.put(e.getKey(), new float[own.table().length]);
        Sgd.rebuild(w, own.indices(), own.table());
      }
    }
    List<TrainHistory.Epoch> epochs = new ArrayList<>();
    int n = data.size();
    Distillation kd = cfg.distillation();
    if (kd != null && kd.samples() != n) {
      throw new CondenseException("the teacher's logits cover " + kd.samples() + " samples but " + data.name()
          + " has " + n);
    }
    int batches = Batches.count(n, cfg.batchSize());
    dev.condense.data.Augmentation augment = cfg.augmentation();
    int[] sample = data.sampleShape();
    float[] blackPixel = augment == null ? null : blackPixel(data, augment);
    float[] xs = null;
    long step = 0;
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      long t0 = System.nanoTime();
      float lr = (float) cfg.schedule().at(cfg.lr(), epoch, cfg.epochs());
      int[] order = Batches.order(n, cfg.seed(), epoch, true);
      progress.start(String.format("epoch %d/%d", epoch + 1, cfg.epochs()), batches);
      double lossSum = 0;
      long hits = 0;
      for (int bi = 0, s = 0; s < n; bi++, s += cfg.batchSize(), step++) {
        int nb = Math.min(cfg.batchSize(), n - s);
        Plan p = plan(true, batchInput(data, nb), Map.of(), frozen);
        int[] labels = new int[nb];
        long tData = ctx.profile == null ? 0 : System.nanoTime();
        data.fill(order, s, nb, p.buf(dataInput()).data, labels);
        if (augment != null) {
          // its own stream, so that augmenting leaves dropout's draws as they were
          augment.apply(p.buf(dataInput()).data, nb, sample[0], sample[1], sample[2], blackPixel,
              new SplittableRandom((cfg.seed() ^ 0x5DEECE66DL) * 0x9E3779B97F4A7C15L + step));
        }
        ctx.random = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + step);
        if (ctx.profile != null) {
          ctx.profile.part(OpProfile.Part.DATA, System.nanoTime() - tData);
        }
        p.forward(ctx);
        long tLoss = ctx.profile == null ? 0 : System.nanoTime();
        Buf logits = logits(p, nb, data);
        SoftmaxCrossEntropy.Stats st = SoftmaxCrossEntropy.apply(logits.data, nb, logits.dim(1), labels, null, 0, logits.grad);
        if (kd != null) {
          if (kd.classes() != logits.dim(1)) {
            throw new CondenseException("the teacher has " + kd.classes() + " outputs but the model trained has "
                + logits.dim(1));
          }
          kd.blend(logits.data, nb, order, s, logits.grad);
        }
        if (!Double.isFinite(st.lossSum())) {
          throw new CondenseException(String.format("training diverged in epoch %d, batch %d (the loss is %s); "
              + "use a lower learning rate than %s", epoch + 1, bi + 1, st.lossSum(), cfg.lr()));
        }
        if (ctx.profile != null) {
          ctx.profile.part(OpProfile.Part.LOSS, System.nanoTime() - tLoss);
        }
        p.backward(ctx);
        long tStep = ctx.profile == null ? 0 : System.nanoTime();
        for (String w : p.trainable()) {
          float[] wt = weights.get(w);
          Constraint.Shared sh = shared.get(w);
          if (sh != null) {
            Sgd.sharedStep(wt, grads.get(w), sh.indices(), sh.table(), centroidMomentum.get(w), lr,
                (float) cfg.momentum(), sh.averaged());
            continue;
          }
          float[] v = momentum.computeIfAbsent(w, x -> new float[wt.length]);
          float decay = isDecayed(w) ? (float) cfg.weightDecay() : 0f;
          Sgd.step(wt, grads.get(w), v, masks.get(w), lr, (float) cfg.momentum(), decay, ctx.par);
        }
        if (ctx.profile != null) {
          ctx.profile.part(OpProfile.Part.OPTIMIZER, System.nanoTime() - tStep);
          ctx.profile.step();
        }
        lossSum += st.lossSum();
        hits += st.top1();
        if ((bi & 7) == 0 || bi == batches - 1) {
          progress.update(bi + 1, String.format("loss %.4f acc %.2f%%", lossSum / (s + nb), 100.0 * hits / (s + nb)));
        }
      }
      double valTop1 = Double.NaN;
      double seconds = (System.nanoTime() - t0) / 1e9;
      progress.finish(String.format("loss %.4f, train acc %.2f%%", lossSum / n, 100.0 * hits / n));
      if (validation != null) {
        valTop1 = evaluate(validation, Math.max(cfg.batchSize(), 256), Progress.NONE).top1();
      }
      epochs.add(new TrainHistory.Epoch(epoch, lr, lossSum / n, (double) hits / n, valTop1, seconds));
    }
    dropSparsePlans();
    return new TrainHistory(epochs);
  }

  /** Sparse kernels copy their weights when compiled: after the weights change, compile anew. */
  private void dropSparsePlans() {
    if (sparse) {
      plans.values().removeIf(p -> !p.training);
    }
  }

  /** Weight decay applies to kernels and matrices (rank ≥ 2), not to biases or BatchNorm vectors. */
  private boolean isDecayed(String weight) {
    return graph.initializer(weight).rank() >= 2;
  }

  @Override
  public Model export() {
    ensureOpen();
    Map<String, Tensor> init = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
      float[] w = weights.get(e.getKey());
      init.put(e.getKey(), w == null ? e.getValue() : Tensor.of(w.clone(), e.getValue().shape()));
    }
    Graph g = graph.withInitializers(init);
    Model out = model.withoutAnnotations().withGraph(g).withAnnotations(annotations.thatHold(g));
    return Constraint.Shared.annotate(out, sharedTrained);
  }

  @Override
  public float[] sharedTable(String weight) {
    ensureOpen();
    Constraint.Shared t = sharedTrained.get(weight);
    if (t == null) {
      throw new CondenseException("'" + weight + "' was not trained under a Shared constraint");
    }
    return t.table().clone();
  }

  @Override
  public void setWeights(Model other) {
    ensureOpen();
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      Tensor t = other.graph().initializer(e.getKey());
      if (t == null || t.dtype() != DType.FLOAT || t.size() != e.getValue().length) {
        throw new CondenseException("setWeights: the model's '" + e.getKey()
            + "' is missing or has another shape; open a new session for a changed graph");
      }
      System.arraycopy(t.floats(), 0, e.getValue(), 0, t.size());
    }
    annotations = other.annotations();
    dropSparsePlans();
  }

  @Override
  public void close() {
    closed = true;
    plans.clear();
    grads.clear();
    momentum.clear();
  }
}
