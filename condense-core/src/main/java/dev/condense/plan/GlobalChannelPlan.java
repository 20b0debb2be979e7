package dev.condense.plan;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.ops.OpTable;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Thinning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Splits one target across layers by a global ranking (as DepGraph's global pruning does, Fang
 * et al. 2023 §3.3): every channel of every candidate group is scored, each group's scores are
 * divided by their mean so that wide and narrow, deep and shallow groups compare, and the
 * lowest-ranked channels go first — a group never below its {@link ChannelFloor}. How many go is
 * the smallest number whose thinned model meets the target: a binary search over the ranking,
 * each probe measured on the model {@link Thinning} makes (so multiply-adds behind Concats,
 * depthwise layers and residual streams count exactly as the written model will).
 */
public final class GlobalChannelPlan {
  private GlobalChannelPlan() {}

  /**
   * The groups a global plan may cut: prunable, more than one channel, made only by layers
   * (Conv, Gemm, MatMul with a weight) — residual streams included, their producers cut together.
   */
  public static List<ChannelGroup> candidates(Model model) {
    List<ChannelGroup> out = new ArrayList<>();
    for (ChannelGroup g : ChannelGroups.of(model)) {
      boolean layers = !g.producers().isEmpty()
          && g.producers().stream().allMatch(p -> OpTable.standard().op(model.graph().node(p)).kind().isLayer());
      if (g.prunable() && g.size() > 1 && layers) {
        out.add(g);
      }
    }
    return out;
  }

  /** One rankable block of channels (one channel but behind grouped Convs): its group, rank and normalised score. */
  private record Entry(int group, int rank, double score) {}

  /**
   * The plan for {@code target} over {@code candidates} (prunable groups of {@code model}).
   *
   * @param scores per group one score per channel (larger: more important); groups without
   *     scores are left whole
   * @param measure counts the target's cost of a model
   */
  public static ChannelPlan plan(Model model, List<ChannelGroup> candidates, Map<ChannelGroup, double[]> scores,
      Target target, Measure measure, ChannelFloor floor) {
    return plan(model, candidates, scores, target, measure, floor, null, 1);
  }

  /**
   * As above, the kept counts steered by {@code table} (null: none): every probe of the search
   * moves each group's count up to the one {@link LatencyTable#favoured} picks within
   * {@code reach} — a count the runtime runs faster, never slower by the table — and is then
   * measured, so the search removes more of the ranking elsewhere to pay for the channels a
   * move keeps, and the plan it returns meets the target as measured after the moves. Where the
   * moved counts cannot reach a target the plain counts reach (the floors moved up too), the plain
   * plan is returned: the table never costs the target.
   */
  public static ChannelPlan plan(Model model, List<ChannelGroup> candidates, Map<ChannelGroup, double[]> scores,
      Target target, Measure measure, ChannelFloor floor, LatencyTable table, int reach) {
    if (measure.kind() != target.measure()) {
      throw new IllegalArgumentException("a " + measure.kind() + " measure for a " + target.measure() + " target");
    }
    List<ChannelGroup> groups = new ArrayList<>();
    List<int[]> order = new ArrayList<>();
    List<Entry> ranking = new ArrayList<>();
    for (ChannelGroup g : candidates) {
      double[] s = scores.get(g);
      if (s == null || !g.prunable()) {
        continue;
      }
      if (s.length != g.size()) {
        throw new IllegalArgumentException(g.name() + ": " + s.length + " scores for " + g.size() + " channels");
      }
      // A group behind a grouped Conv loses whole blocks of unit() channels: rank the blocks.
      int unit = g.unit();
      double[] block = new double[g.size() / unit];
      for (int c = 0; c < block.length * unit; c++) {
        block[c / unit] += s[c] / unit;
      }
      int gi = groups.size();
      groups.add(g);
      int[] o = ascending(block);
      order.add(o);
      double mean = Arrays.stream(s).map(Math::abs).average().orElse(0);
      int removable = block.length - fewest(g, floor) / unit;
      for (int r = 0; r < removable; r++) {
        ranking.add(new Entry(gi, r, mean == 0 ? 0 : block[o[r]] / mean));
      }
    }
    ranking.sort(Comparator.comparingDouble(Entry::score).thenComparingInt(Entry::group).thenComparingInt(Entry::rank));
    double before = measure.of(model);
    Ranked r = new Ranked(groups, order, ranking, floor);
    ChannelPlan steered = table == null ? null : search(model, target, measure, before, r, table, reach);
    if (steered != null && steered.reached()) {
      return steered;
    }
    return search(model, target, measure, before, r, null, reach);
  }

