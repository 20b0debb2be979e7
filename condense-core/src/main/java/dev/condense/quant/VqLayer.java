package dev.condense.quant;

import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weight matrix [rows × cols] coded by a {@link VectorQuantizer}: codebooks (one flat
 * {@code table}) and codes. For training it gives, per stage, the table entry every weight reads
 * ({@link #indices()}, for the engine's Shared constraint); for storage and export it gives an
 * ONNX subgraph that rebuilds the weight from the codebooks and the codes with Cast + Gather
 * (product quantization: one Gather for all segments; residual: one per stage and Adds).
 */
public final class VqLayer {
  private enum Kind { SCALAR, PRODUCT, RESIDUAL }

  private final VectorQuantizer method;
  private final Kind kind;
  private final int rows;
  private final int cols;
  private final boolean transposed;
  /** Sub-vector width of each codebook: 1 (scalar), the segment's (product), cols (residual). */
  private final int[] widths;
  /** Codebooks, one per segment (product) or stage (residual), or the scalar values. */
  private final float[][] books;
  /** Codes, one array per codebook: per weight (scalar), per row of a segment, per row of a stage. */
  private final int[][] codes;

  private VqLayer(VectorQuantizer method, Kind kind, int rows, int cols, boolean transposed, int[] widths,
      float[][] books, int[][] codes) {
    this.method = method;
    this.kind = kind;
    this.rows = rows;
    this.cols = cols;
    this.transposed = transposed;
    this.widths = widths;
    this.books = books;
    this.codes = codes;
  }

  static VqLayer scalar(VectorQuantizer method, int rows, int cols, float[] values, int[] code) {
    return new VqLayer(method, Kind.SCALAR, rows, cols, false, new int[] {1}, new float[][] {values}, new int[][] {code});
  }

  static VqLayer product(VectorQuantizer method, int rows, int cols, boolean transposed, int[] widths,
      float[][] books, int[][] codes) {
    return new VqLayer(method, Kind.PRODUCT, rows, cols, transposed, widths, books, codes);
  }

  static VqLayer residual(VectorQuantizer method, int rows, int cols, float[][] books, int[][] codes) {
    int[] w = new int[books.length];
    java.util.Arrays.fill(w, cols);
    return new VqLayer(method, Kind.RESIDUAL, rows, cols, false, w, books, codes);
  }

  public VectorQuantizer method() {
    return method;
  }

  /** Codewords per codebook. */
  public int k() {
    return books[0].length / widths[0];
  }

  /** All codebooks as one array (the Shared constraint's table). */
  public float[] table() {
    int n = 0;
    for (float[] b : books) {
      n += b.length;
    }
    float[] t = new float[n];
    int at = 0;
    for (float[] b : books) {
      System.arraycopy(b, 0, t, at, b.length);
      at += b.length;
    }
    return t;
  }

  /** The same codes over another table (e.g. the fine-tuned one). */
  public VqLayer withTable(float[] table) {
    float[][] nb = new float[books.length][];
    int at = 0;
    for (int i = 0; i < books.length; i++) {
      nb[i] = java.util.Arrays.copyOfRange(table, at, at + books[i].length);
      at += books[i].length;
    }
    return new VqLayer(method, kind, rows, cols, transposed, widths, nb, codes);
  }

  /**
   * Per stage, the table index of every weight (row-major over [rows × cols]); the weight is the
   * sum over stages.
   */
  public int[][] indices() {
    int n = rows * cols;
    if (kind == Kind.SCALAR) {
      return new int[][] {codes[0].clone()};
    }
    if (kind == Kind.RESIDUAL) {
      int[][] idx = new int[books.length][n];
      int offset = 0;
      for (int t = 0; t < books.length; t++) {
        for (int r = 0; r < rows; r++) {
          for (int q = 0; q < cols; q++) {
            idx[t][r * cols + q] = offset + codes[t][r] * cols + q;
          }
        }
        offset += books[t].length;
      }
      return idx;
    }
    int[] idx = new int[n];
    int m = transposed ? cols : rows;
    int[] segOffset = new int[books.length];
    for (int s = 1; s < books.length; s++) {
      segOffset[s] = segOffset[s - 1] + books[s - 1].length;
    }
    for (int r = 0; r < m; r++) {
      int col = 0;
      for (int s = 0; s < books.length; s++) {
        for (int q = 0; q < widths[s]; q++, col++) {
          int element = transposed ? col * cols + r : r * cols + col;
          idx[element] = segOffset[s] + codes[s][r] * widths[s] + q;
        }
      }
    }
    return new int[][] {idx};
  }

  /** The coded weights: Σ_stages table[index], stage by stage (the order every decoder uses). */
  public float[] reconstruction() {
    float[] t = table();
    int[][] idx = indices();
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      float s = 0f;
      for (int[] stage : idx) {
        s += t[stage[i]];
      }
      w[i] = s;
    }
    return w;
  }

  /** Gong et al.'s compression rate of this layer. */
  public double paperRate() {
    return method.paperRate(rows, cols);
  }

  /** Initializers and nodes of an ONNX subgraph that computes the weight into value {@code name}. */
  public record Subgraph(Map<String, Tensor> initializers, List<Node> nodes) {}

  /** The subgraph rebuilding the weight of shape {@code shape} ([rows, cols] or a conv kernel). */
  public Subgraph toGraph(String name, int[] shape) {
    Map<String, Tensor> init = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    String prefix = name + ".vq";
    String matrix = kind == Kind.PRODUCT ? productGraph(prefix, init, nodes) : stagesGraph(prefix, init, nodes);
    if (transposed) {
      String t = prefix + ".transpose";
      nodes.add(new Node(t, "Transpose", List.of(matrix), List.of(t), Map.of("perm", new Attribute.IntsAttr(new long[] {1, 0}))));
      matrix = t;
    }
    reshape(prefix + ".reshape", matrix, name, shape, init, nodes);
    return new Subgraph(init, nodes);
  }

  /**
   * Product quantization in one lookup, however many segments: the segments' codebooks stacked
   * into one [segments·k × width] table (a shorter last segment padded with zeros), the codes one
   * [m × segments] tensor; segment s's codes are offset by s·k (ONNX Range + Add), one Gather gives
   * [m × segments × width], read as [m × segments·width] and sliced to the row's length.
   */
  private String productGraph(String prefix, Map<String, Tensor> init, List<Node> nodes) {
    int m = transposed ? cols : rows;
    int n = transposed ? rows : cols;
    int segments = books.length;
    int width = widths[0];
    int k = k();
    float[] table = new float[segments * k * width];
    int[] code = new int[m * segments];
    for (int s = 0; s < segments; s++) {
      for (int c = 0; c < k; c++) {
        System.arraycopy(books[s], c * widths[s], table, (s * k + c) * width, widths[s]);
      }
      for (int r = 0; r < m; r++) {
        code[r * segments + s] = codes[s][r];
      }
    }
    String book = prefix + "0.codebook";
    String codesName = prefix + "0.codes";
    init.put(book, Tensor.of(table, segments * k, width));
    init.put(codesName, codeTensor(code, new int[] {m, segments}, k));
    String offsets = prefix + ".offsets";
    init.put(offsets + ".start", Tensor.ofLongs(new long[] {0}));
    init.put(offsets + ".limit", Tensor.ofLongs(new long[] {(long) segments * k}));
    init.put(offsets + ".delta", Tensor.ofLongs(new long[] {k}));
    nodes.add(new Node(offsets, "Range", List.of(offsets + ".start", offsets + ".limit", offsets + ".delta"),
        List.of(offsets)));
    nodes.add(cast(codesName));
    String index = prefix + ".index";
    nodes.add(new Node(index, "Add", List.of(codesName + ".i64", offsets), List.of(index)));
    String gathered = prefix + "0";
    nodes.add(gather(gathered, book, index));
    String matrix = prefix + ".rows";
    reshape(matrix, gathered, matrix, new int[] {m, segments * width}, init, nodes);
    if (segments * width != n) {
      String cut = prefix + ".slice";
      init.put(cut + ".starts", Tensor.ofLongs(new long[] {0}, 1));
      init.put(cut + ".ends", Tensor.ofLongs(new long[] {n}, 1));
      init.put(cut + ".axes", Tensor.ofLongs(new long[] {1}, 1));
      nodes.add(new Node(cut, "Slice", List.of(matrix, cut + ".starts", cut + ".ends", cut + ".axes"), List.of(cut)));
      matrix = cut;
    }
    return matrix;
  }

  /** Scalar codes (one Gather) or residual stages (one Gather per stage, summed by Adds). */
  private String stagesGraph(String prefix, Map<String, Tensor> init, List<Node> nodes) {
    List<String> parts = new ArrayList<>();
    for (int b = 0; b < books.length; b++) {
      String book = prefix + b + ".codebook";
      String code = prefix + b + ".codes";
      String part = prefix + b;
      int k = k();
      init.put(book, kind == Kind.SCALAR ? Tensor.of(books[b].clone(), k) : Tensor.of(books[b].clone(), k, widths[b]));
      init.put(code, codeTensor(codes[b], kind == Kind.SCALAR ? new int[] {rows, cols} : new int[] {rows}, k));
      nodes.add(cast(code));
      nodes.add(gather(part, book, code + ".i64"));
      parts.add(part);
    }
    String matrix = parts.get(0);
    for (int t = 1; t < parts.size(); t++) {
      String sum = prefix + ".sum" + t;
      nodes.add(new Node(sum, "Add", List.of(matrix, parts.get(t)), List.of(sum)));
      matrix = sum;
    }
    return matrix;
  }

  private static Node cast(String codes) {
    return new Node(codes + ".cast", "Cast", List.of(codes), List.of(codes + ".i64"),
        Map.of("to", new Attribute.IntAttr(DType.INT64.onnxCode())));
  }

  private static Node gather(String out, String table, String indices) {
    return new Node(out + ".gather", "Gather", List.of(table, indices), List.of(out), Map.of("axis", new Attribute.IntAttr(0)));
  }

  private static void reshape(String node, String in, String out, int[] shape, Map<String, Tensor> init, List<Node> nodes) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    init.put(node + ".shape", Tensor.ofLongs(dims, dims.length));
    nodes.add(new Node(node, "Reshape", List.of(in, node + ".shape"), List.of(out)));
  }

  /** Codes as uint8 when k ≤ 256, else int32 (the .cdz writer packs them to ⌈log2 k⌉ bits). */
  private static Tensor codeTensor(int[] c, int[] shape, int k) {
    if (k <= 256) {
      byte[] b = new byte[c.length];
      for (int i = 0; i < c.length; i++) {
        b[i] = (byte) c[i];
      }
      return Tensor.ofBytes(DType.UINT8, b, shape);
    }
    return Tensor.ofInts(c.clone(), shape);
  }
}
