package dev.condense.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A small table that renders as aligned plain text (terminal) or as a Markdown table (reports
 * in {@code docs/}). Columns whose cells all look numeric are right-aligned.
 */
public final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  public TextTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(String.valueOf(c));
    }
    rows.add(r);
    return this;
  }

  private boolean numeric(int col) {
    for (List<String> r : rows) {
      String c = r.get(col).replace(",", "").replace("%", "").replace("×", "").trim();
      if (!c.isEmpty() && !c.equals("-") && !c.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?[a-zA-Z]*")) {
        return false;
      }
    }
    return true;
  }

  /** Plain text with columns padded to their widest cell. */
  public String toText() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, headers, width);
    for (int c = 0; c < width.length; c++) {
      sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    sb.append('\n');
    for (List<String> r : rows) {
      appendLine(sb, r, width);
    }
    return sb.toString();
  }

  private void appendLine(StringBuilder sb, List<String> cells, int[] width) {
    for (int c = 0; c < width.length; c++) {
      String s = cells.get(c);
      String pad = " ".repeat(width[c] - s.length());
      sb.append(c == 0 ? "" : "  ").append(numeric(c) && c > 0 ? pad + s : s + (c == width.length - 1 ? "" : pad));
    }
    sb.append('\n');
  }

  /** A GitHub-flavoured Markdown table. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n|");
    for (int c = 0; c < headers.size(); c++) {
      sb.append(numeric(c) && c > 0 ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }
}
