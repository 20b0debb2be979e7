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
 * (product quantization: one Gather per segment and a Concat; residual: one per stage and Adds).
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
    List<String> parts = new ArrayList<>();
    int m = kind == Kind.SCALAR ? rows : transposed ? cols : rows;
    for (int b = 0; b < books.length; b++) {
      String book = prefix + b + ".codebook";
      String code = prefix + b + ".codes";
      String part = prefix + b;
      int k = k();
      init.put(book, kind == Kind.SCALAR ? Tensor.of(books[b].clone(), k) : Tensor.of(books[b].clone(), k, widths[b]));
      init.put(code, codeTensor(codes[b], kind == Kind.SCALAR ? new int[] {rows, cols} : new int[] {m}, k));
      nodes.add(new Node(code + ".cast", "Cast", List.of(code), List.of(code + ".i64"),
          Map.of("to", new Attribute.IntAttr(DType.INT64.onnxCode()))));
      nodes.add(new Node(part + ".gather", "Gather", List.of(book, code + ".i64"), List.of(part),
          Map.of("axis", new Attribute.IntAttr(0))));
      parts.add(part);
    }
    String matrix;
    if (kind == Kind.PRODUCT && parts.size() > 1) {
      matrix = prefix + ".concat";
      nodes.add(new Node(matrix, "Concat", parts, List.of(matrix), Map.of("axis", new Attribute.IntAttr(1))));
    } else if (kind == Kind.RESIDUAL && parts.size() > 1) {
      matrix = parts.get(0);
      for (int t = 1; t < parts.size(); t++) {
        String sum = prefix + ".sum" + t;
        nodes.add(new Node(sum, "Add", List.of(matrix, parts.get(t)), List.of(sum)));
        matrix = sum;
      }
    } else {
      matrix = parts.get(0);
    }
    if (transposed) {
      String t = prefix + ".transpose";
      nodes.add(new Node(t, "Transpose", List.of(matrix), List.of(t), Map.of("perm", new Attribute.IntsAttr(new long[] {1, 0}))));
      matrix = t;
    }
    String shapeName = prefix + ".shape";
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    init.put(shapeName, Tensor.ofLongs(dims, dims.length));
    nodes.add(new Node(prefix + ".reshape", "Reshape", List.of(matrix, shapeName), List.of(name)));
    return new Subgraph(init, nodes);
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