  /** The groups, each one's channel order, the global ranking and the floor: what a probe's rows are made from. */
  private record Ranked(List<ChannelGroup> groups, List<int[]> order, List<Entry> ranking, ChannelFloor floor) {}

  /** The binary search for the fewest ranked channels to remove, each probe's counts steered by {@code table} (or not). */
  private static ChannelPlan search(Model model, Target target, Measure measure, double before, Ranked r,
      LatencyTable table, int reach) {
    double goal = target.fraction() * before;
    // The cost falls (weakly) as k grows: each group's removals only grow, alignment rounds up,
    // and a table's move is non-decreasing in the count it moves.
    int lo = 0;
    int hi = r.ranking().size();
    double atHi = cost(model, measure, rows(r, hi, table, reach));
    if (atHi > goal) {
      return new ChannelPlan(target, before, atHi, false, rows(r, hi, table, reach), table);
    }
    double best = atHi;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      double c = cost(model, measure, rows(r, mid, table, reach));
      if (c <= goal) {
        hi = mid;
        best = c;
      } else {
        lo = mid + 1;
      }
    }
    return new ChannelPlan(target, before, best, true, rows(r, hi, table, reach), table);
  }

  /** The plan that removes the first {@code k} channels of the ranking (then aligned, then moved by the table). */
  private static List<ChannelPlan.Row> rows(Ranked r, int k, LatencyTable table, int reach) {
    List<ChannelGroup> groups = r.groups();
    List<int[]> order = r.order();
    List<Entry> ranking = r.ranking();
    ChannelFloor floor = r.floor();
    int[] taken = new int[groups.size()];
    for (int i = 0; i < k; i++) {
      taken[ranking.get(i).group()]++;
    }
    List<ChannelPlan.Row> out = new ArrayList<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      ChannelGroup g = groups.get(gi);
      int unit = g.unit();
      int kept = floor.keep(g.size(), g.size() - taken[gi] * unit);
      kept = Math.min(g.size(), (kept + unit - 1) / unit * unit);
      int ranked = kept;
      if (table != null) {
        kept = table.favoured(g, kept, reach);
      }
      int[] blocks = order.get(gi);
      int[] remove = new int[g.size() - kept];
      for (int i = 0; i < remove.length; i++) {
        remove[i] = blocks[i / unit] * unit + i % unit;
      }
      Arrays.sort(remove);
      out.add(new ChannelPlan.Row(g, fewest(g, floor), remove, ranked));
    }
    return out;
  }

  /** The fewest channels {@code g} keeps: its floor, in whole units. */
  static int fewest(ChannelGroup g, ChannelFloor floor) {
    int unit = g.unit();
    return Math.min(g.size(), (floor.minimum(g.size()) + unit - 1) / unit * unit);
  }

  private static double cost(Model model, Measure measure, List<ChannelPlan.Row> rows) {
    Map<ChannelGroup, int[]> remove = ChannelPlan.removals(rows);
    if (remove.isEmpty()) {
      return measure.of(model);
    }
    try {
      return measure.of(Thinning.apply(model, remove));
    } catch (CondenseException e) {
      throw new CondenseException("planning: " + e.getMessage());
    }
  }

  /** Channel indices by ascending score, ties by index. */
  private static int[] ascending(double[] s) {
    Integer[] o = new Integer[s.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = i;
    }
    Arrays.sort(o, (a, b) -> s[a] != s[b] ? Double.compare(s[a], s[b]) : Integer.compare(a, b));
    return Arrays.stream(o).mapToInt(Integer::intValue).toArray();
  }
}
