package dev.condense.prune;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.OpTable;
import dev.condense.structure.ChannelGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Average Percentage of Zeros (Hu et al. 2016, Eq. 1): for each channel of a layer, the share of
 * zeros in its output after the ReLU, over N images and, for a conv layer, all M positions of
 * its feature map; for a fully connected layer, per neuron over the N images (not averaged over
 * neurons). A channel that is almost always zero contributes little and is a candidate to trim.
 * Measured on the ReLU output of each channel group; groups without a ReLU have no APoZ.
 */
public final class Apoz {
  private Apoz() {}

  /** One layer's APoZ: {@code apoz[c]} for each channel c of {@code group}, read at {@code value}. */
  public record Layer(ChannelGroup group, String value, double[] apoz) {
    public double mean() {
      double s = 0;
      for (double a : apoz) {
        s += a;
      }
      return s / apoz.length;
    }

    /** Population standard deviation over the layer's channels. */
    public double std() {
      double m = mean();
      double s = 0;
      for (double a : apoz) {
        s += (a - m) * (a - m);
      }
      return Math.sqrt(s / apoz.length);
    }

    /** Channels whose APoZ is more than {@code stds} standard deviations above the layer's mean. */
    public int[] above(double stds) {
      double limit = mean() + stds * std();
      return java.util.stream.IntStream.range(0, apoz.length).filter(c -> apoz[c] > limit).toArray();
    }
  }

  /** The ReLU output that carries a group's channels, or null if none does. */
  public static String reluValue(Graph g, ChannelGroup group) {
    for (String v : group.values()) {
      Node p = g.producer(v);
      if (p != null && OpTable.standard().op(p).zeroesNegatives()) {
        return v;
      }
    }
    return null;
  }

  /** APoZ of every given group that has a ReLU output, over all of {@code data}. */
  public static List<Layer> measure(Engine engine, Model model, Dataset data, List<ChannelGroup> groups, Progress progress) {
    List<ChannelGroup> measured = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (ChannelGroup g : groups) {
      String v = reluValue(model.graph(), g);
      if (v != null) {
        measured.add(g);
        values.add(v);
      }
    }
    long[][] zeros = new long[values.size()][];
    long[] count = new long[values.size()];
    for (int i = 0; i < zeros.length; i++) {
      zeros[i] = new long[measured.get(i).size()];
    }
    if (!values.isEmpty()) {
      try (Session s = engine.open(model)) {
        s.capture(data, 250, values, (batch, arrays, shapes, labels) -> {
          for (int i = 0; i < arrays.length; i++) {
            int channels = shapes[i][1];
            int positions = 1;
            for (int d = 2; d < shapes[i].length; d++) {
              positions *= shapes[i][d];
            }
            float[] a = arrays[i];
            for (int b = 0; b < batch; b++) {
              for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * positions;
                long z = 0;
                for (int p = 0; p < positions; p++) {
                  z += a[base + p] == 0f ? 1 : 0;
                }
                zeros[i][c] += z;
              }
            }
            count[i] += (long) batch * positions;
          }
        }, progress);
      }
    }
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      double[] apoz = new double[zeros[i].length];
      for (int c = 0; c < apoz.length; c++) {
        apoz[c] = count[i] == 0 ? 0 : (double) zeros[i][c] / count[i];
      }
      out.add(new Layer(measured.get(i), values.get(i), apoz));
    }
    return out;
  }
}
