package dev.condense.pipeline;

import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Arithmetic;
import dev.condense.ops.BinaryMath;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.prune.ChannelReconstruction;
import dev.condense.prune.ConvSamples;
import dev.condense.prune.FilterNorms;
import dev.condense.prune.ThiNetSelection;
import dev.condense.report.ModelSummary;
import dev.condense.structure.ChannelAlignment;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.SharedTensors;
import dev.condense.structure.Thinning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Channel pruning layer by layer, front to back, by one of four selections — the data-driven
 * ones of He et al. 2017 and Luo et al. 2017 (ThiNet), and the data-free L1 norm (Li et al. 2017)
 * and random choice they are measured against. A layer is pruned through the next one: the
 * channels a Conv makes are the input channels of the Conv that reads them, so only groups with
 * one Conv producer and one ungrouped Conv consumer are candidates — in a VGG every conv layer
 * but the last, in a ResNet the inner layers of each block (ThiNet's ResNet mode). He's method
 * fits a block's last layer to the original output plus the drift of the shortcut, so the block's
 * sum, not only its branch, stays close to the original network's (He et al. §4.1).
 */
public final class ChannelPruning {
  private static final OpTable OPS = OpTable.standard();

  /** How the kept channels are chosen and whether the consumer's weights are rebuilt. */
  public enum Method {
    /** LASSO selection + least-squares re-fit to the original network's outputs (He et al. 2017). */
    HE,
    /** Greedy selection by layer i+1's sampled outputs + least-squares scaling (Luo et al. 2017). */
    THINET,
    /** Smallest L1 norm of the producer's filters, no reconstruction (Li et al. 2017). */
    L1,
    /** Seeded random channels, no reconstruction: the baseline. */
    RANDOM;

    /** The method named he, thinet, l1 or random (any case), or null. */
    public static Method parse(String name) {
      for (Method m : values()) {
        if (m.name().equalsIgnoreCase(name)) {
          return m;
        }
      }
      return null;
    }
  }

  /** How many calibration images to sample and how many locations in each. */
  public record Sampling(int images, int perImage) {}

  /** One pruned layer: its channel count before and after and the samples' size in bytes. */
  public record Layer(String layer, int before, int after, long sampleBytes) {}

  private ChannelPruning() {}

  /** The groups channel pruning can cut in {@code m}, in graph order. */
  public static List<ChannelGroup> candidates(Model m) {
    Graph g = m.graph();
    SharedTensors stored = SharedTensors.of(m);
    List<ChannelGroup> out = new ArrayList<>();
    for (ChannelGroup grp : ChannelGroups.of(m)) {
      if (!grp.prunable() || grp.producers().size() != 1 || grp.size() < 2 || !grp.depthwise().isEmpty()) {
        continue;
      }
      Node p = g.node(grp.producers().get(0));
      List<String> readers = readers(m, grp);
      if (OPS.is(p, Kind.CONVOLUTION) && readers.size() == 1) {
        Node c = g.node(readers.get(0));
        // The reader must take these channels alone: behind a Concat (SqueezeNet's fire modules)
        // it reads other groups' channels too, which the reconstruction cannot tell apart.
        if (OPS.is(c, Kind.CONVOLUTION) && c.intAttr("group", 1) == 1
            && stored.tensor(c.input(1)).dim(1) == grp.size()) {
          out.add(grp);
        }
      }
    }
    return out;
  }

  /** The group's consumers that compute with its channels: all but the BatchNormalizations on the way. */
  private static List<String> readers(Model m, ChannelGroup grp) {
    return grp.consumers().stream().filter(c -> !OPS.is(m.graph().node(c), Kind.NORMALIZATION)).toList();
  }

  /**
   * Prunes every candidate layer to {@code keep} of its channels (at least one).
   *
   * @param original the trained model
   * @param calibration the images samples are taken from (the paper's: training images)
   * @param keep the share of channels each layer keeps, by producer name (none: the layer stays)
   * @param align kept counts are rounded to a multiple of this (1: exact; {@link ChannelAlignment})
   * @param seed for the sampled locations, ThiNet's output channels and random selection
   * @param afterLayer applied to the model after each pruned layer (ThiNet fine-tunes 1–2 epochs
   *     there, §4.1); the identity for none
   * @param log receives a line per pruned layer
   */
  public static Model prune(Engine engine, Model original, Dataset calibration, Method method, PerLayer<Double> keep,
      int align, Sampling sampling, long seed, Progress progress, UnaryOperator<Model> afterLayer,
      Consumer<Layer> log) {
    List<ChannelGroup> candidates = candidates(original);
    List<String> layers = candidates.stream().map(grp -> grp.producers().get(0)).toList();
    for (String name : keep.byLayer().keySet()) {
      if (!layers.contains(name)) {
        throw new CondenseException("channel pruning: '" + name + "' is not a layer it can prune (a Conv whose "
            + "channels are read by exactly one ungrouped Conv); candidates: " + names(candidates));
      }
    }
    Model current = original;
    SplittableRandom random = new SplittableRandom(seed);
    for (String layer : layers) {
      Double share = keep.get(layer).orElse(null);
      if (share == null || share >= 1) {
        continue;
      }
      ChannelGroup grp = candidates(current).stream().filter(x -> x.producers().get(0).equals(layer)).findFirst()
          .orElseThrow(() -> new CondenseException("channel pruning: layer '" + layer + "' vanished while pruning"));
      int kept = kept(grp.size(), share, align);
      if (kept >= grp.size()) {
        continue;
      }
      String consumer = readers(current, grp).get(0);
      Node cn = current.graph().node(consumer);
      SharedTensors stored = SharedTensors.of(current);
      String weightName = stored.root(cn.input(1));
      Tensor w = stored.tensor(cn.input(1));
      long bytes = 0;
      int[] remove;
      float[] rebuilt = null;
      switch (method) {
        case L1 -> remove = FilterNorms.lowest(FilterNorms.scores(current, grp, Map.of()), grp.size() - kept);
        case RANDOM -> remove = randomChannels(random, grp.size(), grp.size() - kept);
        default -> {
          ConvSamples x = ConvSamples.take(engine, current, calibration, consumer, sampling.images(),
              sampling.perImage(), seed, true, progress);
          bytes = x.bytes();
          ChannelReconstruction.Fit fit;
          if (method == Method.HE) {
            ConvSamples y = ConvSamples.take(engine, original, calibration, consumer, sampling.images(),
                sampling.perImage(), seed, false, progress);
            bytes += y.bytes();
            Shortcut sc = shortcut(current, consumer);
            if (sc != null) {
              ConvSamples before = ConvSamples.outputsAt(engine, original, calibration, consumer, sc.value(),
                  sampling.images(), sampling.perImage(), seed, progress);
              ConvSamples now = ConvSamples.outputsAt(engine, current, calibration, consumer, sc.value(),
                  sampling.images(), sampling.perImage(), seed, progress);
              y = y.plusShortcutDrift(before, now, sc.scale());
              bytes += before.bytes() + now.bytes();
            }
            float[] bias = cn.hasInput(2) ? stored.tensor(cn.input(2)).floats() : null;
            fit = ChannelReconstruction.he(x, y, w.floats(), bias, kept);
          } else {
            fit = ChannelReconstruction.thinet(x, w.floats(), w.dim(0), kept, random.nextLong());
          }
          remove = ThiNetSelection.complement(grp.size(), fit.kept()); // the channels not kept
          rebuilt = fit.weight();
        }
      }
      current = Thinning.apply(current, Map.of(grp, remove));
      if (rebuilt != null) {
        Tensor thin = current.graph().initializer(weightName);
        current = current.withGraph(current.graph().withInitializer(weightName, Tensor.of(rebuilt, thin.shape())));
      }
      current = afterLayer.apply(current);
      log.accept(new Layer(layer, grp.size(), kept, bytes));
    }
    return current;
  }

  /** The shortcut a residual block adds to a layer's output, and the per-channel factor in between. */
  record Shortcut(String value, float[] scale) {}

  /**
   * When {@code conv} is the last layer of a residual block — its output, through at most one
   * BatchNormalization, is one input of an Add — that Add's other input and the BatchNorm's
   * per-channel scale γ/√(σ²+ε) (ones without one); otherwise null.
   */
  static Shortcut shortcut(Model m, String conv) {
    Graph g = m.graph();
    SharedTensors stored = SharedTensors.of(m);
    String v = g.node(conv).output(0);
    int channels = stored.tensor(g.node(conv).input(1)).dim(0);
    float[] scale = new float[channels];
    java.util.Arrays.fill(scale, 1f);
    List<Node> next = g.consumers(v);
    if (next.size() == 1 && OPS.is(next.get(0), Kind.NORMALIZATION)) {
      Node bn = next.get(0);
      float[] gamma = stored.tensor(bn.input(1)).floats();
      float[] var = stored.tensor(bn.input(4)).floats();
      float eps = bn.floatAttr("epsilon", 1e-5f);
      for (int c = 0; c < channels; c++) {
        scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
      }
      v = bn.output(0);
      next = g.consumers(v);
    }
    if (next.size() != 1 || !(OPS.op(next.get(0)) instanceof Arithmetic a && a.math() == BinaryMath.ADD)
        || next.get(0).inputs().size() != 2) {
      return null;
    }
    Node add = next.get(0);
    String other = add.input(0).equals(v) ? add.input(1) : add.input(0);
    return stored.root(other) != null ? null : new Shortcut(other, scale);
  }

  /**
   * The share of channels every candidate layer keeps so that the model's multiply-adds fall by
   * {@code speedup} (He et al.'s "2×, 4×"), found by bisection on the thinned model's count, with
   * kept counts rounded to multiples of {@code align}.
   */
  public static double keepFor(Model m, double speedup, int align) {
    List<ChannelGroup> groups = candidates(m);
    long full = ModelSummary.of(m).macs();
    long least = macsKeeping(m, groups, 0, align);
    if (groups.isEmpty() || (double) full / least < speedup) {
      throw new CondenseException(String.format("channel pruning: %.2fx fewer multiply-adds is out of reach; pruning "
          + "every candidate layer (%s) to %s gives %.2fx", speedup, names(groups),
          align > 1 ? "the fewest channels an alignment of " + align + " allows" : "one channel", (double) full / least));
    }
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 30; i++) {
      double mid = 0.5 * (lo + hi);
      if ((double) full / macsKeeping(m, groups, mid, align) >= speedup) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Multiply-adds of {@code m} with every group keeping the share {@code keep} of its channels. */
  private static long macsKeeping(Model m, List<ChannelGroup> groups, double keep, int align) {
    Map<ChannelGroup, int[]> remove = new java.util.HashMap<>();
    for (ChannelGroup g : groups) {
      int kept = kept(g.size(), keep, align);
      remove.put(g, IntStream.range(0, g.size() - kept).toArray());
    }
    return ModelSummary.of(Thinning.apply(m, remove)).macs();
  }

  /** Channels a layer of {@code size} keeps at the share {@code keep}: rounded up, at least one, then aligned. */
  private static int kept(int size, double keep, int align) {
    return ChannelAlignment.keep(size, Math.max(1, (int) Math.ceil(size * keep - 1e-9)), align);
  }

  private static int[] randomChannels(SplittableRandom random, int channels, int count) {
    int[] order = IntStream.range(0, channels).toArray();
    for (int i = channels - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return Arrays.stream(order, 0, count).sorted().toArray();
  }

  private static String names(List<ChannelGroup> groups) {
    return String.join(", ", groups.stream().map(grp -> grp.producers().get(0)).toList());
  }
}
