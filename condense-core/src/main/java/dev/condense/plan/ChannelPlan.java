package dev.condense.plan;

import dev.condense.structure.ChannelGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A global structured-pruning plan: per group the channels to remove, and what the thinned model
 * costs against the target.
 *
 * @param target what was asked for
 * @param before the original model's cost (the target's measure)
 * @param after the planned model's cost, measured on the thinned model
 * @param reached whether {@code after ≤ target.fraction() × before}; when false the plan removes
 *     all that the floors allow and still falls short
 * @param rows one per candidate group, in graph order
 * @param table the latency table that steered the kept counts, or null (none, or the steered plan
 *     missed the target and this is the plan without it)
 */
public record ChannelPlan(Target target, double before, double after, boolean reached, List<Row> rows,
    LatencyTable table) {

  public ChannelPlan {
    rows = List.copyOf(rows);
  }

  /** A plan no latency table steered. */
  public ChannelPlan(Target target, double before, double after, boolean reached, List<Row> rows) {
    this(target, before, after, reached, rows, null);
  }

  /**
   * One group of the plan.
   *
   * @param group the channel group
   * @param floor the fewest channels it could keep
   * @param remove the channels it loses, ascending (empty: it stays whole)
   * @param ranked how many the ranking (with floor and alignment) kept before a latency table
   *     moved the count up to one the runtime runs faster; {@link #kept()} without a table
   */
  public record Row(ChannelGroup group, int floor, int[] remove, int ranked) {
    public int kept() {
      return group.size() - remove.length;
    }

    /** Whether a latency table moved the count up from the ranking's. */
    public boolean moved() {
      return ranked != kept();
    }
  }

  /** The removals for {@link dev.condense.structure.Thinning#apply}. */
  public Map<ChannelGroup, int[]> removals() {
    return removals(rows);
  }

  static Map<ChannelGroup, int[]> removals(List<Row> rows) {
    Map<ChannelGroup, int[]> out = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.remove().length > 0) {
        out.put(r.group(), r.remove());
      }
    }
    return out;
  }

  /** The share of the original's cost the planned model keeps. */
  public double achieved() {
    return before == 0 ? 1 : after / before;
  }
}
