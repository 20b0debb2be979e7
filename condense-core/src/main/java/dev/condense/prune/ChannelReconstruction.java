package dev.condense.prune;

import java.util.SplittableRandom;

/**
 * The two data-driven ways to drop input channels of one Conv layer and rebuild its weights from
 * samples ({@link ConvSamples}), for weights {@code W} of shape {@code n × c × window}:
 * <ul>
 *   <li>{@link #he}: He et al. 2017 §3.1 — LASSO on each channel's contribution to the sampled
 *       outputs of the <em>original</em> network picks the channels; least squares then re-fits
 *       all kept weights to those outputs from the <em>pruned</em> network's inputs (Eq. 1 with β
 *       fixed), which corrects the error earlier layers left.
 *   <li>{@link #thinet}: Luo et al. 2017 §3.2–3.3 — greedy removal of the channels whose summed
 *       contribution stays smallest, then a least-squares scale per kept channel.
 * </ul>
 * Both return the kept channels and the layer's new weights, {@code n × kept × window}.
 */
public final class ChannelReconstruction {
  /** The kept input channels (ascending) and the consumer's new weights. */
  public record Fit(int[] kept, float[] weight) {}

  private ChannelReconstruction() {}

  /**
   * He et al.'s selection and re-fit.
   *
   * @param x patches of the layer's input in the network being pruned
   * @param y the original network's outputs of this layer at the same locations
   * @param weight the layer's current weights, {@code n × c × window}
   * @param bias the layer's bias (subtracted from y: it is kept as it is), or null
   */
  public static Fit he(ConvSamples x, ConvSamples y, float[] weight, float[] bias, int keep) {
    int s = x.samples();
    int c = x.channels();
    int win = x.window();
    int n = y.outChannels();
    double[] target = new double[s * n];
    for (int i = 0; i < s; i++) {
      for (int o = 0; o < n; o++) {
        target[i * n + o] = y.outputs()[i * n + o] - (bias == null ? 0 : bias[o]);
      }
    }
    // Eq. 3's features: Zⱼ(i, o) = Σₖ W[o, j, k]·X[i, j, k], channel j's part of output o at sample i.
    double[][] gram = new double[c][c];
    double[] zty = new double[c];
    double[] z = new double[c * n];
    for (int i = 0; i < s; i++) {
      int px = i * c * win;
      for (int j = 0; j < c; j++) {
        for (int o = 0; o < n; o++) {
          z[j * n + o] = contribution(weight, x.patches(), (o * c + j) * win, px + j * win, win);
        }
      }
      for (int j = 0; j < c; j++) {
        double t = 0;
        for (int o = 0; o < n; o++) {
          t += z[j * n + o] * target[i * n + o];
        }
        zty[j] += t;
        for (int l = j; l < c; l++) {
          double g = 0;
          for (int o = 0; o < n; o++) {
            g += z[j * n + o] * z[l * n + o];
          }
          gram[j][l] += g;
        }
      }
    }
    for (int j = 0; j < c; j++) {
      for (int l = 0; l < j; l++) {
        gram[j][l] = gram[l][j];
      }
    }
    int[] kept = LassoChannelSelection.select(new Lasso(gram, zty, (long) s * n), keep).kept();
    // Re-fit: min ‖Y − X_kept·W'ᵀ‖ over the kept channels' windows.
    int cols = kept.length * win;
    double[] a = new double[s * cols];
    for (int i = 0; i < s; i++) {
      for (int jj = 0; jj < kept.length; jj++) {
        int xb = i * c * win + kept[jj] * win;
        for (int k = 0; k < win; k++) {
          a[i * cols + jj * win + k] = x.patches()[xb + k];
        }
      }
    }
    double[] w = LeastSquares.solve(a, s, cols, target, n); // cols × n
    float[] out = new float[n * cols];
    for (int o = 0; o < n; o++) {
      for (int col = 0; col < cols; col++) {
        out[o * cols + col] = (float) w[col * n + o];
      }
    }
    return new Fit(kept, out);
  }

  /**
   * ThiNet's selection and scaling. Each sample is read at one output channel drawn with
   * {@code seed}, as in the paper (an image, a location, a channel).
   */
  public static Fit thinet(ConvSamples x, float[] weight, int n, int keep, long seed) {
    int s = x.samples();
    int c = x.channels();
    int win = x.window();
    float[] xhat = contributions(x, weight, n, seed);
    int[] kept = ThiNetSelection.complement(c, ThiNetSelection.removed(xhat, s, c, c - keep));
    double[] scale = ThiNetSelection.scales(xhat, s, c, kept);
    float[] out = new float[n * kept.length * win];
    for (int o = 0; o < n; o++) {
      for (int jj = 0; jj < kept.length; jj++) {
        for (int k = 0; k < win; k++) {
          out[(o * kept.length + jj) * win + k] = (float) (weight[(o * c + kept[jj]) * win + k] * scale[jj]);
        }
      }
    }
    return new Fit(kept, out);
  }

  /**
   * ThiNet's x̂ (§3.2): for each sample, input channel j's part of one output channel drawn with
   * {@code seed} (of the {@code n} the layer's {@code weight} [n, C, window] makes), row-major
   * samples × channels. The sum over j is the output; a channel whose x̂ is small everywhere can go.
   */
  public static float[] contributions(ConvSamples x, float[] weight, int n, long seed) {
    int s = x.samples();
    int c = x.channels();
    int win = x.window();
    float[] xhat = new float[s * c];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < s; i++) {
      int o = random.nextInt(n);
      for (int j = 0; j < c; j++) {
        xhat[i * c + j] = (float) contribution(weight, x.patches(), (o * c + j) * win, (i * c + j) * win, win);
      }
    }
    return xhat;
  }

  /** Input channel j's part of output o at one sample: Σₖ W[o, j, k]·X[j, k] over the kernel window. */
  private static double contribution(float[] weight, float[] patches, int w, int x, int window) {
    double v = 0;
    for (int k = 0; k < window; k++) {
      v += weight[w + k] * patches[x + k];
    }
    return v;
  }
}
