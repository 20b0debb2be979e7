package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Einsum equation read for given operand ranks (ONNX Einsum-12): one letter per axis of
 * each operand, "..." standing for the same leading-or-middle axes in every operand, and the
 * output's letters after "->" or, without it, the letters used once in alphabetical order after
 * the ellipsis axes (numpy's implicit mode). The ellipsis axes get private letters (digits), so
 * the engine computes every equation on letters only: a sum over the letters an operand alone
 * has, a permutation, a batched matrix product over the shared ones. A letter repeated within
 * one operand (a diagonal) is refused, naming the node and the equation.
 *
 * @param operands each operand's letters, one per axis
 * @param output the output's letters
 */
public record EinsumEquation(List<String> operands, String output) {

  /** The equation of node {@code n} for operands of these ranks. */
  public static EinsumEquation of(Node n, int[] ranks) {
    String eq = n.stringAttr("equation", "").replace(" ", "");
    String where = "node " + n.label() + ": Einsum equation '" + eq + "'";
    int arrow = eq.indexOf("->");
    String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
    String[] terms = lhs.split(",", -1);
    if (terms.length != ranks.length) {
      throw new CondenseException(where + " names " + terms.length + " operands, the node has " + ranks.length);
    }
    int ellipsis = -1;
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      String t = terms[i];
      int letters = t.replace("...", "").length();
      int e = t.contains("...") ? ranks[i] - letters : 0;
      if (e < 0 || (!t.contains("...") && letters != ranks[i])) {
        throw new CondenseException(where + ": operand " + i + " has rank " + ranks[i] + ", the equation gives it "
            + letters + " letters");
      }
      if (t.contains("...")) {
        if (ellipsis >= 0 && ellipsis != e) {
          throw new CondenseException(where + ": '...' stands for " + ellipsis + " and " + e
              + " axes; Condense does not broadcast ellipsis axes");
        }
        ellipsis = e;
      }
      ops.add(expand(t, e, where));
    }
    String out;
    if (arrow >= 0) {
      out = expand(eq.substring(arrow + 2), Math.max(ellipsis, 0), where);
    } else {
      out = implicit(ops, Math.max(ellipsis, 0));
    }
    for (String t : ops) {
      for (int j = 0; j < t.length(); j++) {
        if (t.indexOf(t.charAt(j)) != j) {
          throw new CondenseException(where + " repeats index '" + t.charAt(j)
              + "' within one operand (a diagonal), which Condense does not compute");
        }
      }
    }
    for (int j = 0; j < out.length(); j++) {
      char c = out.charAt(j);
      if (out.indexOf(c) != j || ops.stream().noneMatch(t -> t.indexOf(c) >= 0)) {
        throw new CondenseException(where + ": output index '" + c + "' is repeated or in no operand");
      }
    }
    return new EinsumEquation(List.copyOf(ops), out);
  }

  /** The term with "..." replaced by {@code e} private letters '0', '1', ... */
  private static String expand(String t, int e, String where) {
    for (char c : t.replace("...", "").toCharArray()) {
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        throw new CondenseException(where + ": '" + c + "' is not an index letter");
      }
    }
    StringBuilder dots = new StringBuilder();
    for (int i = 0; i < e; i++) {
      dots.append((char) ('0' + i));
    }
    return t.replace("...", dots);
  }

  /** numpy's implicit output: the ellipsis axes, then the letters used exactly once, sorted. */
  private static String implicit(List<String> ops, int ellipsis) {
    Map<Character, Integer> counts = new LinkedHashMap<>();
    for (String t : ops) {
      for (char c : t.toCharArray()) {
        counts.merge(c, 1, Integer::sum);
      }
    }
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < ellipsis; i++) {
      r.append((char) ('0' + i));
    }
    char[] once = counts.entrySet().stream().filter(e -> e.getValue() == 1 && !Character.isDigit(e.getKey()))
        .map(e -> String.valueOf(e.getKey())).reduce("", String::concat).toCharArray();
    Arrays.sort(once);
    return r.append(once).toString();
  }

  /** The size of every letter, checked to agree across operands. */
  public Map<Character, Integer> sizes(Node n, List<int[]> shapes) {
    Map<Character, Integer> s = new LinkedHashMap<>();
    for (int i = 0; i < operands.size(); i++) {
      String t = operands.get(i);
      for (int j = 0; j < t.length(); j++) {
        Integer old = s.putIfAbsent(t.charAt(j), shapes.get(i)[j]);
        if (old != null && old != shapes.get(i)[j]) {
          throw new CondenseException("node " + n.label() + ": Einsum index '" + t.charAt(j) + "' has sizes " + old
              + " and " + shapes.get(i)[j] + "; Condense does not broadcast Einsum operands");
        }
      }
    }
    return s;
  }

  /** The output shape for operands of these shapes. */
  public int[] outputShape(Node n, List<int[]> shapes) {
    Map<Character, Integer> s = sizes(n, shapes);
    return output.chars().map(c -> s.get((char) c)).toArray();
  }
}
