package dev.condense.data;

/**
 * The element types Condense reads from NumPy {@code .npy} files, by the type code of their
 * {@code descr} ({@code '<f4'} is a little-endian {@link #FLOAT32}): booleans, signed and unsigned
 * integers of 1 to 8 bytes, and IEEE floats of 2, 4 and 8 bytes. Other NumPy types (objects,
 * strings, complex numbers, dates, structured records) have no meaning as model inputs and are
 * refused by {@link NpyHeader} with a line saying what they are.
 */
public enum NpyType {
  BOOL("b1", "bool", false),
  UINT8("u1", "uint8", true),
  INT8("i1", "int8", true),
  UINT16("u2", "uint16", true),
  INT16("i2", "int16", true),
  UINT32("u4", "uint32", true),
  INT32("i4", "int32", true),
  UINT64("u8", "uint64", true),
  INT64("i8", "int64", true),
  FLOAT16("f2", "float16", false),
  FLOAT32("f4", "float32", false),
  FLOAT64("f8", "float64", false);

  private final String code;
  private final String numpyName;
  private final boolean integer;

  NpyType(String code, String numpyName, boolean integer) {
    this.code = code;
    this.numpyName = numpyName;
    this.integer = integer;
  }

  /** The type code in a {@code descr} without its byte-order character: {@code "f4"}. */
  public String code() {
    return code;
  }

  /** NumPy's name of the type: {@code "float32"}. */
  public String numpyName() {
    return numpyName;
  }

  /** Bytes per element. */
  public int size() {
    return code.charAt(1) - '0';
  }

  /** Whether the type holds integers (class labels may only be integers). */
  public boolean integer() {
    return integer;
  }

  /** The type with type code {@code code}, or null. */
  static NpyType ofCode(String code) {
    for (NpyType t : values()) {
      if (t.code.equals(code)) {
        return t;
      }
    }
    return null;
  }
}
