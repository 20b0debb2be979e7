package dev.condense.zoo;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;

/**
 * The CIFAR ResNets of He et al. 2016 (§4.2), ResNet-(6n+2): a 3×3 stem of 16 channels, three
 * stages of n basic blocks with 16, 32 and 64 channels (the second and third start with stride
 * 2), global average pooling and the classifier. Each block is conv-BN-ReLU-conv-BN plus a
 * shortcut, then ReLU. Where the shape changes the shortcut is, with option A, the input
 * subsampled (x[:, :, ::2, ::2], a Slice) and zero-padded to the
 * new width — no parameters; with option B, a 1×1 convolution of stride 2 with BatchNormalization
 * (the projection Li et al. 2017 prune along with the block). Names follow the PyTorch
 * convention: conv1, bn1, layer1.0.conv1, layer1.0.bn1, layer1.0.conv2, layer1.0.bn2,
 * layer2.0.shortcut.conv, layer2.0.shortcut.bn, fc.
 */
public final class ResNet {
  private ResNet() {}

  /**
   * @param depth 6n + 2 (20, 32, 44, 56, 110, ...)
   * @param shortcutB option B (projection) instead of option A (padding)
   */
  public static Graph cifar(int depth, boolean shortcutB, int[] sample, int classes, double width, long seed) {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new CondenseException("a CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), got " + depth);
    }
    int n = (depth - 2) / 6;
    NetBuilder b = new NetBuilder("resnet-" + depth, "input", sample, seed);
    int planes = Vgg.scaled(16, width);
    String x = b.relu("relu", b.batchNorm("bn1", b.conv("conv1", "input", planes, 3, 1, 1, false)));
    for (int stage = 1; stage <= 3; stage++) {
      int out = Vgg.scaled(16 << (stage - 1), width);
      for (int i = 0; i < n; i++) {
        int stride = stage > 1 && i == 0 ? 2 : 1;
        x = block(b, "layer" + stage + "." + i, x, out, stride, shortcutB);
      }
    }
    x = b.flatten("flatten", b.globalAveragePool("avgpool", x));
    return b.build(b.gemm("fc", x, classes), classes);
  }

  private static String block(NetBuilder b, String p, String in, int planes, int stride, boolean shortcutB) {
    String y = b.relu(p + ".relu1", b.batchNorm(p + ".bn1", b.conv(p + ".conv1", in, planes, 3, stride, 1, false)));
    y = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", y, planes, 3, 1, 1, false));
    String shortcut = in;
    int inPlanes = b.shape(in)[0];
    if (stride != 1 || inPlanes != planes) {
      if (shortcutB) {
        shortcut = b.batchNorm(p + ".shortcut.bn", b.conv(p + ".shortcut.conv", in, planes, 1, stride, 0, false));
      } else {
        String sub = stride == 1 ? in : b.subsample(p + ".shortcut.subsample", in, stride);
        int extra = planes - inPlanes;
        shortcut = b.padChannels(p + ".shortcut.pad", sub, extra / 2, extra - extra / 2);
      }
    }
    return b.relu(p + ".relu2", b.add(p + ".add", y, shortcut));
  }
}
