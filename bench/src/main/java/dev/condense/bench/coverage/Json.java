package dev.condense.bench.coverage;

import java.util.Map;

/** One flat JSON object on one line (strings, numbers; non-finite numbers as strings). */
final class Json {
  private Json() {}

  static String line(Map<String, Object> row) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(quote(e.getKey())).append(": ");
      Object v = e.getValue();
      boolean number = v instanceof Number n && Double.isFinite(n.doubleValue());
      b.append(number ? v.toString() : quote(String.valueOf(v)));
    }
    return b.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
