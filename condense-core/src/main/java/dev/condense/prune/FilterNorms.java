package dev.condense.prune;

import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Slice;
import dev.condense.structure.Units;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Li et al. 2017's filter scores and selection (§3.1–3.2): a filter's score is the sum of the
 * absolute values of its kernel weights (its L1 norm); in each layer the filters with the
 * smallest scores go, together with their feature maps, the BatchNorm entries and the next
 * layer's kernels that read them (the channel group's slices).
 *
 * <p>Independent selection scores every layer on the full model. Greedy selection (§3.2) walks
 * the layers in order and leaves out of each filter's sum the kernels that read feature maps
 * already chosen for removal in earlier layers.
 *
 * <p>A group with several producers (a residual stream) is scored by its 1×1 projection
 * shortcuts when it has any — the block's second layer follows the shortcut's indices (§4.2) —
 * else by the sum over its producers.
 */
public final class FilterNorms {
  private FilterNorms() {}

  /** L1 score of each channel of {@code g}, ignoring input channels set in {@code excluded} per weight tensor. */
  public static double[] scores(Model m, ChannelGroup g, Map<String, BitSet> excluded) {
    List<Slice> filters = new ArrayList<>();
    for (Slice s : g.slices()) {
      Tensor t = m.graph().initializer(s.tensor());
      if (s.role() == Slice.Role.PRODUCER && t != null && t.rank() >= 2) {
        filters.add(s);
      }
    }
    List<Slice> projections = filters.stream().filter(s -> isPointwise(m.graph().initializer(s.tensor()))).toList();
    if (g.trunk().size() > 1 && !projections.isEmpty()) {
      filters = projections;
    }
    double[] score = new double[g.size()];
    for (Slice s : filters) {
      Tensor t = m.graph().initializer(s.tensor());
      float[] w = t.floats();
      if (s.axis() != 0) {
        // A [in, out] weight (MatMul, Gemm with transB = 0): the whole slice, no greedy exclusion.
        for (int j = 0; j < g.size(); j++) {
          double[] sum = {0};
          s.forEachIndex(t.shape(), j, i -> sum[0] += Math.abs(w[i]));
          score[j] += sum[0];
        }
        continue;
      }
      int[] shape = t.shape();
      int perFilter = w.length / shape[0];
      int inner = perFilter / shape[1];
      BitSet skip = excluded.getOrDefault(s.tensor(), new BitSet());
      for (int j = 0; j < g.size(); j++) {
        double sum = 0;
        for (int f = s.start(j); f < s.start(j) + s.block(); f++) {
          for (int c = 0; c < shape[1]; c++) {
            if (skip.get(c)) {
              continue;
            }
            int base = f * perFilter + c * inner;
            for (int k = 0; k < inner; k++) {
              sum += Math.abs(w[base + k]);
            }
          }
        }
        score[j] += sum;
      }
    }
    return score;
  }

  private static boolean isPointwise(Tensor w) {
    int[] s = w.shape();
    return s.length == 4 && s[2] == 1 && s[3] == 1;
  }

  /**
   * The channels to remove from each group: {@code counts.get(g)} of the lowest-scoring ones
   * (ties: the lower index goes first), chosen independently or greedily, in the groups' order.
   */
  public static Map<ChannelGroup, int[]> select(Model m, List<ChannelGroup> groups, Map<ChannelGroup, Integer> counts,
      boolean greedy) {
    Map<ChannelGroup, int[]> out = new LinkedHashMap<>();
    Map<String, BitSet> excluded = new HashMap<>();
    for (ChannelGroup g : groups) {
      int n = counts.getOrDefault(g, 0);
      if (n <= 0) {
        continue;
      }
      double[] score = scores(m, g, greedy ? excluded : Map.of());
      int[] chosen = Units.lowest(score, n, g.unit());
      out.put(g, chosen);
      if (greedy) {
        for (Slice s : g.slices()) {
          if (s.role() == Slice.Role.CONSUMER && s.axis() == 1) {
            BitSet b = excluded.computeIfAbsent(s.tensor(), k -> new BitSet());
            for (int c : chosen) {
              b.set(s.start(c), s.start(c) + s.block());
            }
          }
        }
      }
    }
    return out;
  }

  /** Indices of the {@code n} smallest values, ascending by index (ties: the lower index). */
  public static int[] lowest(double[] score, int n) {
    return Units.lowest(score, n, 1);
  }
}
