package dev.condense.cli;

import dev.condense.quant.int4.Int4Format;
import dev.condense.quant.int4.Int4Quantizer;
import dev.condense.quant.int4.Int4Rounding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of {@code condense quantize --weights int4}, checked into the library's values. */
final class Int4Options {
  @Option(names = "--block", paramLabel = "B", defaultValue = "" + Int4Quantizer.BLOCK,
      description = "With --weights int4: weights per block along the input dimension, 32, 64 or 128; a last "
          + "block of a row may be shorter (default: ${DEFAULT-VALUE}).")
  int block;

  @Option(names = "--rounding", paramLabel = "R", defaultValue = "gptq",
      description = "With --weights int4: rtn (round to nearest) or gptq (error-minimising, from the calibration "
          + "images) (default: ${DEFAULT-VALUE}).")
  String rounding;

  @Option(names = "--format", paramLabel = "F", defaultValue = "matmulnbits",
      description = "With --weights int4: matmulnbits (ONNX Runtime's com.microsoft.MatMulNBits) or qdq "
          + "(DequantizeLinear-21 int4 -> MatMul, standard ONNX) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--symmetric", description = "With --weights int4: int4 weights with zero point 0 instead of "
      + "uint4 with a zero point per block.")
  boolean symmetric;

  @Option(names = "--layers", paramLabel = "L[,L...]", split = ",",
      description = "With --weights int4: only these Gemm/MatMul nodes (by node name) go to 4 bits, the others stay "
          + "float (default: every Gemm and MatMul with a constant 2-D weight).")
  List<String> layers = new ArrayList<>();

  Int4Rounding rounding() {
    return switch (rounding) {
      case "rtn" -> Int4Rounding.RTN;
      case "gptq" -> Int4Rounding.GPTQ;
      default -> throw new Cli.UsageError("--rounding must be rtn or gptq, got '" + rounding + "'");
    };
  }

  Int4Format format() {
    return switch (format) {
      case "matmulnbits" -> Int4Format.MATMULNBITS;
      case "qdq" -> Int4Format.QDQ;
      default -> throw new Cli.UsageError("--format must be matmulnbits or qdq, got '" + format + "'");
    };
  }

  int block() {
    OptionRange.check("--block", block, Int4Quantizer.BLOCKS.get(0), Int4Quantizer.BLOCKS.get(Int4Quantizer.BLOCKS.size() - 1));
    if (!Int4Quantizer.BLOCKS.contains(block)) {
      throw new Cli.UsageError("--block must be one of 32, 64, 128, got " + block);
    }
    return block;
  }

  /** Refuses the 4-bit options with {@code --weights int8}, which has no use for them. */
  void refuseWithInt8() {
    boolean set = block != Int4Quantizer.BLOCK || !rounding.equals("gptq") || !format.equals("matmulnbits") || symmetric
        || !layers.isEmpty();
    if (set) {
      throw new Cli.UsageError("--block, --rounding, --format, --symmetric and --layers apply to --weights int4 only");
    }
  }

  /** The layers named by --layers (empty: all). */
  Set<String> layers() {
    Set<String> s = new LinkedHashSet<>();
    for (String l : layers) {
      if (l.isBlank() || !s.add(l)) {
        throw new Cli.UsageError("--layers: " + (l.isBlank() ? "an empty layer name" : "layer '" + l + "' is named twice"));
      }
    }
    return s;
  }

  String label() {
    return String.format(Locale.ROOT, "%s, blocks of %d, %s", symmetric ? "int4 symmetric" : "uint4 with zero points",
        block, rounding);
  }
}
