package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trim}, {@code prune-filters} and {@code channel-prune} with {@code --runtime ort}: APoZ
 * and the channel samples are measured in ONNX Runtime and choose what the engine's measurements
 * choose. Without retraining, Network Trimming's and APoZ filter pruning's thinner models are the
 * engine's to the bit (the same channels cut from the same weights: APoZ counts zeros, which the
 * two runtimes' ReLUs agree on). He et al.'s
 * channel pruning keeps the same channels, and its least-squares reconstruction of the next
 * layer, solved on samples that differ by about 1e-6, agrees within 1e-3 relative.
 */
class StructuredRuntimeTest {
  @TempDir
  Path dir;

  private Model run(String runtime, String... args) throws Exception {
    Path out = dir.resolve(runtime + ".onnx");
    String[] base = {"--runtime", runtime, "--retrain-epochs", "0", "--threads", "2", "--no-verify", "--out",
        out.toString(), "--quiet"};
    String[] all = java.util.Arrays.copyOf(args, args.length + base.length);
    System.arraycopy(base, 0, all, args.length, base.length);
    CliRun r = CliRun.of(all);
    assertThat(r.status()).as(r.err()).isZero();
    return OnnxReader.read(out);
  }

  /** The same initializers, each of the same shape and within {@code relative} of the engine's. */
  private static void same(Model engine, Model ort, double relative) {
    Map<String, Tensor> e = engine.graph().initializers();
    assertThat(ort.graph().initializers().keySet()).isEqualTo(e.keySet());
    for (Map.Entry<String, Tensor> i : e.entrySet()) {
      Tensor o = ort.graph().initializer(i.getKey());
      assertThat(o.shape()).as(i.getKey()).isEqualTo(i.getValue().shape());
      float[] a = i.getValue().toFloats();
      float[] b = o.toFloats();
      for (int k = 0; k < a.length; k++) {
        assertThat((double) b[k]).as(i.getKey() + "[" + k + "]")
            .isCloseTo(a[k], org.assertj.core.data.Offset.offset(relative * Math.max(1e-3, Math.abs(a[k]))));
      }
    }
  }

  /** {@code command} on zoo {@code model} thins it, and ONNX Runtime's measurements give the engine's model exactly. */
  private void thinnedAlike(String command, String model, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = command;
    all[1] = model;
    System.arraycopy(args, 0, all, 2, args.length);
    Model engine = run("engine", all);
    Model ort = run("ort", all);
    assertThat(engine.graph().parameterCount()).isLessThan(dev.condense.zoo.Zoo.create(model, 1).graph().parameterCount());
    same(engine, ort, 0);
  }

  @Test
  void trimmingOnApozMeasuredInOnnxRuntimeCutsTheEnginesChannels() throws Exception {
    thinnedAlike("trim", "lenet-300-100", "--iterations", "2", "--samples", "300", "--limit", "300");
  }

  @Test
  void filterPruningOnApozMeasuredInOnnxRuntimeRemovesTheEnginesFilters() throws Exception {
    thinnedAlike("prune-filters", "lenet-5", "--target", "macs=0.7", "--criterion", "apoz", "--limit", "300");
  }

  @Test
  void channelPruningOnSamplesTakenInOnnxRuntimeKeepsTheEnginesChannels() throws Exception {
    String[] prune = {"channel-prune", "lenet-5", "--method", "he", "--keep", "conv1=0.5", "--images", "100",
        "--per-image", "10", "--limit", "300"};
    Model engine = run("engine", prune);
    Model ort = run("ort", prune);
    same(engine, ort, 1e-3);
  }
}
