package dev.condense.structure;

/**
 * A shape-like input (a Reshape's target, a Slice's starts or ends) that thinning replaces by a
 * constant: input {@code input} of node {@code node} becomes {@code spec} less {@code perRemoved[i]}
 * per channel the group loses, entry by entry. An exporter computes such inputs from the shapes at
 * run time (PyTorch's MultiheadAttention reshapes its Q to [T, B·heads, E / heads] with E the
 * embedding width, which does not shrink with the heads); the constant states what the thinned
 * model needs, with Reshape's 0 (copy the dim) and -1 (infer it) where a dim follows the batch.
 * The groups that share a node add their shrinks; the spec is the same for all.
 */
public record ShapeRewrite(String node, int input, long[] spec, long[] perRemoved) {

  public ShapeRewrite {
    if (spec.length != perRemoved.length) {
      throw new IllegalArgumentException("spec and perRemoved differ in length");
    }
    spec = spec.clone();
    perRemoved = perRemoved.clone();
  }

  /** A rewrite that does not depend on how many channels go. */
  static ShapeRewrite fixed(String node, int input, long[] spec) {
    return new ShapeRewrite(node, input, spec, new long[spec.length]);
  }

  @Override
  public long[] spec() {
    return spec.clone();
  }

  @Override
  public long[] perRemoved() {
    return perRemoved.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShapeRewrite r && r.node.equals(node) && r.input == input
        && java.util.Arrays.equals(r.spec, spec) && java.util.Arrays.equals(r.perRemoved, perRemoved);
  }

  @Override
  public int hashCode() {
    return (node.hashCode() * 31 + input) * 31 + java.util.Arrays.hashCode(spec) * 17 + java.util.Arrays.hashCode(perRemoved);
  }

  @Override
  public String toString() {
    return node + " input " + input + " = " + java.util.Arrays.toString(spec) + " - " + java.util.Arrays.toString(perRemoved) + " per channel";
  }
}
