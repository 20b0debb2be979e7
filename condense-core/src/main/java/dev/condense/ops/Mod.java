package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * ONNX Mod (opset 10; 13 only adds bfloat16) with NumPy broadcasting: the window arithmetic of
 * shifted-window attention ({@code (H - shift) % window}) and other shape code, folded at load
 * time; on run-time float values the engine computes it with its gradient. Per the spec, integer
 * inputs with {@code fmod=0} take the sign of the divisor (Python's %), {@code fmod=1} that of the
 * dividend (C's fmod); float inputs require {@code fmod=1}, as ONNX Runtime does.
 */
final class Mod implements Op {

  @Override
  public String type() {
    return "Mod";
  }

  @Override
  public int since() {
    return 10;
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  /** Whether the node computes C's fmod (attribute fmod 1) rather than Python's %, checked. */
  static boolean fmod(Node n) {
    long f = n.intAttr("fmod", 0);
    if (f != 0 && f != 1) {
      throw new CondenseException("node " + n.label() + ": Mod's fmod attribute must be 0 or 1, got " + f);
    }
    return f == 1;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    ValueType out = Arithmetic.broadcast(n, in);
    boolean c = fmod(n);
    if (out.dtype().isFloat() && !c) {
      // Mod-10: "If the input type is floating point, then fmod attribute must be set to 1."
      throw new CondenseException("node " + n.label() + ": Mod of floating-point inputs needs fmod=1 (the ONNX spec)");
    }
    return List.of(out);
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == in.get(1).dtype();
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    boolean c = fmod(n);
    // Floats have fmod=1 (checked by infer): C's fmod, which is Java's % on doubles.
    return ElementwiseFold.reduce(n, in, (x, y) -> x % y, DoubleUnaryOperator.identity(), (p, q) -> {
      if (q == 0) {
        throw new CondenseException("node " + n.label() + ": integer Mod by zero");
      }
      return c ? p % q : Math.floorMod(p, q);
    });
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    // Run-time values are floats, whose Mod has fmod=1 (infer refuses 0); integer Mods fold.
    return kernels.binary(n, BinaryMath.FMOD);
  }
}
