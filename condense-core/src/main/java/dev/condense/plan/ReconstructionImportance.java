package dev.condense.plan;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.prune.ChannelReconstruction;
import dev.condense.prune.ConvSamples;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.SharedTensors;
import dev.condense.structure.Slice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconstruction-error importance (He et al. 2017 §3.1, Luo et al. 2017 §3.2): a channel matters
 * as much as the next layer's output loses without it. For every 2-D Conv that reads the group,
 * input patches are sampled at {@link #PER_IMAGE} random locations of each calibration image (the
 * channel pruning commands' {@link ConvSamples}), and channel j scores the mean over samples of
 * x̂ⱼ², its contribution to one sampled output channel ({@link ChannelReconstruction#contributions})
 * squared: the squared error removing it alone adds to that output, summed over the readers.
 * A group with a reader that is not a plain 2-D Conv (a Gemm, a grouped Conv) is scored by the
 * L2 group magnitude instead, which {@link GlobalChannelPlan}'s per-group normalisation makes
 * comparable.
 */
final class ReconstructionImportance implements ChannelImportance {
  /** Sampled locations per image (ThiNet uses 10 per image on ImageNet). */
  static final int PER_IMAGE = 10;

  private final Engine engine;
  private final Dataset samples;
  private final long seed;
  private final Progress progress;

  ReconstructionImportance(Engine engine, Dataset samples, long seed, Progress progress) {
    this.engine = engine;
    this.samples = samples;
    this.seed = seed;
    this.progress = progress;
  }

  @Override
  public Map<ChannelGroup, double[]> score(Model model, List<ChannelGroup> groups) {
    Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
    Map<ChannelGroup, double[]> magnitude = ChannelImportance.l2().score(model, groups);
    SharedTensors stored = SharedTensors.of(model);
    for (ChannelGroup g : groups) {
      List<Slice> reads = g.slices().stream().filter(s -> s.role() == Slice.Role.CONSUMER).toList();
      List<Node> readers = g.consumers().stream().map(model.graph()::node)
          .filter(n -> n.inputs().size() > 1 && reads.stream().anyMatch(s -> s.tensor().equals(stored.root(n.input(1))))).toList();
      boolean convs = !reads.isEmpty() && readers.size() == reads.size() && readers.stream().allMatch(n -> plainConv(stored, n))
          && reads.stream().allMatch(s -> s.axis() == 1 && s.block() == 1);
      if (!convs) {
        out.put(g, magnitude.get(g));
        continue;
      }
      double[] score = new double[g.size()];
      for (Node n : readers) {
        String c = n.name();
        float[] w = stored.tensor(n.input(1)).floats();
        int outs = stored.tensor(n.input(1)).dim(0);
        ConvSamples x = ConvSamples.take(engine, model, samples, c, samples.size(), PER_IMAGE, seed, true, progress);
        float[] xhat = ChannelReconstruction.contributions(x, w, outs, seed);
        int offset = reads.stream().filter(s -> s.tensor().equals(stored.root(n.input(1)))).findFirst().orElseThrow().offset();
        for (int i = 0; i < x.samples(); i++) {
          for (int j = 0; j < g.size(); j++) {
            double v = xhat[i * x.channels() + offset + j];
            score[j] += v * v / x.samples();
          }
        }
      }
      out.put(g, score);
    }
    return out;
  }

  private static boolean plainConv(SharedTensors stored, Node n) {
    return OpTable.standard().is(n, Kind.CONVOLUTION) && n.intAttr("group", 1) == 1
        && stored.tensor(n.input(1)) != null && stored.tensor(n.input(1)).rank() == 4;
  }
}
