package dev.condense.data;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few Python literals a {@code .npy} header is made of, read without running Python: NumPy
 * writes the header as {@code repr} of a dict and reads it back with {@code ast.literal_eval}
 * (numpy/lib/format.py, {@code _read_array_header}). Strings (single or double quotes, with
 * backslash escapes), integers (with Python 2's {@code L} suffix, as old files have it),
 * {@code True}/{@code False}/{@code None}, tuples, lists and dicts. A tuple is a {@link Tuple}, a
 * list a {@link List}, a dict a {@link Map}; anything else is an {@link IllegalArgumentException}
 * with what was found and where.
 */
final class PyLiteral {
  /** A Python tuple, kept apart from a list: a shape is a tuple, a structured dtype a list. */
  record Tuple(List<Object> items) {}

  private final String s;
  private int at;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** The one literal {@code text} holds (whitespace around it allowed). */
  static Object parse(String text) {
    PyLiteral p = new PyLiteral(text);
    Object v = p.value();
    p.space();
    if (p.at < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.at) + "' after the literal");
    }
    return v;
  }

  private Object value() {
    space();
    if (at >= s.length()) {
      throw error("the text ends where a value should be");
    }
    char c = s.charAt(at);
    if (c == '\'' || c == '"') {
      return string(c);
    }
    if (c == '{') {
      at++;
      Map<Object, Object> map = new LinkedHashMap<>();
      while (!closes('}')) {
        Object key = value();
        expect(':');
        map.put(key, value());
        if (!comma('}')) {
          break;
        }
      }
      expect('}');
      return map;
    }
    if (c == '(' || c == '[') {
      at++;
      char close = c == '(' ? ')' : ']';
      List<Object> items = new ArrayList<>();
      boolean trailingComma = false;
      while (!closes(close)) {
        items.add(value());
        trailingComma = comma(close);
        if (!trailingComma) {
          break;
        }
      }
      expect(close);
      if (c == '(' && items.size() == 1 && !trailingComma) {
        return items.get(0); // (x) is x in Python; a one-tuple is (x,)
      }
      return c == '(' ? new Tuple(items) : items;
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) {
      return integer();
    }
    if (word("True")) {
      return Boolean.TRUE;
    }
    if (word("False")) {
      return Boolean.FALSE;
    }
    if (word("None")) {
      return null;
    }
    throw error("unexpected '" + c + "'");
  }

  private boolean word(String w) {
    if (s.startsWith(w, at)) {
      at += w.length();
      return true;
    }
    return false;
  }

  private BigInteger integer() {
    int start = at;
    if (s.charAt(at) == '-' || s.charAt(at) == '+') {
      at++;
    }
    while (at < s.length() && Character.isDigit(s.charAt(at))) {
      at++;
    }
    String digits = s.substring(start, at);
    if (at < s.length() && (s.charAt(at) == 'L' || s.charAt(at) == 'l')) {
      at++;
    }
    if (at < s.length() && (s.charAt(at) == '.' || s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
      throw error("a number that is not an integer");
    }
    try {
      return new BigInteger(digits);
    } catch (NumberFormatException e) {
      throw error("'" + digits + "' is not a number");
    }
  }

  private String string(char quote) {
    StringBuilder b = new StringBuilder();
    at++;
    while (at < s.length() && s.charAt(at) != quote) {
      char c = s.charAt(at++);
      if (c == '\\' && at < s.length()) {
        char e = s.charAt(at++);
        b.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else {
        b.append(c);
      }
    }
    if (at >= s.length()) {
      throw error("a string that is not closed");
    }
    at++;
    return b.toString();
  }

  /** After an item: true if a comma followed (more items may come), false at {@code close}. */
  private boolean comma(char close) {
    space();
    if (at < s.length() && s.charAt(at) == ',') {
      at++;
      return true;
    }
    if (at < s.length() && s.charAt(at) == close) {
      return false;
    }
    throw error(at >= s.length() ? "the text ends where ',' or '" + close + "' should be"
        : "expected ',' or '" + close + "'");
  }

  private boolean closes(char close) {
    space();
    return at < s.length() && s.charAt(at) == close;
  }

  private void expect(char c) {
    space();
    if (at >= s.length() || s.charAt(at) != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private void space() {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + (at >= s.length() ? "" : " at character " + at));
  }
}
