package dev.condense.cli;

/**
 * Makes an error message safe to print as one line of a terminal: newlines, other control
 * characters and Unicode bidirectional overrides (which can make a file name display as something
 * else) are written as escapes, and a very long message — a 70,000-character tensor name — is cut
 * with a note of how much was left out.
 */
final class ErrorLine {
  /** Longest message printed whole, in characters. */
  static final int MAX = 1000;

  private ErrorLine() {}

  static String of(String message) {
    String m = message == null ? "" : message;
    StringBuilder b = new StringBuilder(Math.min(m.length(), MAX) + 16);
    int shown = 0;
    for (int i = 0; i < m.length() && shown < MAX; i++, shown++) {
      char c = m.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c) || isBidiControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (shown < m.length()) {
      b.append("... (").append(m.length() - shown).append(" more characters)");
    }
    return b.toString();
  }

  private static boolean isBidiControl(char c) {
    return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
        || c == '\u061c';
  }
}
