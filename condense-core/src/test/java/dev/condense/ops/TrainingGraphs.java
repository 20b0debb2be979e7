package dev.condense.ops;

import dev.condense.data.Dataset;
import dev.condense.data.Normalization;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small models, built in Java, whose float initializers are not all parameters: a preprocessing
 * prefix before a CNN, and a ViT-like graph with a class token, a position embedding, a scalar
 * and an attention mask. Shared by the rule's tests (condense-core) and the training tests
 * (condense-engine, CLI).
 */
public final class TrainingGraphs {
  private TrainingGraphs() {}

  /** The ImageNet-like per-channel scale of the preprocessing prefix (0.353 as in the issue). */
  public static final float[] SCALE = {0.353f, 0.357f, 0.361f};
  public static final float[] OFFSET = {-0.485f, -0.456f, -0.406f};

  /**
   * input [N,3,8,8] → Mul(pre.scale [1,3,1,1]) → Add(pre.offset [1,3,1,1]) → Conv(conv1 3→4, 3×3)
   * → Relu → Mul(half, one element) → Flatten → Gemm(fc 144→10).
   */
  public static Model preprocessedCnn(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Graph.Builder b = new Graph.Builder("preprocessed");
    b.input(ValueInfo.batched("input", 3, 8, 8));
    b.initializer("pre.scale", Tensor.of(SCALE.clone(), 1, 3, 1, 1));
    b.initializer("pre.offset", Tensor.of(OFFSET.clone(), 1, 3, 1, 1));
    b.initializer("conv1.weight", random(r, 0.3, 4, 3, 3, 3));
    b.initializer("conv1.bias", random(r, 0.1, 4));
    b.initializer("half", Tensor.of(new float[] {0.5f}));
    b.initializer("fc.weight", random(r, 0.1, 10, 144));
    b.initializer("fc.bias", random(r, 0.1, 10));
    b.node(new Node("scale", "Mul", List.of("input", "pre.scale"), List.of("s")));
    b.node(new Node("shift", "Add", List.of("s", "pre.offset"), List.of("x")));
    b.node(new Node("conv1", "Conv", List.of("x", "conv1.weight", "conv1.bias"), List.of("c"),
        Map.of("pads", new Attribute.IntsAttr(new long[] {0, 0, 0, 0}))));
    b.node(new Node("relu", "Relu", List.of("c"), List.of("r")));
    b.node(new Node("halve", "Mul", List.of("r", "half"), List.of("h")));
    b.node(new Node("flat", "Flatten", List.of("h"), List.of("f")));
    b.node(new Node("fc", "Gemm", List.of("f", "fc.weight", "fc.bias"), List.of("logits"),
        Map.of("transB", new Attribute.IntAttr(1))));
    b.output(ValueInfo.batched("logits", 10));
    return Model.of(b.build());
  }

  /**
   * A ViT-like graph at batch 1: input [1,3,8,8] → Mul(pre.scale) → patch Conv (3→8, 4×4 stride 4)
   * → Reshape [1,8,4] (8 tokens of 4) → Concat(cls_token [1,1,4], tokens) → Add(pos_embedding
   * [1,9,4]) → MatMul(attn.score [4,9]) → Div(sqrt_d, one element) → Add(attn.mask [9,9]) →
   * Softmax → MatMul(·, tokens) → Flatten → Gemm(head 36→10).
   */
  public static Model vitLike(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Graph.Builder b = new Graph.Builder("vit-like");
    b.input(new ValueInfo("input", dev.condense.graph.DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(3),
        ValueInfo.Dim.of(8), ValueInfo.Dim.of(8))));
    b.initializer("pre.scale", Tensor.of(SCALE.clone(), 1, 3, 1, 1));
    b.initializer("patch.weight", random(r, 0.2, 8, 3, 4, 4));
    b.initializer("patch.bias", random(r, 0.1, 8));
    b.initializer("shape", Tensor.ofLongs(new long[] {1, 8, 4}, 3));
    b.initializer("cls_token", random(r, 0.5, 1, 1, 4));
    b.initializer("pos_embedding", random(r, 0.5, 1, 9, 4));
    b.initializer("attn.score", random(r, 0.3, 4, 9));
    b.initializer("sqrt_d", Tensor.of(new float[] {2f}));
    float[] mask = new float[81];
    for (int i = 0; i < 9; i++) {
      for (int j = i + 1; j < 9; j++) {
        mask[i * 9 + j] = -1e4f; // causal: finite, as exporters write it
      }
    }
    b.initializer("attn.mask", Tensor.of(mask, 9, 9));
    b.initializer("head.weight", random(r, 0.1, 10, 36));
    b.initializer("head.bias", random(r, 0.1, 10));
    b.node(new Node("scale", "Mul", List.of("input", "pre.scale"), List.of("x")));
    b.node(new Node("patch", "Conv", List.of("x", "patch.weight", "patch.bias"), List.of("p"),
        Map.of("kernel_shape", new Attribute.IntsAttr(new long[] {4, 4}),
            "strides", new Attribute.IntsAttr(new long[] {4, 4}))));
    b.node(new Node("tokens", "Reshape", List.of("p", "shape"), List.of("t")));
    b.node(new Node("prepend", "Concat", List.of("cls_token", "t"), List.of("ct"),
        Map.of("axis", new Attribute.IntAttr(1))));
    b.node(new Node("position", "Add", List.of("ct", "pos_embedding"), List.of("e")));
    b.node(new Node("score", "MatMul", List.of("e", "attn.score"), List.of("s")));
    b.node(new Node("scaled", "Div", List.of("s", "sqrt_d"), List.of("sd")));
    b.node(new Node("masked", "Add", List.of("sd", "attn.mask"), List.of("sm")));
    b.node(new Node("softmax", "Softmax", List.of("sm"), List.of("a"), Map.of("axis", new Attribute.IntAttr(-1))));
    b.node(new Node("mix", "MatMul", List.of("a", "e"), List.of("m")));
    b.node(new Node("flat", "Flatten", List.of("m"), List.of("f")));
    b.node(new Node("head", "Gemm", List.of("f", "head.weight", "head.bias"), List.of("logits"),
        Map.of("transB", new Attribute.IntAttr(1))));
    b.output(new ValueInfo("logits", dev.condense.graph.DType.FLOAT, List.of(ValueInfo.Dim.of(1),
        ValueInfo.Dim.of(10))));
    return Model.of(b.build());
  }

  /** {@code n} seeded 3×8×8 images whose brightness follows the label (so a loss can fall). */
  public static Dataset images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * 3 * 8 * 8];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(10);
      for (int j = 0; j < 192; j++) {
        px[i * 192 + j] = (byte) Math.min(255, labels[i] * 20 + r.nextInt(60));
      }
    }
    return new dev.condense.data.ImageSet("images", px, labels, 3, 8, 8, 10, Normalization.UNIT);
  }

  private static Tensor random(SplittableRandom r, double scale, int... shape) {
    float[] v = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return Tensor.of(v, shape);
  }
}
