package dev.condense.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.data.Batches;
import dev.condense.data.Dataset;
import dev.condense.engine.BatchInput;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Scorer;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxWriter;
import dev.condense.ops.FixedBatch;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model in ONNX Runtime behind the {@link Session} interface, for forward-only work: {@link
 * #run}, {@link #evaluate} and {@link #capture} (intermediate values become extra graph outputs of
 * the ONNX bytes, {@link ExtraOutputs}). {@link #setWeights} writes the new model and rebuilds the
 * ONNX Runtime sessions from its bytes; {@link #export} gives the model last given. Training and
 * trained tables are refused: they run on the engine.
 *
 * <p>Evaluation scores the engine's logits value (the first output, or the input of a final
 * Softmax) with the same {@link Scorer}, so loss and top-k mean the same as the engine's. A model
 * whose data input declares a fixed batch runs in batches of that size (ONNX Runtime refuses
 * others), whatever batch is asked for.
 */
public final class OrtForwardSession implements Session {
  /** Why training is refused, the one line every training call gets. */
  static final String FORWARD_ONLY = "ONNX Runtime runs forward-only work; training runs on the engine";
  private static final int MAX_SESSIONS = 4;

  private final OrtEngine engine;
  /** Whether {@link #bytes} are the model's own (Condense wrote them), so new weights can be written. */
  private final boolean writable;
  private Model model;
  private byte[] bytes;
  /** ONNX Runtime sessions by the sorted extra outputs they were built with, least recently used first. */
  private final LinkedHashMap<Set<String>, OrtSession> sessions = new LinkedHashMap<>(8, 0.75f, true);
  private ShapeInference.Result types;
  private final String logits;
  private final int declaredBatch;
  private boolean closed;

  OrtForwardSession(OrtEngine engine, Model model, byte[] bytes, boolean writable) {
    if (model.graph().outputs().isEmpty()) {
      throw new CondenseException("the model has no outputs");
    }
    this.engine = engine;
    this.model = model;
    this.bytes = bytes;
    this.writable = writable;
    this.logits = OpTable.standard().logitsValue(model.graph());
    this.declaredBatch = FixedBatch.declared(model.graph());
  }

  /** Refuses use after {@link #close()} or after the engine's close, as ONNX Runtime's OrtSession does. */
  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (engine.isClosed()) {
      throw new IllegalStateException("the session's engine is closed");
    }
  }

  // ---------------------------------------------------------------- inference

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    ensureOpen();
    return run(inputs, model.graph().outputs().stream().map(ValueInfo::name).toList());
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> values) {
    ensureOpen();
    Graph g = model.graph();
    for (ValueInfo vi : g.inputs()) {
      if (!inputs.containsKey(vi.name())) {
        throw new CondenseException("missing model input '" + vi.name() + "' " + vi);
      }
    }
    for (String name : inputs.keySet()) {
      if (g.input(name) == null) {
        throw new CondenseException("'" + name + "' is not an input of the model (inputs: "
            + g.inputs().stream().map(ValueInfo::name).toList() + ")");
      }
    }
    Map<String, OnnxTensor> fed = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        fed.put(e.getKey(), OrtTensors.of(engine.environment(), e.getKey(), e.getValue()));
      }
      Map<String, Tensor> r = new LinkedHashMap<>();
      Set<String> computed = computed(values);
      try (OrtSession.Result out = session(computed).run(fed, computed)) {
        for (String v : values) {
          r.put(v, g.input(v) != null ? inputs.get(v) : OrtTensors.toTensor(v, tensor(out, v)));
        }
      }
      return r;
    } catch (OrtException e) {
      throw OrtFailure.of(e);
    } finally {
      fed.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public Evaluation evaluate(Dataset data, int batchSize, Progress progress) {
    ensureOpen();
    Scorer scorer = new Scorer(data.size());
    batches(data, batchSize, List.of(logits), "evaluate " + data.name() + " in ONNX Runtime", progress,
        (nb, values, shapes, labels) -> {
          int[] s = shapes[0];
          if (s.length != 2 || s[0] != nb) {
            throw new CondenseException("classification needs a [batch, classes] output, '" + logits
                + "' has shape " + Arrays.toString(s) + " in ONNX Runtime");
          }
          if (data.numClasses() > s[1]) {
            throw new CondenseException("data set '" + data.name() + "' has labels 0.." + (data.numClasses() - 1)
                + ", outside the model's " + s[1] + " classes (output '" + logits + "')");
          }
          scorer.add(values[0], nb, s[1], labels);
        });
    Evaluation e = scorer.result();
    progress.finish(e.toString());
    return e;
  }

  @Override
  public void capture(Dataset data, int batchSize, List<String> values, CaptureSink sink, Progress progress) {
    ensureOpen();
    batches(data, batchSize, values, "capture " + data.name() + " in ONNX Runtime", progress, sink);
    progress.finish("");
  }

  /**
   * Runs {@code data} through the model in batches of {@code requested} samples (or of the
   * model's fixed batch) and hands each batch's {@code values} — graph inputs as fed, everything
   * else as ONNX Runtime computed it — to {@code sink}.
   */
  private void batches(Dataset data, int requested, List<String> values, String label, Progress progress,
      CaptureSink sink) {
    int batch = declaredBatch > 0 ? declaredBatch : requested;
    int n = data.size();
    Set<String> computed = computed(values);
    OrtSession session = session(computed);
    float[] x = new float[Math.min(batch, Math.max(n, 1)) * data.sampleSize()];
    float[][] arrays = new float[values.size()][];
    int[][] shapes = new int[values.size()][];
    progress.start(label, Batches.count(n, batch));
    for (int bi = 0, s = 0; s < n; bi++, s += batch) {
      int nb = Math.min(batch, n - s);
      int[] labels = new int[nb];
      BatchInput in = BatchInput.of(model.graph(), data, nb);
      int count = nb * data.sampleSize();
      data.fill(null, s, nb, x, labels);
      try (OnnxTensor t = OrtTensors.batch(engine.environment(), in, x, count);
          OrtSession.Result r = session.run(Map.of(in.name(), t), computed)) {
        for (int i = 0; i < values.size(); i++) {
          String v = values.get(i);
          if (v.equals(in.name())) {
            arrays[i] = Arrays.copyOf(x, count);
            shapes[i] = in.shape();
            continue;
          }
          OnnxTensor out = tensor(r, v);
          if (out.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new CondenseException("value '" + v + "' is not a float tensor");
          }
          arrays[i] = OrtTensors.floats(out);
          shapes[i] = OrtTensors.ints(v, out.getInfo().getShape());
        }
      } catch (OrtException e) {
        throw OrtFailure.of(e);
      }
      sink.accept(nb, arrays, shapes, labels);
      progress.update(bi + 1, "");
    }
  }

  /** The values ONNX Runtime has to compute: all those asked for except graph inputs, which are fed. */
  private Set<String> computed(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      if (model.graph().input(v) == null) {
        out.add(v);
      }
    }
    return out;
  }

  private static OnnxTensor tensor(OrtSession.Result r, String value) {
    Optional<OnnxValue> v = r.get(value);
    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
      throw new CondenseException("ONNX Runtime returned no tensor '" + value + "'");
    }
    return t;
  }

  /** The ONNX Runtime session returning {@code values}: the graph with those not yet outputs added as outputs. */
  private OrtSession session(Set<String> values) {
    Set<String> extra = new TreeSet<>(values);
    model.graph().outputs().forEach(o -> extra.remove(o.name()));
    OrtSession s = sessions.get(extra);
    if (s == null) {
      byte[] b = extra.isEmpty() ? bytes : ExtraOutputs.add(bytes, List.copyOf(extra), this::dtype);
      s = engine.compile(b);
      sessions.put(extra, s);
      if (sessions.size() > MAX_SESSIONS) {
        Set<String> eldest = sessions.keySet().iterator().next();
        release(sessions.remove(eldest));
      }
    }
    return s;
  }

  /** The element type of a value, from Condense's shape inference of the model. */
  private DType dtype(String value) {
    if (types == null) {
      types = ShapeInference.infer(model.graph(), Map.of());
    }
    return types.type(value).dtype();
  }

  // ---------------------------------------------------------------- weights

  /** Refused: ONNX Runtime runs forward-only work here. */
  @Override
  public TrainHistory train(Dataset data, TrainConfig config, Constraints constraints, Dataset validation,
      Progress progress) {
    ensureOpen();
    throw new CondenseException(FORWARD_ONLY);
  }

  /** Refused: no weight is trained here, so there is no trained table. */
  @Override
  public float[] sharedTable(String weight) {
    ensureOpen();
    throw new CondenseException(FORWARD_ONLY);
  }

  @Override
  public Model export() {
    ensureOpen();
    return model;
  }

  /**
   * Runs {@code other} from now on: it must have the same float initializers, each of the same
   * size, as the model opened (the contract of {@link Session#setWeights}); its bytes are written
   * and the ONNX Runtime sessions rebuilt from them when next used.
   */
  @Override
  public void setWeights(Model other) {
    ensureOpen();
    if (!writable) {
      throw new CondenseException("setWeights: this session runs ONNX bytes written elsewhere; open a new session "
          + "for new weights");
    }
    for (Map.Entry<String, Tensor> e : model.graph().initializers().entrySet()) {
      if (e.getValue().dtype() != DType.FLOAT) {
        continue;
      }
      Tensor t = other.graph().initializer(e.getKey());
      if (t == null || t.dtype() != DType.FLOAT || t.size() != e.getValue().size()) {
        throw new CondenseException("setWeights: the model's '" + e.getKey()
            + "' is missing or has another shape; open a new session for a changed graph");
      }
    }
    byte[] b = OnnxWriter.toBytes(other);
    closeSessions();
    model = other;
    bytes = b;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeSessions();
    }
  }

  private void closeSessions() {
    List<OrtSession> open = new ArrayList<>(sessions.values());
    sessions.clear();
    open.forEach(OrtForwardSession::release);
  }

  private static void release(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      throw OrtFailure.of(e);
    }
  }
}
