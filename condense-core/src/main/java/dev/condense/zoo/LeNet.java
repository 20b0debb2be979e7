package dev.condense.zoo;

import dev.condense.graph.Graph;

/**
 * The two LeNets of Han et al. 2015 and Deep Compression, as Caffe defines them (for 1×28×28
 * inputs with 10 classes; other input shapes and class counts work the same way). Layer names follow the papers' tables (ip1, ip2, ...).
 */
public final class LeNet {
  private LeNet() {}

  /** LeNet-300-100: 784-300-100-10 fully connected with ReLU; 266,610 parameters. */
  public static Graph lenet300100(int[] sample, int classes, long seed) {
    NetBuilder b = new NetBuilder("lenet-300-100", "input", sample, seed);
    String x = b.flatten("flatten", "input");
    x = b.relu("relu1", b.gemm("ip1", x, 300));
    x = b.relu("relu2", b.gemm("ip2", x, 100));
    return b.build(b.gemm("ip3", x, classes), classes);
  }

  /**
   * LeNet-5 as in Caffe (and Deep Compression): conv 20@5×5, max-pool 2, conv 50@5×5,
   * max-pool 2, fc 500, ReLU, fc 10 — no ReLU after the convolutions; 431,080 parameters.
   */
  public static Graph lenet5(int[] sample, int classes, long seed) {
    NetBuilder b = new NetBuilder("lenet-5", "input", sample, seed);
    String x = b.maxPool("pool1", b.conv("conv1", "input", 20, 5, 1, 0), 2, 2);
    x = b.maxPool("pool2", b.conv("conv2", x, 50, 5, 1, 0), 2, 2);
    x = b.flatten("flatten", x);
    x = b.relu("relu1", b.gemm("ip1", x, 500));
    return b.build(b.gemm("ip2", x, classes), classes);
  }
}
