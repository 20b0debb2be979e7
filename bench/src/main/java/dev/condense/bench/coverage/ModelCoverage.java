package dev.condense.bench.coverage;

import dev.condense.api.Condense;
import dev.condense.data.NpyArray;
import dev.condense.data.NpyReader;
import dev.condense.engine.Engine;
import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One cell of the model-coverage table: {@code ModelCoverage DIR OPSET RESULTS} reads what
 * {@code tools/model-coverage/export.py} wrote into DIR for that opset and appends one JSON line
 * to RESULTS — load, engine logits vs ONNX Runtime's, one training step vs PyTorch's loss and
 * gradients, and write + reload (Condense and ONNX Runtime). A stage that fails records its
 * exception's first line and the later stages are skipped.
 */
public final class ModelCoverage {
  /** Logits, loss and write-reload pass at this relative difference. */
  static final double TOLERANCE = 1e-4;

  private ModelCoverage() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int opset = Integer.parseInt(args[1]);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", dir.getFileName().toString());
    row.put("opset", opset);
    Path onnx = dir.resolve("opset" + opset + ".onnx");
    String export = Files.readString(dir.resolve("opset" + opset + ".export.txt")).strip();
    if (!export.equals("ok")) {
      row.put("export", export);
    } else {
      try (Engine engine = NativeEngines.create(Runtime.getRuntime().availableProcessors())) {
        check(engine, dir, onnx, opset, row);
      }
    }
    Files.writeString(Path.of(args[2]), Json.line(row) + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    System.out.println(Json.line(row));
  }

  private static void check(Engine engine, Path dir, Path onnx, int opset, Map<String, Object> row) {
    String stage = "load";
    long t0 = System.nanoTime();
    try {
      Model m = Condense.load(onnx);
      row.put("load", "ok");
      NpyArray xa = NpyReader.read(dir.resolve("x.npy"));
      NpyArray ya = NpyReader.read(dir.resolve("y.npy"));
      String input = m.graph().inputs().get(0).name();
      Tensor x = xa.type().integer() ? Tensor.ofLongs(longs(xa), xa.shape()) : Tensor.of(xa.toFloats(), xa.shape());
      stage = "ort";
      float[] ort = OrtRun.firstOutput(onnx, input, x);
      row.put("ort_ms", ms(t0));
      stage = "run";
      float[] ours = runFirst(engine, m, input, x);
      Diff d = Diff.of(ours, ort);
      row.put("ort_max_abs", d.maxAbs());
      row.put("ort_rel", d.relative());
      row.put("classes", ours.length / x.shape()[0]);
      stage = "train";
      long t1 = System.nanoTime();
      GradientCheck.Result g = GradientCheck.run(engine, m, xa, ya, ours.length / x.shape()[0],
          dir.resolve("opset" + opset + ".ref.npz"), constants(dir.resolve("opset" + opset + ".kinds.txt")),
          dir.resolve("opset" + opset + ".grads.tsv"));
      row.put("train_ms", ms(t1));
      row.put("loss", g.loss());
      row.put("ref_loss", g.refLoss());
      row.put("loss_rel", Math.abs(g.loss() - g.refLoss()) / Math.abs(g.refLoss()));
      row.put("torch32_loss_rel", Math.abs(g.refLoss32() - g.refLoss()) / Math.abs(g.refLoss()));
      row.put("grad_rel", g.worstGradRel());
      row.put("grad_worst", g.worstParam());
      row.put("torch32_grad_rel", g.worstTorch32());
      row.put("torch32_runs", g.torch32Runs());
      row.put("params", g.params());
      row.put("grad_failed", g.failed());
      if (g.firstFailed() != null) {
        row.put("grad_first_failed", g.firstFailed());
      }
      if (g.changedConstant() != null) {
        row.put("changed_constant", g.changedConstant());
      }
      stage = "write";
      Path out = Files.createTempFile("coverage-", ".onnx");
      try {
        Condense.write(m, out);
        Model back = Condense.load(out);
        row.put("reload_engine_max_abs", Diff.of(runFirst(engine, back, input, x), ours).maxAbs());
        row.put("reload_ort_max_abs", Diff.of(OrtRun.firstOutput(out, input, x), ort).maxAbs());
      } finally {
        Files.deleteIfExists(out);
      }
      row.put("seconds", ms(t0) / 1000.0);
    } catch (Throwable e) {
      e.printStackTrace();
      row.put(stage + "_error", e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
    }
  }

  private static float[] runFirst(Engine engine, Model m, String input, Tensor x) {
    try (Session s = engine.open(m)) {
      Map<String, Tensor> out = s.run(Map.of(input, x));
      String first = m.graph().outputs().get(0).name();
      return out.get(first).toFloats();
    }
  }

  private static long[] longs(NpyArray a) {
    long[] v = new long[a.count()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.getLong(i);
    }
    return v;
  }

  /** Initializers export.py found to be neither a parameter nor a buffer: they must not train. */
  private static Set<String> constants(Path kinds) throws IOException {
    List<String> lines = Files.readAllLines(kinds);
    return lines.stream().map(l -> l.split(" ")).filter(p -> p.length >= 2 && p[1].equals("constant"))
        .map(p -> p[0]).collect(Collectors.toSet());
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    String l = s.strip().split("\n", 2)[0];
    return l.length() > 300 ? l.substring(0, 300) + "…" : l;
  }
}
