package dev.condense.api;

import dev.condense.data.DataSplit;
import dev.condense.graph.Model;
import java.nio.file.Path;

/**
 * The example of README.md's section "The library", line for line between the markers
 * ({@link ReadmeExampleTest} checks that the README holds the same lines, and runs it). {@code dir}
 * holds the user's files: a trained {@code lenet5.onnx} and a recipe.
 */
final class ReadmeExample {
  private ReadmeExample() {}

  static void run(Path dir) {
    // README:begin
    Model model = Condense.load(dir.resolve("lenet5.onnx"));          // ONNX (or .cdz), checked: one-line errors
    Model thin = FilterPruning.l1(0.3).apply(model);                  // Li et al.: 30% of each conv's filters go, for real
    Condense.write(thin, dir.resolve("lenet5-thin.onnx"));            // atomic; read back and compared

    Model sparse = MagnitudePruning.sparsity(0.9).apply(model);       // Han et al.: 90% of the weights become 0
    Model shared = WeightSharing.kmeans(5).apply(sparse);             // 31 shared values per layer (and 0)
    Condense.write(shared, dir.resolve("lenet5.cdz"));                // Deep Compression's format, Huffman-coded

    DataSplit data = Condense.data("mnist", 1000);                    // the built-in digits, 1,000 per split
    Model he = ChannelPruning.he(2.0).apply(model, data);             // He et al.: 2x fewer multiply-adds, from samples
    Model dc = Condense.recipe(dir.resolve("deep-compression.yaml")).apply(model, data);  // a whole recipe
    Condense.write(dc, dir.resolve("lenet5-dc.cdz"));
    // README:end
    Condense.write(he, dir.resolve("lenet5-he.onnx"));
  }
}
