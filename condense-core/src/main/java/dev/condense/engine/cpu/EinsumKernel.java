package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.EinsumEquation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Einsum on letters ({@link EinsumEquation}). Two operands A, B: each is first summed over the
 * letters only it has and permuted to [batch, m, k] and [batch, k, n] (batch: letters of A, B and
 * the output; k: of A and B only; m, n: of one operand and the output); one GEMM per batch gives
 * [batch, m, n], permuted to the output. Backward: dA = dC Bᵀ and dB = Aᵀ dC in those layouts,
 * spread back over the summed letters. One operand: a sum and a permutation, and its spread.
 */
final class EinsumKernel extends Kernel {
  private final Rearrange toA;
  private final Rearrange toB;
  private final Rearrange fromC;
  private final int batch;
  private final int m;
  private final int k;
  private final int n;
  private final float[] a;
  private final float[] b;
  private final float[] c;
  private final float[] dc;
  private final float[] da;
  private final float[] db;

  EinsumKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    List<int[]> shapes = new ArrayList<>();
    for (Buf x : in) {
      shapes.add(x.shape);
    }
    EinsumEquation eq = EinsumEquation.of(node, shapes.stream().mapToInt(s -> s.length).toArray());
    Map<Character, Integer> size = eq.sizes(node, shapes);
    String o = eq.output();
    if (in.length == 1) {
      toA = new Rearrange(eq.operands().get(0), o, size);
      toB = null;
      fromC = null;
      batch = m = k = n = 0;
      a = b = c = dc = da = db = null;
      return;
    }
    String sa = eq.operands().get(0);
    String sb = eq.operands().get(1);
    StringBuilder lb = new StringBuilder();
    StringBuilder lm = new StringBuilder();
    StringBuilder lk = new StringBuilder();
    StringBuilder ln = new StringBuilder();
    for (char x : sa.toCharArray()) {
      boolean inB = sb.indexOf(x) >= 0;
      boolean inO = o.indexOf(x) >= 0;
      (inB && inO ? lb : inB ? lk : inO ? lm : new StringBuilder()).append(x);
    }
    for (char x : sb.toCharArray()) {
      if (sa.indexOf(x) < 0 && o.indexOf(x) >= 0) {
        ln.append(x);
      }
    }
    batch = product(lb, size);
    m = product(lm, size);
    k = product(lk, size);
    n = product(ln, size);
    toA = new Rearrange(sa, "" + lb + lm + lk, size);
    toB = new Rearrange(sb, "" + lb + lk + ln, size);
    fromC = new Rearrange("" + lb + lm + ln, o, size);
    a = new float[batch * m * k];
    b = new float[batch * k * n];
    c = new float[batch * m * n];
    dc = new float[c.length];
    da = new float[a.length];
    db = new float[b.length];
  }

  private static int product(CharSequence letters, Map<Character, Integer> size) {
    int p = 1;
    for (int i = 0; i < letters.length(); i++) {
      p *= size.get(letters.charAt(i));
    }
    return p;
  }

  @Override
  void forward(Ctx ctx) {
    if (toB == null) {
      toA.sum(in[0].data, out[0].data);
      return;
    }
    toA.sum(in[0].data, a);
    toB.sum(in[1].data, b);
    for (int i = 0; i < batch; i++) {
      ctx.blas.gemm(false, false, m, n, k, 1f, a, i * m * k, k, b, i * k * n, n, 0f, c, i * m * n, n);
    }
    fromC.sum(c, out[0].data);
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    if (toB == null) {
      if (wants(0)) {
        toA.spread(dy, in[0].grad, accumulate[0]);
      }
      return;
    }
    fromC.spread(dy, dc, false);
    if (wants(0)) {
      for (int i = 0; i < batch; i++) {
        ctx.blas.gemm(false, true, m, k, n, 1f, dc, i * m * n, n, b, i * k * n, n, 0f, da, i * m * k, k);
      }
      toA.spread(da, in[0].grad, accumulate[0]);
    }
    if (wants(1)) {
      for (int i = 0; i < batch; i++) {
        ctx.blas.gemm(true, false, k, n, m, 1f, a, i * m * k, k, dc, i * m * n, n, 0f, db, i * k * n, n);
      }
      toB.spread(db, in[1].grad, accumulate[1]);
    }
  }
}
