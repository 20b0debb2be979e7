package dev.condense.data;

import dev.condense.CondenseException;

/**
 * The normalisation of 8-bit pixels into a model's float input, {@code x = (p/divisor − mean)/std},
 * computed as one multiply-add per pixel ({@code x = p·scale + offset}, which the JIT vectorises;
 * a table lookup per pixel does not), written NCHW or NHWC. In-memory sets ({@link ImageSet}) and
 * streamed ones ({@link FolderSet}) share it, so the same pixels give the same floats bit for bit
 * whichever set holds them.
 */
final class PixelScaling {
  private final int channels;
  private final boolean channelsLast;
  private final ChannelScaling scaling;

  /**
   * The scaling of {@code channels}-channel images by {@code n}; an error naming {@code name} when
   * the mean and std have neither one value nor one per channel.
   */
  PixelScaling(Normalization n, int channels, boolean channelsLast, String name) {
    if (n.mean().length != 1 && n.mean().length != channels) {
      throw new CondenseException("the preprocessing's mean and std have " + n.mean().length
          + " values, data set '" + name + "' has " + channels + " channel" + (channels == 1 ? "" : "s"));
    }
    this.channels = channels;
    this.channelsLast = channelsLast;
    this.scaling = new ChannelScaling(n, channels);
  }

  /**
   * Writes the planar (CHW) image of {@code plane} pixels per channel at {@code pixels[src ..]}
   * into {@code x[dst ..]}, normalised, in this scaling's layout.
   */
  void write(byte[] pixels, int src, int plane, float[] x, int dst) {
    if (channelsLast) {
      for (int j = 0; j < plane; j++) {
        for (int c = 0; c < channels; c++) {
          x[dst + j * channels + c] = scaling.apply(c, pixels[src + c * plane + j] & 0xff);
        }
      }
      return;
    }
    for (int c = 0; c < channels; c++) {
      scaling.apply(c, pixels, src, x, dst, plane);
      src += plane;
      dst += plane;
    }
  }
}
