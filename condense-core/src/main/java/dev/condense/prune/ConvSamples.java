package dev.condense.prune;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.structure.SharedTensors;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What channel pruning learns from: for N images × M random output locations of one 2-D Conv
 * layer, the input patch each location reads (channels × kernel window, zero where it overhangs
 * the padding) and the layer's output there (He et al. 2017 §3.1; Luo et al. 2017 §3.2). Taken
 * through the engine's capture on the first N images of a calibration set. The locations depend
 * only on the seed and the output size, so the inputs of a pruned model and the outputs of the
 * original model can be sampled at the same places.
 *
 * <p>Memory: {@link #bytes()} = 4 × N·M × (C·kh·kw + outputs) bytes — 5,000 samples of a 3×3 conv
 * reading 128 channels hold 23 MB.
 *
 * @param patches {@code samples × channels × window}, row-major
 * @param outputs {@code samples × outChannels}, row-major; null if not taken
 */
public record ConvSamples(int samples, int channels, int window, int outChannels, float[] patches, float[] outputs) {

  /** Bytes held. */
  public long bytes() {
    return 4L * patches.length + (outputs == null ? 0 : 4L * outputs.length);
  }

  /**
   * Samples {@code conv}'s input patches ({@code inputs}) or its outputs (otherwise) at
   * {@code perImage} locations of each of the first {@code images} images of {@code data}.
   */
  public static ConvSamples take(Engine engine, Model model, Dataset data, String conv, int images, int perImage,
      long seed, boolean inputs, Progress progress) {
    Node n = model.graph().node(conv);
    return take(engine, model, data, conv, n == null ? null : inputs ? n.input(0) : n.output(0), images, perImage, seed,
        inputs, progress);
  }

  /**
   * Samples {@code value} — of the shape of {@code conv}'s output, e.g. the shortcut a residual
   * block adds to it — at the locations {@link #take} draws for {@code conv}'s outputs.
   */
  public static ConvSamples outputsAt(Engine engine, Model model, Dataset data, String conv, String value, int images,
      int perImage, long seed, Progress progress) {
    return take(engine, model, data, conv, value, images, perImage, seed, false, progress);
  }

  private static ConvSamples take(Engine engine, Model model, Dataset data, String conv, String value, int images,
      int perImage, long seed, boolean inputs, Progress progress) {
    Node n = model.graph().node(conv);
    if (n == null || !OpTable.standard().is(n, Kind.CONVOLUTION)) {
      throw new CondenseException("channel sampling: no Conv node named '" + conv + "'");
    }
    if (n.intAttr("group", 1) != 1) {
      throw new CondenseException("channel sampling: node " + n.label() + " is a grouped convolution; "
          + "channel reconstruction handles group = 1 only");
    }
    int[] w = SharedTensors.of(model).tensor(n.input(1)).shape();
    if (w.length != 4) {
      throw new CondenseException("channel sampling: node " + n.label() + " is not a 2-D convolution");
    }
    int c = w[1];
    int window = w[2] * w[3];
    int count = Math.min(images, data.size()) * perImage;
    float[] patches = inputs ? new float[Math.multiplyExact(count, c * window)] : new float[0];
    float[] outputs = inputs ? null : new float[Math.multiplyExact(count, w[0])];
    int[] next = {0};
    SplittableRandom random = new SplittableRandom(seed);
    try (Session s = engine.open(model)) {
      s.capture(data.head(Math.min(images, data.size())), 100, List.of(value), (batch, arrays, shapes, labels) -> {
        int[] shape = shapes[0];
        ConvGeometry g = inputs ? ConvGeometry.of(n, new int[] {shape[2], shape[3]}, new int[] {w[2], w[3]}, false) : null;
        int outH = inputs ? g.out()[0] : shape[2];
        int outW = inputs ? g.out()[1] : shape[3];
        for (int b = 0; b < batch; b++) {
          for (int m = 0; m < perImage; m++) {
            int oy = random.nextInt(outH);
            int ox = random.nextInt(outW);
            int sample = next[0]++;
            if (inputs) {
              patch(arrays[0], b, shape, g, oy, ox, patches, sample * c * window);
            } else {
              int oc = shape[1];
              for (int o = 0; o < oc; o++) {
                outputs[sample * oc + o] = arrays[0][((b * oc + o) * outH + oy) * outW + ox];
              }
            }
          }
        }
      }, progress);
    }
    return new ConvSamples(count, c, window, w[0], patches, outputs);
  }

  /** Copies the input window under output location (oy, ox) of image {@code b} to {@code dst}. */
  private static void patch(float[] x, int b, int[] shape, ConvGeometry g, int oy, int ox, float[] dst, int at) {
    int c = shape[1];
    int h = shape[2];
    int wd = shape[3];
    int kh = g.kernel()[0];
    int kw = g.kernel()[1];
    for (int ch = 0; ch < c; ch++) {
      int base = (b * c + ch) * h * wd;
      for (int ky = 0; ky < kh; ky++) {
        int iy = oy * g.strides()[0] - g.padBegin()[0] + ky * g.dilations()[0];
        for (int kx = 0; kx < kw; kx++) {
          int ix = ox * g.strides()[1] - g.padBegin()[1] + kx * g.dilations()[1];
          dst[at++] = iy >= 0 && iy < h && ix >= 0 && ix < wd ? x[base + iy * wd + ix] : 0f;
        }
      }
    }
  }

  /**
   * He et al.'s target for the last layer of a residual block (§4.1, multi-branch): the original
   * network's output of this layer plus what the original shortcut carried and the pruned
   * network's shortcut no longer does, {@code y + (s_orig − s_now) / scale} per output channel,
   * where {@code scale} is the per-channel factor (a BatchNormalization's γ/√(σ²+ε)) between this
   * layer and the Add; channels with a zero factor are left as they are.
   */
  public ConvSamples plusShortcutDrift(ConvSamples originalShortcut, ConvSamples currentShortcut, float[] scale) {
    int n = outChannels;
    if (originalShortcut.samples != samples || currentShortcut.samples != samples || originalShortcut.outChannels != n
        || currentShortcut.outChannels != n || scale.length != n) {
      throw new IllegalArgumentException("shortcut samples do not match the layer's outputs");
    }
    float[] out = outputs.clone();
    for (int i = 0; i < samples; i++) {
      for (int o = 0; o < n; o++) {
        if (scale[o] != 0) {
          out[i * n + o] += (originalShortcut.outputs[i * n + o] - currentShortcut.outputs[i * n + o]) / scale[o];
        }
      }
    }
    return new ConvSamples(samples, channels, window, n, patches, out);
  }

  /** These patches joined with another sampling's outputs (taken at the same locations). */
  public ConvSamples withOutputs(ConvSamples other) {
    if (other.samples != samples || other.outputs == null) {
      throw new IllegalArgumentException("outputs from " + other.samples + " samples for " + samples);
    }
    return new ConvSamples(samples, channels, window, other.outChannels, patches, other.outputs);
  }
}
