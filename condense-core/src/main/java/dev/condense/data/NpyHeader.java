package dev.condense.data;

import dev.condense.CondenseException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code .npy} header says: the element type and byte order ({@code descr}), whether the
 * data are in Fortran (column-major) order, and the shape. The header is the {@code repr} of a
 * Python dict with exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, as
 * NumPy's format description requires (numpy/lib/format.py; NEP 1, "A Simple File Format for NumPy
 * Arrays"). Types Condense cannot use — Python objects, structured records, strings, complex
 * numbers, dates — are refused here, before any data are read.
 *
 * @param type the element type
 * @param order the byte order of elements larger than one byte
 * @param fortranOrder whether the data are stored column-major
 * @param shape the dimensions; empty for a 0-d array
 */
record NpyHeader(NpyType type, ByteOrder order, boolean fortranOrder, int[] shape) {
  private static final Set<Object> KEYS = Set.of("descr", "fortran_order", "shape");

  /** Elements in the array: the product of the shape (1 for a 0-d array). */
  long count() {
    long n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The array as NumPy would describe it: {@code "a (2, 3) float32 array"}. */
  String describe() {
    return "a " + shapeText(shape) + " " + type.numpyName() + " array";
  }

  /** A shape as Python prints a tuple: {@code (2, 3)}, {@code (5,)}, {@code ()}. */
  static String shapeText(int[] shape) {
    StringBuilder b = new StringBuilder("(");
    for (int k = 0; k < shape.length; k++) {
      b.append(k == 0 ? "" : ", ").append(shape[k]);
    }
    return b.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** The header whose dict text is {@code text}; errors start with {@code name}, the file. */
  static NpyHeader parse(String text, String name) {
    Object literal;
    try {
      literal = PyLiteral.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CondenseException(name + ": corrupt .npy header (" + e.getMessage() + ")");
    }
    if (!(literal instanceof Map<?, ?> dict) || !dict.keySet().equals(KEYS)) {
      throw new CondenseException(name + ": corrupt .npy header: expected a dict of descr, fortran_order and shape, found "
          + abbreviated(text));
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new CondenseException(name + ": corrupt .npy header: fortran_order is not True or False");
    }
    Object descr = dict.get("descr");
    if (!(descr instanceof String d)) {
      throw new CondenseException(name + ": a structured dtype (fields " + fieldNames(descr)
          + "), which Condense does not read: save each field as its own numeric array");
    }
    return new NpyHeader(type(d, name), order(d, name), fortran, shape(dict.get("shape"), name));
  }

  private static NpyType type(String descr, String name) {
    String code = descr.length() > 1 && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
    NpyType t = NpyType.ofCode(code);
    if (t != null) {
      return t;
    }
    String what = switch (code.isEmpty() ? ' ' : code.charAt(0)) {
      case 'O' -> "object arrays hold pickled Python objects, which Condense does not read; save a numeric array";
      case 'U', 'S', 'a' -> "an array of strings, not numbers";
      case 'c' -> "complex numbers, which no model input takes";
      case 'M', 'm' -> "dates or time spans, not numbers";
      case 'V' -> "raw or structured records, which Condense does not read; save a plain numeric array";
      default -> "Condense reads bool, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float16, float32 "
          + "and float64";
    };
    throw new CondenseException(name + ": unsupported dtype '" + abbreviated(descr) + "': " + what);
  }

  private static ByteOrder order(String descr, String name) {
    char c = descr.charAt(0);
    if (c == '>') {
      return ByteOrder.BIG_ENDIAN;
    }
    if (c == '<' || ((c == '|' || Character.isLetter(c)) && NpyType.ofCode(descr.substring(c == '|' ? 1 : 0)).size() == 1)) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    throw new CondenseException(name + ": dtype '" + abbreviated(descr) + "' has no byte order NumPy writes ('<' or '>' for "
        + "types larger than one byte)");
  }

  private static int[] shape(Object value, String name) {
    if (!(value instanceof PyLiteral.Tuple tuple)) {
      throw new CondenseException(name + ": corrupt .npy header: shape " + value + " is not a tuple");
    }
    List<Object> items = tuple.items();
    int[] shape = new int[items.size()];
    for (int k = 0; k < shape.length; k++) {
      if (!(items.get(k) instanceof BigInteger d) || d.signum() < 0 || d.bitLength() > 31) {
        throw new CondenseException(name + ": corrupt .npy header: dimension " + k + " of the shape is "
            + items.get(k) + ", not a count from 0 to " + Integer.MAX_VALUE);
      }
      shape[k] = d.intValue();
    }
    return shape;
  }

  /** The field names of a structured descr, a list of (name, type[, shape]) tuples. */
  private static String fieldNames(Object descr) {
    StringBuilder b = new StringBuilder();
    if (descr instanceof List<?> fields) {
      for (Object f : fields) {
        if (f instanceof PyLiteral.Tuple t && !t.items().isEmpty()) {
          b.append(b.length() == 0 ? "" : ", ").append(t.items().get(0));
        }
      }
    }
    return b.length() == 0 ? "unnamed" : abbreviated(b.toString());
  }

  private static String abbreviated(String text) {
    String t = text.strip();
    t = t.length() <= 80 ? t : t.substring(0, 77) + "...";
    // the header is file content: its newlines and control characters must not reach the message
    return dev.condense.OneLine.of(t);
  }
}
