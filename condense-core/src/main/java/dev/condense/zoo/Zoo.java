package dev.condense.zoo;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import java.util.List;
import java.util.Set;

/**
 * The built-in reference models by name, for the CLI and recipes. A model is built for the
 * input shape and class count of the data it will see (default: 1×28×28, 10 classes), and may
 * take options after a colon ({@link ZooSpec}): {@code vgg-16:width=0.25},
 * {@code resnet-20:shortcut=b,width=2}.
 */
public final class Zoo {
  private Zoo() {}

  /** Names accepted by {@link #create}. */
  public static final List<String> NAMES = List.of("lenet-300-100", "lenet-5", "vgg-16", "resnet-20", "resnet-32",
      "resnet-44", "resnet-56", "resnet-110");

  /** The input shape of the built-in and Fashion-MNIST data. */
  public static final int[] MNIST_SAMPLE = {1, 28, 28};

  /** Whether {@code spec} names a zoo model (with or without options). */
  public static boolean has(String spec) {
    int colon = spec.indexOf(':');
    return NAMES.contains(colon < 0 ? spec : spec.substring(0, colon));
  }

  /** A freshly initialised model for 1×28×28 inputs and 10 classes (same seed, same weights). */
  public static Model create(String spec, long seed) {
    return create(spec, seed, MNIST_SAMPLE, 10);
  }

  /** A freshly initialised model for inputs of per-sample shape {@code sample} [C, H, W]. */
  public static Model create(String spec, long seed, int[] sample, int classes) {
    ZooSpec z = ZooSpec.parse(spec);
    String name = z.name();
    if (name.startsWith("lenet")) {
      z.allowOnly(Set.of());
    } else if (name.startsWith("vgg")) {
      z.allowOnly(Set.of("width"));
    } else {
      z.allowOnly(Set.of("width", "shortcut"));
    }
    return Model.of(switch (name) {
      case "lenet-300-100" -> LeNet.lenet300100(sample, classes, seed);
      case "lenet-5" -> LeNet.lenet5(sample, classes, seed);
      case "vgg-16" -> Vgg.vgg16(sample, classes, z.width(), seed);
      case "resnet-20", "resnet-32", "resnet-44", "resnet-56", "resnet-110" -> ResNet.cifar(
          Integer.parseInt(name.substring("resnet-".length())),
          z.choice("shortcut", "a", Set.of("a", "b")).equals("b"), sample, classes, z.width(), seed);
      default -> throw new CondenseException("unknown zoo model '" + name + "' (available: "
          + String.join(", ", NAMES) + ")");
    });
  }
}
