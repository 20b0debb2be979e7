package dev.condense.graph;

import java.util.List;

/**
 * The declared type of a graph input or output: element type and dimensions, each a fixed size
 * or a symbolic one such as "batch". {@code dims} is null where the file does not give the rank.
 */
public record ValueInfo(String name, DType dtype, List<Dim> dims) {

  public ValueInfo {
    dims = dims == null ? null : List.copyOf(dims);
  }

  /** One dimension: a size ≥ 0, or a symbol (size -1) such as "batch", or unknown (-1, null). */
  public record Dim(long value, String param) {
    public static Dim of(long v) {
      return new Dim(v, null);
    }

    public static Dim symbol(String name) {
      return new Dim(-1, name);
    }

    public boolean isFixed() {
      return value >= 0;
    }

    @Override
    public String toString() {
      return isFixed() ? Long.toString(value) : param == null ? "?" : param;
    }
  }

  /** A float tensor with a symbolic batch dimension followed by fixed dimensions. */
  public static ValueInfo batched(String name, int... sampleShape) {
    Dim[] d = new Dim[sampleShape.length + 1];
    d[0] = Dim.symbol("batch");
    for (int i = 0; i < sampleShape.length; i++) {
      d[i + 1] = Dim.of(sampleShape[i]);
    }
    return new ValueInfo(name, DType.FLOAT, List.of(d));
  }

  /** The dimensions with symbolic ones replaced by {@code unknown}. */
  public int[] shapeOr(int unknown) {
    if (dims == null) {
      return null;
    }
    int[] s = new int[dims.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = dims.get(i).isFixed() ? (int) dims.get(i).value() : unknown;
    }
    return s;
  }

  @Override
  public String toString() {
    return name + ": " + dtype.name().toLowerCase() + dims;
  }
}
