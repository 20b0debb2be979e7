package dev.condense.engine;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user's overrides of the rule that decides which float initializers train (the op table's
 * {@code TrainableTensors}): initializer names or glob patterns ({@code *} any run of characters,
 * {@code ?} one) to train although the rule freezes them, and to freeze although it trains them.
 * A pattern that matches no float initializer is an error naming it (a typo would otherwise
 * silently train everything), and so is a tensor matched by both lists.
 */
public record ParameterChoice(List<String> trainable, List<String> frozen) {
  /** No overrides: the rule alone. */
  public static final ParameterChoice NONE = new ParameterChoice(List.of(), List.of());

  public ParameterChoice {
    trainable = List.copyOf(trainable);
    frozen = List.copyOf(frozen);
    for (String p : trainable) {
      checkPattern(p, "trainable");
    }
    for (String p : frozen) {
      checkPattern(p, "frozen");
    }
  }

  /** From comma-separated pattern lists (null or blank: none). */
  public static ParameterChoice parse(String trainable, String frozen) {
    return new ParameterChoice(split(trainable), split(frozen));
  }

  /** Both choices together (a recipe's and the command line's). */
  public ParameterChoice and(ParameterChoice other) {
    List<String> t = new ArrayList<>(trainable);
    t.addAll(other.trainable);
    List<String> f = new ArrayList<>(frozen);
    f.addAll(other.frozen);
    return new ParameterChoice(new ArrayList<>(new LinkedHashSet<>(t)), new ArrayList<>(new LinkedHashSet<>(f)));
  }

  public boolean isNone() {
    return trainable.isEmpty() && frozen.isEmpty();
  }

  /**
   * The tensors to freeze: {@code ruleFrozen} (the rule's), less those matched by
   * {@link #trainable}, plus those matched by {@link #frozen}, among the model's float
   * initializers {@code floats}.
   */
  public Set<String> frozen(Collection<String> floats, Set<String> ruleFrozen) {
    Set<String> train = matches(trainable, floats, "trainable");
    Set<String> freeze = matches(frozen, floats, "frozen");
    for (String name : train) {
      if (freeze.contains(name)) {
        throw new CondenseException("'" + name + "' is matched both by the trainable patterns " + trainable
            + " and by the frozen patterns " + frozen);
      }
    }
    Set<String> r = new LinkedHashSet<>(ruleFrozen);
    r.removeAll(train);
    r.addAll(freeze);
    return r;
  }

  /** Refuses, naming it, a pattern that matches no float initializer of {@code g} (before any work). */
  public void check(Graph g) {
    List<String> floats = new ArrayList<>();
    g.initializers().forEach((name, t) -> {
      if (t.dtype() == DType.FLOAT) {
        floats.add(name);
      }
    });
    frozen(floats, Set.of());
  }

  private static Set<String> matches(List<String> patterns, Collection<String> floats, String what) {
    Set<String> r = new LinkedHashSet<>();
    for (String p : patterns) {
      Pattern re = glob(p);
      boolean any = false;
      for (String name : floats) {
        if (re.matcher(name).matches()) {
          r.add(name);
          any = true;
        }
      }
      if (!any) {
        throw new CondenseException(what + " pattern '" + p + "' matches no float initializer of the model"
            + (floats.isEmpty() ? " (it has none)" : " (they are: " + preview(floats) + ")"));
      }
    }
    return r;
  }

  private static String preview(Collection<String> names) {
    List<String> l = new ArrayList<>(names);
    return l.size() <= 8 ? String.join(", ", l) : String.join(", ", l.subList(0, 8)) + ", ... (" + l.size() + ")";
  }

  /** A glob as a regular expression: {@code *} any run, {@code ?} one character, the rest literal. */
  static Pattern glob(String p) {
    StringBuilder re = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (char c : p.toCharArray()) {
      if (c == '*' || c == '?') {
        if (lit.length() > 0) {
          re.append(Pattern.quote(lit.toString()));
          lit.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        lit.append(c);
      }
    }
    if (lit.length() > 0) {
      re.append(Pattern.quote(lit.toString()));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  private static void checkPattern(String p, String what) {
    if (p == null || p.isBlank()) {
      throw new CondenseException(what + ": an empty pattern (give initializer names or globs, comma-separated)");
    }
  }

  private static List<String> split(String csv) {
    List<String> r = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return r;
    }
    for (String part : csv.split(",", -1)) {
      r.add(part.strip());
    }
    return r;
  }
}
