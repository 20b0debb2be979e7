package dev.condense;

/**
 * Text from a file made safe for a one-line error message: control characters (newlines, tabs,
 * escapes) written as {@code \xNN}, so file content can never break the line or the terminal.
 */
public final class OneLine {
  private OneLine() {}

  /** {@code text} with every ISO control character escaped. */
  public static String of(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\x%02x", c) : Character.toString(c)));
    return b.toString();
  }
}
