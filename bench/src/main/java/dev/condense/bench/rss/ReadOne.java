package dev.condense.bench.rss;

import dev.condense.CondenseException;
import dev.condense.data.Cifar10Reader;
import dev.condense.data.DataSources;
import dev.condense.data.Normalization;
import dev.condense.data.NpyReader;
import dev.condense.data.NpzFile;
import dev.condense.data.image.ImageDecoder;
import dev.condense.format.CdzFile;
import dev.condense.onnx.OnnxReader;
import dev.condense.pipeline.RecipeReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one reader on one input, as the CLI would read it, and prints one line: {@code ok} and what
 * was read, or {@code refused} and the reader's one-line error. Usage: {@code ReadOne KIND PATH}
 * with KIND one of onnx, cdz, idx (a directory of IDX files, raw or gzip), cifar (one batch file),
 * npy, npz, image, recipe.
 */
public final class ReadOne {
  private ReadOne() {}

  public static void main(String[] args) {
    String kind = args[0];
    Path file = Path.of(args[1]);
    try {
      System.out.println("ok " + read(kind, file));
    } catch (CondenseException e) {
      System.out.println("refused " + e.getMessage());
    }
  }

  private static String read(String kind, Path file) {
    return switch (kind) {
      case "onnx" -> OnnxReader.load(file).graph().initializers().size() + " initializers";
      case "cdz" -> CdzFile.read(file).graph().initializers().size() + " tensors";
      case "idx" -> DataSources.resolve(file.toString()).train().size() + " training images";
      case "cifar" -> Cifar10Reader.read(List.of(file), "cifar", Normalization.NONE).size() + " images";
      case "npy" -> NpyReader.read(file).shape().length + "-D array";
      case "npz" -> {
        try (NpzFile npz = NpzFile.open(file)) {
          long n = 0;
          for (String name : npz.names()) {
            n += npz.read(name).shape().length;
          }
          yield npz.names().size() + " arrays, " + n + " dims";
        }
      }
      case "image" -> {
        var im = ImageDecoder.decode(file);
        yield "a " + im.width() + "x" + im.height() + " image";
      }
      case "recipe" -> RecipeReader.read(file).steps().size() + " steps";
      default -> throw new IllegalArgumentException("unknown reader " + kind);
    };
  }
}
