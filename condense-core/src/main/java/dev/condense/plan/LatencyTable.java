package dev.condense.plan;

import dev.condense.graph.Model;
import dev.condense.ops.FixedBatch;
import dev.condense.structure.ChannelGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per candidate group, the tabled latency of every count the plan may keep: the sum of the median
 * times of the group's layers ({@link LayerModels}) with that count, each layer timed alone as a
 * one-layer model at the table's batch. Which counts: every count from the group's floor up to its
 * size in steps of the floor's alignment and the group's unit (the counts a plan can choose), so a
 * count the runtime runs slowly (57 channels, padded to 64 by a blocked kernel) stands next to the
 * counts around it. Layers of the same signature are timed once, and with a {@link LatencyCache}
 * a second build of the same model and setting times nothing.
 */
public final class LatencyTable {
  private final Map<ChannelGroup, TreeMap<Integer, Double>> ms;
  private final int batch;
  private final int timed;
  private final int cached;

  private LatencyTable(Map<ChannelGroup, TreeMap<Integer, Double>> ms, int batch, int timed, int cached) {
    this.ms = ms;
    this.batch = batch;
    this.timed = timed;
    this.cached = cached;
  }

  /**
   * The table of {@code groups} of {@code model} at {@code batch}, timed by {@code timer};
   * {@code cache} (null: none) supplies the layers timed before and keeps the new ones.
   */
  public static LatencyTable build(Model model, List<ChannelGroup> groups, ChannelFloor floor, int batch,
      LayerTimer timer, LatencyCache cache, Consumer<String> log) {
    Map<String, Double> known = cache == null ? new LinkedHashMap<>() : cache.read();
    Set<String> timedNow = new HashSet<>();
    Set<String> used = new HashSet<>();
    Map<ChannelGroup, TreeMap<Integer, Double>> out = new LinkedHashMap<>();
    for (ChannelGroup g : groups) {
      TreeMap<Integer, Double> row = new TreeMap<>();
      for (int c : counts(g, floor)) {
        double sum = 0;
        for (LayerModels.Layer l : LayerModels.of(model, g, c, batch)) {
          Double t = known.get(l.signature());
          if (t == null) {
            t = timer.ms(l.model());
            known.put(l.signature(), t);
            timedNow.add(l.signature());
          }
          used.add(l.signature());
          sum += t;
        }
        row.put(c, sum);
      }
      out.put(g, row);
    }
    int newly = timedNow.size();
    int fromCache = used.size() - newly;
    if (cache != null && newly > 0) {
      cache.write(known);
    }
    log.accept(String.format("  latency table: %d groups, %d layer shapes at batch %d: %d timed, %d from %s", out.size(),
        used.size(), batch, newly, fromCache, cache == null ? "no cache" : "the cache " + cache.file()));
    return new LatencyTable(out, batch, newly, fromCache);
  }

  /** The batch a table of {@code model} is timed at: the model's own where it declares a fixed one, else {@code batch}. */
  public static int batchOf(Model model, int batch) {
    int declared = FixedBatch.declared(model.graph());
    return declared > 0 ? declared : batch;
  }

  /** The counts tabled for {@code g}: from its floor to its size, in steps of the alignment and unit, and the size. */
  static List<Integer> counts(ChannelGroup g, ChannelFloor floor) {
    int step = lcm(g.unit(), floor.align());
    List<Integer> out = new ArrayList<>();
    for (int c = GlobalChannelPlan.fewest(g, floor); c < g.size(); c++) {
      if (c % step == 0) {
        out.add(c);
      }
    }
    out.add(g.size());
    return out;
  }

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  /** The tabled milliseconds of {@code g} keeping {@code count} channels, or NaN where not tabled. */
  public double ms(ChannelGroup g, int count) {
    TreeMap<Integer, Double> row = ms.get(g);
    Double v = row == null ? null : row.get(count);
    return v == null ? Double.NaN : v;
  }

  /**
   * The count {@code g} keeps instead of {@code kept}: among the tabled counts from {@code kept}
   * up to the next multiple of {@code reach} (never past the size), the one of lowest tabled
   * latency, the smallest of equals — {@code kept} itself unless a larger count is strictly
   * faster, so a move never costs tabled latency. Non-decreasing in {@code kept} (the window's top
   * only grows with it), so a plan's cost still falls as its ranking removes more.
   */
  public int favoured(ChannelGroup g, int kept, int reach) {
    TreeMap<Integer, Double> row = ms.get(g);
    if (row == null || !row.containsKey(kept)) {
      return kept;
    }
    int top = Math.min(g.size(), (kept + reach - 1) / reach * reach);
    int best = kept;
    for (Map.Entry<Integer, Double> e : row.subMap(kept, true, top, true).entrySet()) {
      if (e.getValue() < row.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  /** The batch the layers were timed at. */
  public int batch() {
    return batch;
  }

  /** Layer shapes timed for this table (0: all came from the cache). */
  public int timed() {
    return timed;
  }

  /** Layer shapes read from the cache. */
  public int cached() {
    return cached;
  }
}
