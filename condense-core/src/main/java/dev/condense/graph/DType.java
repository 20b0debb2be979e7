package dev.condense.graph;

import dev.condense.CondenseException;

/**
 * Element types of ONNX values, with their {@code TensorProto.DataType} codes. Tensors hold the
 * integer types and FLOAT; FLOAT16, BFLOAT16 and DOUBLE are types a file stores weights in or a
 * {@code Cast} names: Condense computes them in float32 ({@link #computeType}), and a graph
 * remembers which weights a file stored so ({@link Graph#storage}) to write them back so.
 */
public enum DType {
  FLOAT(1, 4),
  UINT8(2, 1),
  INT8(3, 1),
  INT32(6, 4),
  INT64(7, 8),
  /** ONNX bool: one byte per element, 0 or 1 (comparison results, masks). */
  BOOL(9, 1),
  /** IEEE 754 half precision; read into float32 exactly. */
  FLOAT16(10, 2),
  /** Read into float32 rounded to nearest. */
  DOUBLE(11, 8),
  /** The upper half of a float32 (8-bit exponent, 7-bit fraction); read into float32 exactly. */
  BFLOAT16(16, 2),
  /** ONNX uint4 (opset 21): one element per byte in memory, two per byte in a file (low nibble first). */
  UINT4(21, 1),
  /** ONNX int4 (opset 21): as UINT4, two's complement in [−8, 7]. */
  INT4(22, 1);

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

  /** Bytes per element in memory (a 4-bit element takes one; see {@link #storedBytes}). */
  public int bytes() {
    return bytes;
  }

  /** True for the types kept in a {@code byte[]} (UINT8, INT8, BOOL, and the 4-bit types). */
  public boolean isByte() {
    return this == UINT8 || this == INT8 || this == BOOL || isNibble();
  }

  /** True for INT4 and UINT4, which files pack two to a byte. */
  public boolean isNibble() {
    return this == INT4 || this == UINT4;
  }

  /** Bytes {@code n} elements take in ONNX {@code raw_data} (4-bit types: ⌈n/2⌉, ONNX IR "int4"). */
  public long storedBytes(long n) {
    return isNibble() ? (n + 1) / 2 : n * bytes;
  }

  /** True for the floating-point types: FLOAT and the types computed as it. */
  public boolean isFloat() {
    return this == FLOAT || this == FLOAT16 || this == DOUBLE || this == BFLOAT16;
  }

  /** The type Condense computes a value of this type in: FLOAT for every floating-point type. */
  public DType computeType() {
    return isFloat() ? FLOAT : this;
  }

  /** The lower-case ONNX name ("float16", "double"), for messages. */
  public String label() {
    return this == FLOAT ? "float32" : name().toLowerCase();
  }

  /** The type of an ONNX data-type code, or an error naming {@code where} the code was found. */
  public static DType fromOnnx(int code, String where) {
    for (DType t : values()) {
      if (t.onnxCode == code) {
        return t;
      }
    }
    throw new CondenseException(where + ": unsupported tensor element type " + onnxName(code)
        + " (supported: float32, float16, bfloat16, double, int64, int32, uint8, int8, uint4, int4, bool)");
  }

  private static String onnxName(int code) {
    String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16",
        "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
    return code >= 0 && code < names.length ? names[code] : "code " + code;
  }
}
