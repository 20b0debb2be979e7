package dev.condense.onnx;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.OpTable;
import dev.condense.ops.OpsetNormalizer;
import dev.condense.ops.ShapeInference;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that Condense can work on a model before any work starts, so that a user learns at
 * once, in one line naming the file and the node, why a model cannot be compressed: an op used at
 * an opset whose definition of it Condense does not implement (see {@link dev.condense.ops.Op#since}), an unsupported
 * op, a value no one provides, or shapes that do not fit together.
 */
public final class ModelChecker {

  /** The opset Condense targets; older models are accepted op by op (see {@link dev.condense.ops.Op#since}). */
  public static final long MIN_OPSET = 13;

  /** The newest opset of the default domain Condense knows; a newer one may have changed any op. */
  public static final long MAX_OPSET = 21;

  /** The newest ONNX IR version Condense reads (ONNX 1.18's). */
  public static final long MAX_IR_VERSION = 11;

  private ModelChecker() {}

  /**
   * The model as Condense reads it: nodes written at older opsets normalised once
   * ({@link OpsetNormalizer}), then checked as {@link #check} does. Throws a
   * {@link CondenseException} starting with {@code sourceName} if the model is unusable.
   */
  public static Model normalizeAndCheck(Model raw, String sourceName) {
    return normalizeAndCheck(raw, sourceName, MemoryLimit.forThisHeap());
  }

  /** As {@link #normalizeAndCheck(Model, String)}, constants folded at load within {@code limit}. */
  public static Model normalizeAndCheck(Model raw, String sourceName, MemoryLimit limit) {
    Model m;
    try {
      OpsetNormalizer.Result r = OpsetNormalizer.normalize(raw);
      checkOps(raw, r);
      m = r.model();
    } catch (CondenseException e) {
      throw new CondenseException(sourceName + ": " + e.getMessage(), e);
    }
    check(m, sourceName, limit);
    return m;
  }

  /**
   * Throws a {@link CondenseException} starting with {@code sourceName} if the model is unusable,
   * or if it holds nodes of an older opset that {@link #normalizeAndCheck} would rewrite.
   */
  public static void check(Model m, String sourceName) {
    check(m, sourceName, MemoryLimit.forThisHeap());
  }

  /**
   * As {@link #check(Model, String)}, constants folded at load within {@code limit} (larger ones
   * stay nodes; a ConstantOfShape or Range beyond it is refused, naming the node).
   */
  public static void check(Model m, String sourceName, MemoryLimit limit) {
    try {
      checkOps(m);
      Graph g = m.graph();
      checkInputsExist(g);
      ShapeInference.infer(OpTable.standard(), g, Map.of(), Map.of(), limit);
    } catch (CondenseException e) {
      throw new CondenseException(sourceName + ": " + e.getMessage(), e);
    }
  }

  /**
   * What an engine runs of a model whose inputs it is given: the model normalised
   * ({@link OpsetNormalizer}), after checking that every op is supported, at the model's opset.
   */
  public static Model runnable(Model m) {
    OpsetNormalizer.Result r = OpsetNormalizer.normalize(m);
    checkOps(m, r);
    return r.model();
  }

  /**
   * Checks only what an engine needs before it runs a model whose inputs it is given: every op
   * supported, supported at the model's opset, and in the form the op table implements.
   */
  public static void checkOps(Model m) {
    OpsetNormalizer.Result r = OpsetNormalizer.normalize(m);
    checkOps(m, r);
    if (r.changed()) {
      throw new CondenseException("the model holds ops in their opset-" + m.opset() + " form, which Condense"
          + " reads only after normalising them once (OnnxReader.load, ModelChecker.normalizeAndCheck)");
    }
  }

  private static void checkOps(Model m, OpsetNormalizer.Result r) {
    if (m.irVersion() > MAX_IR_VERSION) {
      throw new CondenseException("IR version " + m.irVersion() + " is newer than Condense knows (it reads IR versions"
          + " up to " + MAX_IR_VERSION + ")");
    }
    long opset = m.opset();
    if (opset > MAX_OPSET) {
      throw new CondenseException("opset " + opset + " is newer than Condense knows (it reads opsets up to "
          + MAX_OPSET + "; re-export with opset_version=" + MAX_OPSET + " or older)");
    }
    if (opset < 0) {
      throw new CondenseException("the model imports no opset of the default ONNX domain; Condense"
          + " needs opset " + MIN_OPSET + " or later");
    }
    checkOps(r.model().graph(), opset, r.refused()); // as normalised: Upsample read as Resize
  }

  /**
   * Reports the first node that cannot be read (an unsupported op, or a supported op at a version
   * or in a form Condense does not read), and every unsupported op and version of the model.
   */
  private static void checkOps(Graph g, long opset, List<String> refused) {
    String first = null;
    Set<String> unsupported = new TreeSet<>();
    boolean opsMissing = false;
    for (Node n : g.nodes()) {
      String line = refused.stream().filter(l -> l.startsWith("node " + n.label() + ": ")).findFirst().orElse(null);
      if (line != null) {
        unsupported.add(n.opType() + " at opset " + opset);
      } else if (OpTable.standard().find(n.opType()) == null) {
        line = "unsupported op '" + n.opType() + "' at node " + n.label();
        unsupported.add(n.opType());
      }
      opsMissing |= OpTable.standard().find(n.opType()) == null;
      first = first == null ? line : first;
    }
    if (first != null) {
      String others = unsupported.size() > 1 ? "; all unsupported ops in the model: "
          + String.join(", ", unsupported) : "";
      throw new CondenseException(first + others + (opsMissing ? " (Condense supports "
          + String.join(", ", OpTable.standard().types()) + ")" : ""));
    }
  }

  private static void checkInputsExist(Graph g) {
    Set<String> available = new HashSet<>(g.initializers().keySet());
    for (ValueInfo v : g.inputs()) {
      available.add(v.name());
    }
    for (Node n : g.nodes()) {
      available.addAll(n.outputs());
    }
    for (Node n : g.nodes()) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !available.contains(in)) {
          throw new CondenseException("missing initializer or input '" + in + "' used by node " + n.label());
        }
      }
    }
  }
}
