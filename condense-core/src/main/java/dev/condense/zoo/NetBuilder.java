package dev.condense.zoo;

import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.RandomTensor;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds classifier graphs layer by layer with PyTorch's naming ({@code conv1.weight}) and
 * PyTorch's default initialisation (weights and biases uniform in ±1/√fan_in), drawn from one
 * seeded stream so a seed gives the same model. Tracks each value's per-sample shape so layers
 * know their input sizes.
 */
public final class NetBuilder {
  private final Graph.Builder graph;
  private final SplittableRandom random;
  private final Map<String, int[]> shapes = new HashMap<>();

  /** A graph named {@code name} with one float input {@code input} of per-sample shape {@code sample}. */
  public NetBuilder(String name, String input, int[] sample, long seed) {
    graph = new Graph.Builder(name);
    graph.input(ValueInfo.batched(input, sample));
    shapes.put(input, sample.clone());
    random = new SplittableRandom(seed);
  }

  /** Per-sample shape of a value built so far. */
  public int[] shape(String value) {
    return shapes.get(value).clone();
  }

  private Tensor uniform(float bound, int... shape) {
    return RandomTensor.uniform(random, bound, shape);
  }

  private static Map<String, Attribute> ints(Object... kv) {
    Map<String, Attribute> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      m.put((String) kv[i], v instanceof long[] l ? new Attribute.IntsAttr(l) : new Attribute.IntAttr((Long) v));
    }
    return m;
  }

  /** A square convolution with bias; returns its output value. */
  public String conv(String name, String in, int outChannels, int kernel, int stride, int pad) {
    return conv(name, in, outChannels, kernel, stride, pad, true);
  }

  public String conv(String name, String in, int outChannels, int kernel, int stride, int pad, boolean bias) {
    return conv(name, in, outChannels, kernel, stride, pad, bias, 1);
  }

  /** A square convolution in {@code group} groups (group = channels: depthwise). */
  public String conv(String name, String in, int outChannels, int kernel, int stride, int pad, boolean bias,
      int group) {
    int[] s = shapes.get(in);
    int fanIn = s[0] / group * kernel * kernel;
    float bound = (float) (1 / Math.sqrt(fanIn));
    String w = name + ".weight";
    graph.initializer(w, uniform(bound, outChannels, s[0] / group, kernel, kernel));
    List<String> inputs = new java.util.ArrayList<>(List.of(in, w));
    if (bias) {
      graph.initializer(name + ".bias", uniform(bound, outChannels));
      inputs.add(name + ".bias");
    }
    String out = name;
    graph.node(new Node(name, "Conv", inputs, List.of(out), ints(
        "kernel_shape", new long[] {kernel, kernel}, "strides", new long[] {stride, stride},
        "pads", new long[] {pad, pad, pad, pad}, "group", (long) group)));
    int oh = (s[1] + 2 * pad - kernel) / stride + 1;
    int ow = (s[2] + 2 * pad - kernel) / stride + 1;
    shapes.put(out, new int[] {outChannels, oh, ow});
    return out;
  }

  /** BatchNormalization with scale 1, bias 0, running mean 0 and variance 1 (PyTorch's start). */
  public String batchNorm(String name, String in) {
    int c = shapes.get(in)[0];
    float[] ones = new float[c];
    java.util.Arrays.fill(ones, 1f);
    graph.initializer(name + ".weight", Tensor.of(ones.clone(), c));
    graph.initializer(name + ".bias", Tensor.of(new float[c], c));
    graph.initializer(name + ".running_mean", Tensor.of(new float[c], c));
    graph.initializer(name + ".running_var", Tensor.of(ones.clone(), c));
    // A LinkedHashMap, not Map.of: a Node keeps its attributes in the order of the map it gets and
    // the ONNX file is written in that order, and Map.of's order changes from one JVM to the next.
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("epsilon", new Attribute.FloatAttr(1e-5f));
    attributes.put("momentum", new Attribute.FloatAttr(0.9f));
    graph.node(new Node(name, "BatchNormalization", List.of(in, name + ".weight", name + ".bias",
        name + ".running_mean", name + ".running_var"), List.of(name), attributes));
    shapes.put(name, shapes.get(in).clone());
    return name;
  }

  public String relu(String name, String in) {
    graph.node(new Node(name, "Relu", List.of(in), List.of(name)));
    shapes.put(name, shapes.get(in).clone());
    return name;
  }

  public String maxPool(String name, String in, int kernel, int stride) {
    return pool("MaxPool", name, in, kernel, stride);
  }

  public String avgPool(String name, String in, int kernel, int stride) {
    return pool("AveragePool", name, in, kernel, stride);
  }

  private String pool(String op, String name, String in, int kernel, int stride) {
    graph.node(new Node(name, op, List.of(in), List.of(name), ints(
        "kernel_shape", new long[] {kernel, kernel}, "strides", new long[] {stride, stride})));
    int[] s = shapes.get(in);
    shapes.put(name, new int[] {s[0], (s[1] - kernel) / stride + 1, (s[2] - kernel) / stride + 1});
    return name;
  }

  public String globalAveragePool(String name, String in) {
    graph.node(new Node(name, "GlobalAveragePool", List.of(in), List.of(name)));
    shapes.put(name, new int[] {shapes.get(in)[0], 1, 1});
    return name;
  }

  public String flatten(String name, String in) {
    graph.node(new Node(name, "Flatten", List.of(in), List.of(name), ints("axis", 1L)));
    shapes.put(name, new int[] {(int) Tensor.numel(shapes.get(in))});
    return name;
  }

  /** A fully connected layer (Gemm with the weight stored [out, in], transB = 1, as PyTorch exports). */
  public String gemm(String name, String in, int outFeatures) {
    int fanIn = shapes.get(in)[0];
    float bound = (float) (1 / Math.sqrt(fanIn));
    graph.initializer(name + ".weight", uniform(bound, outFeatures, fanIn));
    graph.initializer(name + ".bias", uniform(bound, outFeatures));
    graph.node(new Node(name, "Gemm", List.of(in, name + ".weight", name + ".bias"), List.of(name),
        ints("transB", 1L)));
    shapes.put(name, new int[] {outFeatures});
    return name;
  }

  public String sigmoid(String name, String in) {
    graph.node(new Node(name, "Sigmoid", List.of(in), List.of(name)));
    shapes.put(name, shapes.get(in).clone());
    return name;
  }

  /** Element-wise product with broadcasting; the output has {@code a}'s shape (a gate {@code b} of [C, 1, 1] rescales it). */
  public String mul(String name, String a, String b) {
    graph.node(new Node(name, "Mul", List.of(a, b), List.of(name)));
    shapes.put(name, shapes.get(a).clone());
    return name;
  }

  public String add(String name, String a, String b) {
    graph.node(new Node(name, "Add", List.of(a, b), List.of(name)));
    shapes.put(name, shapes.get(a).clone());
    return name;
  }

  /** Concatenation along the channel axis. */
  public String concat(String name, String... in) {
    int c = 0;
    for (String v : in) {
      c += shapes.get(v)[0];
    }
    int[] s = shapes.get(in[0]).clone();
    s[0] = c;
    graph.node(new Node(name, "Concat", List.of(in), List.of(name), ints("axis", 1L)));
    shapes.put(name, s);
    return name;
  }

  /** Every {@code stride}-th row and column, as PyTorch's {@code x[:, :, ::s, ::s]} exports (Slice). */
  public String subsample(String name, String in, int stride) {
    graph.initializer(name + ".starts", Tensor.ofLongs(new long[] {0, 0}, 2));
    graph.initializer(name + ".ends", Tensor.ofLongs(new long[] {Long.MAX_VALUE, Long.MAX_VALUE}, 2));
    graph.initializer(name + ".axes", Tensor.ofLongs(new long[] {2, 3}, 2));
    graph.initializer(name + ".steps", Tensor.ofLongs(new long[] {stride, stride}, 2));
    graph.node(new Node(name, "Slice", List.of(in, name + ".starts", name + ".ends", name + ".axes", name + ".steps"),
        List.of(name)));
    int[] s = shapes.get(in);
    shapes.put(name, new int[] {s[0], (s[1] + stride - 1) / stride, (s[2] + stride - 1) / stride});
    return name;
  }

  /**
   * Zero channels added before and after the existing ones (ONNX Pad on axis 1): the parameter-free
   * shortcut of CIFAR ResNets (He et al. 2016, option A).
   */
  public String padChannels(String name, String in, int before, int after) {
    String pads = name + ".pads";
    graph.initializer(pads, Tensor.ofLongs(new long[] {0, before, 0, 0, 0, after, 0, 0}, 8));
    graph.node(new Node(name, "Pad", List.of(in, pads), List.of(name),
        Map.of("mode", new Attribute.StringAttr("constant"))));
    int[] s = shapes.get(in).clone();
    s[0] += before + after;
    shapes.put(name, s);
    return name;
  }

  /** Declares {@code value} as the graph's output (logits over {@code classes}). */
  public Graph build(String value, int classes) {
    graph.output(ValueInfo.batched(value, classes));
    return graph.build();
  }
}
