package dev.condense.pipeline;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.prune.Apoz;
import dev.condense.prune.FilterNorms;
import dev.condense.structure.ChannelAlignment;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Thinning;
import dev.condense.structure.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices of structured pruning — which channels of which groups go — for Network Trimming
 * and L1 filter pruning; {@link Pipeline} applies them with {@link Thinning} and retrains. Kept
 * apart from the pipeline so the sensitivity analysis and the CLI use the same selection.
 */
public final class StructuredPruning {
  private StructuredPruning() {}

  /** A group's layer name for reports and per-layer options: its producers joined by '+'. */
  public static String layer(ChannelGroup g) {
    return g.name();
  }

  /** Whether {@code name} names group {@code g}: its joined name or any of its producers. */
  static boolean names(ChannelGroup g, String name) {
    return g.name().equals(name) || g.producers().contains(name);
  }

  /** Conv groups L1 filter pruning may touch: prunable, made by Conv, single-producer unless streams. */
  public static List<ChannelGroup> filterCandidates(Model m, List<ChannelGroup> groups, boolean streams) {
    List<ChannelGroup> out = new ArrayList<>();
    for (ChannelGroup g : groups) {
      boolean conv = g.producers().stream().allMatch(p -> OpTable.standard().is(m.graph().node(p), Kind.CONVOLUTION));
      if (g.prunable() && conv && (streams || g.trunk().size() == 1) && g.size() > 1) {
        out.add(g);
      }
    }
    return out;
  }

  /**
   * Filters to remove so that each layer keeps ceil(original × (1 − ratio)^fraction) channels
   * (fraction 1: the target; r/rounds: round r of an iterative run), at least one.
   *
   * @param original each layer's channel count before the first round (null: the current counts)
   */
  public static Map<ChannelGroup, int[]> filters(Model m, Step.PruneFilters step, Map<String, Integer> original,
      double fraction) {
    List<ChannelGroup> groups = ChannelGroups.of(m);
    List<ChannelGroup> candidates = filterCandidates(m, groups, step.streams());
    for (String name : step.ratio().byLayer().keySet()) {
      if (candidates.stream().noneMatch(g -> names(g, name))) {
        ChannelGroup g = groups.stream().filter(x -> names(x, name)).findFirst().orElse(null);
        throw new CondenseException("prune-filters: " + (g == null ? "no layer named '" + name + "'"
            : "layer '" + name + "' cannot be filter-pruned: " + (g.prunable() ? (g.trunk().size() > 1
                ? "it is a residual stream (" + g.name() + "); allow streams to prune it" : "it is not a Conv layer")
                : "its channels cannot change (" + g.pinned() + ")")));
      }
    }
    Map<ChannelGroup, Integer> counts = new LinkedHashMap<>();
    for (ChannelGroup g : candidates) {
      Double r = step.ratio().byLayer().entrySet().stream().filter(e -> names(g, e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElse(step.ratio().dflt());
      if (r == null) {
        continue;
      }
      int before = original == null ? g.size() : original.getOrDefault(layer(g), g.size());
      int keep = Math.max(1, (int) Math.ceil(before * Math.pow(1 - r, fraction) - 1e-9));
      keep = ChannelAlignment.keep(g.size(), keep, step.align());
      counts.put(g, g.removable(Math.max(0, g.size() - keep)));
    }
    return FilterNorms.select(m, groups, counts, step.greedy());
  }

  /**
   * One Network Trimming choice: the trimmed layers' APoZ, the channels to remove and, per layer
   * that fell back to its highest-APoZ channels (or stopped), a line saying why.
   */
  public record TrimChoice(List<Apoz.Layer> measured, Map<ChannelGroup, int[]> remove, List<String> notes) {}

  /** Measures APoZ and picks the channels of the most idle layers (Hu et al. 2016, §3). */
  public static TrimChoice trim(Engine engine, Model m, Dataset samples, Step.Trim step, Progress progress) {
    List<ChannelGroup> groups = ChannelGroups.of(m);
    List<ChannelGroup> candidates = new ArrayList<>();
    for (ChannelGroup g : groups) {
      if (g.prunable() && g.size() > 1 && (step.layers().isEmpty() || step.layers().stream().anyMatch(n -> names(g, n)))) {
        candidates.add(g);
      }
    }
    for (String name : step.layers()) {
      if (candidates.stream().noneMatch(g -> names(g, name))) {
        throw new CondenseException("trim: no prunable layer named '" + name + "'");
      }
    }
    List<Apoz.Layer> layers = new ArrayList<>(Apoz.measure(engine, m, samples, candidates, progress));
    layers.sort((a, b) -> Double.compare(b.mean(), a.mean()));
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Apoz.Layer l : layers.subList(0, Math.min(step.layersPerIteration(), layers.size()))) {
      int size = l.apoz().length;
      int[] above = l.above(step.stds());
      if (above.length >= size) {
        above = java.util.Arrays.copyOf(above, size - 1);
      }
      if (above.length == 0) {
        double limit = l.mean() + step.stds() * l.std();
        String why = String.format(java.util.Locale.ROOT, "%s: no channel has APoZ above mean + %s std = %.1f%%%s",
            l.group().name(), step.stds(), 100 * limit, limit >= 1 ? " (above 100%, so none can)" : "");
        if (step.strict()) {
          throw new CondenseException("trim: " + why + "; lower --stds (stds), or drop --strict (strict) to trim the "
              + "highest-APoZ channels instead");
        }
        int n = Math.min(size - 1, (int) Math.ceil(step.fallback() * size - 1e-9));
        if (n > 0) {
          double[] negated = java.util.Arrays.stream(l.apoz()).map(a -> -a).toArray();
          above = FilterNorms.lowest(negated, n);
          why += "; trimming its " + n + " highest-APoZ channels instead (fallback " + step.fallback() + ")";
        }
        notes.add(why);
      }
      if (l.group().unit() > 1) {
        // Whole groups of a grouped Conv: the most idle blocks, as many channels as were above.
        double[] busy = java.util.Arrays.stream(l.apoz()).map(a -> -a).toArray();
        above = Units.lowest(busy, l.group().removable(above.length), l.group().unit());
      }
      if (above.length > 0) {
        remove.put(l.group(), above);
      }
    }
    return new TrimChoice(layers, remove, notes);
  }

  /** Channels per layer (group name → size) of the prunable groups, for iteration tables. */
  public static Map<String, Integer> channels(Model m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ChannelGroup g : ChannelGroups.of(m)) {
      if (g.prunable()) {
        out.put(layer(g), g.size());
      }
    }
    return out;
  }
}
