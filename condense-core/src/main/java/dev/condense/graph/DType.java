package dev.condense.graph;

import dev.condense.CondenseException;

/** Element types Condense keeps in tensors, with their ONNX {@code TensorProto.DataType} codes. */
public enum DType {
  FLOAT(1, 4),
  UINT8(2, 1),
  INT8(3, 1),
  INT32(6, 4),
  INT64(7, 8),
  /** ONNX bool: one byte per element, 0 or 1 (comparison results, masks). */
  BOOL(9, 1);

  private final int onnxCode;
  private final int bytes;

  DType(int onnxCode, int bytes) {
    this.onnxCode = onnxCode;
    this.bytes = bytes;
  }

  /** The ONNX {@code TensorProto.DataType} value. */
  public int onnxCode() {
    return onnxCode;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** True for the types kept in a {@code byte[]} (UINT8, INT8, BOOL). */
  public boolean isByte() {
    return this == UINT8 || this == INT8 || this == BOOL;
  }

  /** The type of an ONNX data-type code, or an error naming {@code where} the code was found. */
  public static DType fromOnnx(int code, String where) {
    for (DType t : values()) {
      if (t.onnxCode == code) {
        return t;
      }
    }
    throw new CondenseException(where + ": unsupported tensor element type " + onnxName(code)
        + " (supported: float32, int64, int32, uint8, int8, bool)");
  }

  private static String onnxName(int code) {
    String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
    return code >= 0 && code < names.length ? names[code] : "code " + code;
  }
}
