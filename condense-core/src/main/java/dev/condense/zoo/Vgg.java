package dev.condense.zoo;

import dev.condense.graph.Graph;

/**
 * VGG-16 for small images, as Li et al. 2017 prune it (§4.1): the 13 convolutions of VGG-16
 * (3×3, padding 1), each followed by BatchNormalization and ReLU, five max-pools, then a
 * 512-wide fully connected layer with BatchNormalization and ReLU and the classifier (the CIFAR
 * variant of Zagoruyko 2015, without dropout). A width multiplier scales every layer; on inputs
 * too small for five halvings (28×28 gives 14, 7, 3, 1) the pools that would leave nothing are
 * skipped. Layer names: conv1..conv13, bn1..bn13, fc1, bn14, fc2.
 */
public final class Vgg {
  private Vgg() {}

  /** Channels per conv layer; 0 marks a max-pool. */
  static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

  public static Graph vgg16(int[] sample, int classes, double width, long seed) {
    NetBuilder b = new NetBuilder("vgg-16", "input", sample, seed);
    String x = "input";
    int conv = 0;
    int pool = 0;
    for (int c : VGG16) {
      if (c == 0) {
        if (b.shape(x)[1] >= 2) {
          x = b.maxPool("pool" + ++pool, x, 2, 2);
        }
        continue;
      }
      conv++;
      x = b.conv("conv" + conv, x, scaled(c, width), 3, 1, 1, false);
      x = b.relu("relu" + conv, b.batchNorm("bn" + conv, x));
    }
    x = b.flatten("flatten", x);
    x = b.relu("relu14", b.batchNorm("bn14", b.gemm("fc1", x, scaled(512, width))));
    return b.build(b.gemm("fc2", x, classes), classes);
  }

  /** A layer's channels under a width multiplier: at least one. */
  static int scaled(int channels, double width) {
    return Math.max(1, (int) Math.round(channels * width));
  }
}
