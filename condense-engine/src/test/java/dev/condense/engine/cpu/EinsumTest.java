package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Einsum in the forms exporters write (attention, projections, sums over one operand's letters,
 * outer products, the implicit output, "...") against a float64 reference that loops over every
 * letter (no permutation, no GEMM: independent of the kernel), and backward against central
 * differences of it. Diagonals are refused in one line naming the node and the equation.
 */
class EinsumTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bhqd,bhkd->bhqk; 2x2x3x4, 2x2x5x4; 2x2x3x5",
      "bhqk,bhkd->bhqd; 2x2x3x5, 2x2x5x4; 2x2x3x4",
      "bij,jk->bik; 2x3x4, 4x5; 2x3x5",
      "abc,cd->bd; 2x3x4, 4x2; 3x2",
      "bi,bj->bij; 2x3, 2x4; 2x3x4",
      "ij,jk; 2x3, 3x4; 2x4",
      "...qd,...kd->...qk; 2x3x4, 2x5x4; 2x3x5",
      "bij->bji; 2x3x4; 2x4x3",
      "bij->bi; 2x3x4; 2x3",
  })
  void forwardAndBackwardMatchLetterLoops(String equation, String shapes, String out) {
    String[] parts = shapes.split(",");
    LinkedHashMap<String, Tensor> inputs = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(equation.hashCode());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      names.add("x" + i);
      inputs.put("x" + i, CentralDifference.random(r, dims(parts[i])));
    }
    Node n = new Node("einsum", "Einsum", names, List.of("y"),
        Map.of("equation", new Attribute.StringAttr(equation)));
    int[] outShape = dims(out);
    CentralDifference.check(List.of(n), inputs, "y", outShape, x -> reference(equation, inputs, x), 7);
  }

  @Test
  void diagonalsAreRefusedNamingNodeAndEquation() {
    Node n = new Node("diag", "Einsum", List.of("x"), List.of("y"), Map.of("equation", new Attribute.StringAttr("bii->bi")));
    Function<String, Tensor> none = v -> null;
    assertThatThrownBy(() -> OpTable.standard().op(n).infer(n, java.util.Arrays.asList(ValueType.floats(2, 3, 3)), none))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("diag").hasMessageContaining("'bii->bi'").hasMessageContaining("diagonal")
        .hasMessageNotContaining("\n");
  }

  @Test
  void mismatchedSizesAndRanksAreRefusedNamingTheNode() {
    Node n = new Node("att", "Einsum", List.of("a", "b"), List.of("y"), Map.of("equation", new Attribute.StringAttr("ij,jk->ik")));
    Function<String, Tensor> none = v -> null;
    assertThatThrownBy(() -> OpTable.standard().op(n).infer(n, java.util.Arrays.asList(ValueType.floats(2, 3), ValueType.floats(4, 5)), none))
        .isInstanceOf(CondenseException.class).hasMessageContaining("att").hasMessageContaining("'j'");
    assertThatThrownBy(() -> OpTable.standard().op(n).infer(n, java.util.Arrays.asList(ValueType.floats(2, 3, 1), ValueType.floats(3, 5)), none))
        .isInstanceOf(CondenseException.class).hasMessageContaining("att").hasMessageContaining("rank 3");
  }

  private static int[] dims(String s) {
    String[] p = s.trim().split("x");
    int[] d = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = Integer.parseInt(p[i].trim());
    }
    return d;
  }

  /** numpy einsum in float64 by a loop over every combination of letters (ellipsis: one letter here). */
  private static double[] reference(String equation, Map<String, Tensor> shapes, Map<String, double[]> x) {
    String eq = equation.replace("...", "E");
    String[] sides = eq.split("->");
    String[] terms = sides[0].split(",");
    String outLetters;
    if (sides.length > 1) {
      outLetters = sides[1];
    } else {
      outLetters = sides[0].chars().filter(c -> c != ',' && sides[0].indexOf(c) == sides[0].lastIndexOf(c)).sorted()
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
    Map<Character, Integer> size = new LinkedHashMap<>();
    List<int[]> operandShapes = new ArrayList<>(shapes.values().stream().map(Tensor::shape).toList());
    for (int i = 0; i < terms.length; i++) {
      for (int j = 0; j < terms[i].length(); j++) {
        size.put(terms[i].charAt(j), operandShapes.get(i)[j]);
      }
    }
    List<Character> letters = new ArrayList<>(size.keySet());
    int total = 1;
    for (char c : letters) {
      total *= size.get(c);
    }
    int outSize = 1;
    for (char c : outLetters.toCharArray()) {
      outSize *= size.get(c);
    }
    double[] y = new double[outSize];
    int[] at = new int[letters.size()];
    for (int e = 0; e < total; e++) {
      int rem = e;
      for (int l = letters.size() - 1; l >= 0; l--) {
        at[l] = rem % size.get(letters.get(l));
        rem /= size.get(letters.get(l));
      }
      double p = 1;
      for (int i = 0; i < terms.length; i++) {
        p *= x.get("x" + i)[offset(terms[i], letters, at, size)];
      }
      y[offset(outLetters, letters, at, size)] += p;
    }
    return y;
  }

  private static int offset(String term, List<Character> letters, int[] at, Map<Character, Integer> size) {
    int o = 0;
    for (char c : term.toCharArray()) {
      o = o * size.get(c) + at[letters.indexOf(c)];
    }
    return o;
  }
}
