package dev.condense.plan;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.prune.Apoz;
import dev.condense.prune.FilterNorms;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Slice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each channel of each group matters: one score per channel, larger is more important.
 * Scores of different groups need not be comparable — {@link GlobalChannelPlan} normalises each
 * group by its mean before ranking them together. The built-in criteria are below; a user's own
 * criterion is any implementation.
 */
@FunctionalInterface
public interface ChannelImportance {

  /** One score per channel of every group in {@code groups}. */
  Map<ChannelGroup, double[]> score(Model model, List<ChannelGroup> groups);

  /** Li et al. 2017 §3.1: the L1 norm of the filters that make the channel (summed over producers). */
  static ChannelImportance l1() {
    return (model, groups) -> {
      Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
      groups.forEach(g -> out.put(g, FilterNorms.scores(model, g, Map.of())));
      return out;
    };
  }

  /**
   * The L2 norm of every weight slice the channel owns — its producers' filters and biases,
   * normalisation parameters and the consumers' input columns — Torch-Pruning's group
   * magnitude importance: a channel matters as much as the weights that go with it.
   */
  static ChannelImportance l2() {
    return (model, groups) -> {
      Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
      for (ChannelGroup g : groups) {
        double[] sum = new double[g.size()];
        for (Slice s : g.slices()) {
          Tensor t = model.graph().initializer(s.tensor());
          if (t == null || t.rank() < 2 && s.role() == Slice.Role.PARAMETER) {
            continue; // BatchNorm statistics and scales are per-channel bookkeeping, not its weights
          }
          float[] w = t.floats();
          for (int j = 0; j < g.size(); j++) {
            int c = j;
            s.forEachIndex(t.shape(), j, i -> sum[c] += (double) w[i] * w[i]);
          }
        }
        for (int j = 0; j < sum.length; j++) {
          sum[j] = Math.sqrt(sum[j]);
        }
        out.put(g, sum);
      }
      return out;
    };
  }

  /**
   * First-order Taylor (Molchanov et al. 2019): |Σ g·w| over the weights the channel owns,
   * averaged over batches of {@code batch} of {@code samples} ({@link TaylorImportance}).
   */
  static ChannelImportance taylor(Engine engine, Dataset samples, int batch, long seed, Progress progress) {
    return new TaylorImportance(engine, samples, batch, seed, progress);
  }

  /**
   * He et al. 2017 / ThiNet: the error the next layers' sampled outputs get without the channel
   * ({@link ReconstructionImportance}).
   */
  static ChannelImportance reconstruction(Engine engine, Dataset samples, long seed, Progress progress) {
    return new ReconstructionImportance(engine, samples, seed, progress);
  }

  /**
   * Hu et al. 2016 §3: a channel that is zero after its ReLU on most samples (a high Average
   * Percentage of Zeros) matters little; the score is 1 − APoZ, measured on {@code samples}.
   */
  static ChannelImportance apoz(Engine engine, Dataset samples, Progress progress) {
    return (model, groups) -> {
      Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
      for (Apoz.Layer l : Apoz.measure(engine, model, samples, groups, progress)) {
        double[] s = new double[l.apoz().length];
        for (int j = 0; j < s.length; j++) {
          s[j] = 1 - l.apoz()[j];
        }
        out.put(l.group(), s);
      }
      return out;
    };
  }
}
