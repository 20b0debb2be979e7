package dev.condense.cli;

import dev.condense.PerLayer;
import dev.condense.format.CdzFile;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.quant.VectorQuantizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense vq}: vector quantization of a model's fully connected layers (Gong et al.
 * 2014), optionally with codebook fine-tuning; writes .cdz or ONNX (Gather subgraphs) and reads it
 * back to check the predictions.
 */
@Command(name = "vq", mixinStandardHelpOptions = true,
    description = "Vector-quantize the fully connected layers: binary, kmeans, pq or rq (Gong et al. 2014).")
final class VqCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name, an ONNX file or a .cdz file (trained).")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write: x.cdz or x.onnx.")
  Path out;

  @Option(names = "--method", paramLabel = "M", required = true, description = "binary, kmeans, pq or rq.")
  String method;

  @Option(names = "--k", paramLabel = "K", defaultValue = "16", description = "Codewords per codebook (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--width", paramLabel = "W", defaultValue = "4", description = "pq: segment width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--columns", description = "pq: segment along columns (the transposed matrix) instead of rows.")
  boolean columns;

  @Option(names = "--stages", paramLabel = "T", defaultValue = "2", description = "rq: stages (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(names = "--conv", description = "Also quantize conv kernels (as [filters × rest]); Gong quantized dense layers only.")
  boolean conv;

  @Option(names = "--fine-tune-epochs", paramLabel = "N", defaultValue = "" + Step.VectorQuantize.FINE_TUNE_EPOCHS, description = "Codebook fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  int fineTuneEpochs;

  @Option(names = "--fine-tune-lr", paramLabel = "X", defaultValue = "" + Step.VectorQuantize.FINE_TUNE_LR,
      description = "Codebook fine-tuning rate; each codeword moves by its members' mean gradient (default: ${DEFAULT-VALUE}).")
  double fineTuneLr;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--no-verify", description = "Skip reading the written model back to compare predictions.")
  boolean noVerify;

  @Mixin
  ParameterOptions parameters;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  static VectorQuantizer quantizer(String method, int k, int width, boolean columns, int stages) {
    try {
      return switch (method) {
        case "binary" -> new VectorQuantizer.Binary(true);
        case "kmeans" -> new VectorQuantizer.Scalar(k);
        case "pq" -> new VectorQuantizer.Product(width, k, columns);
        case "rq" -> new VectorQuantizer.Residual(stages, k);
        default -> throw new Cli.UsageError("--method must be binary, kmeans, pq or rq, got '" + method + "'");
      };
    } catch (dev.condense.CondenseException e) {
      throw new Cli.UsageError(e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    OptionRange.epochs("--fine-tune-epochs", fineTuneEpochs);
    OptionRange.lr("--fine-tune-lr", fineTuneLr);
    VectorQuantizer q = quantizer(method, k, width, columns, stages);
    TrainSettings tune = Step.VectorQuantize.FINE_TUNE.withEpochs(fineTuneEpochs).withLr(fineTuneLr);
    return CompressionRun.run(new Output(spec.commandLine(), common), common, data, model,
        "Vector quantization (" + q.label() + ") of " + model, List.of(new Step.VectorQuantize(PerLayer.all(q), conv, tune)),
        dev.condense.engine.ParameterChoice.NONE, parameters, out, report, !noVerify, CdzFile.Options.defaults());
  }
}
